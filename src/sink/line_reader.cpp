// line_reader.cpp — see line_reader.hpp.
#include "sink/line_reader.hpp"

namespace intransit::sink {

void LineReader::append(std::string_view bytes) {
  if (stopped_) return;
  buffer_.append(bytes);
}

LineStatus LineReader::next(std::string& line) {
  if (stopped_) return LineStatus::too_long;
  const auto lf = buffer_.find('\n');
  if (lf == std::string::npos) {
    // Without its LF the line is at least this long (a last CR may still be its line end).
    const std::size_t least =
        buffer_.empty() || buffer_.back() != '\r' ? buffer_.size() : buffer_.size() - 1;
    if (least <= max_line_) return LineStatus::more;
    buffer_.clear();  // bounded: an over-long line is never kept
    if (over_long_ == OverLong::stop) {
      stopped_ = true;
      return LineStatus::too_long;
    }
    skipping_ = true;
    return LineStatus::more;
  }
  const bool crlf = lf > 0 && buffer_[lf - 1] == '\r';
  const std::size_t length = crlf ? lf - 1 : lf;
  const bool was_skipping = skipping_;
  skipping_ = false;
  if (was_skipping || length > max_line_) {
    buffer_.erase(0, lf + 1);
    if (over_long_ == OverLong::stop) stopped_ = true;
    return LineStatus::too_long;
  }
  line.assign(buffer_, 0, length);
  last_crlf_ = crlf;
  buffer_.erase(0, lf + 1);
  return LineStatus::line;
}

}  // namespace intransit::sink
