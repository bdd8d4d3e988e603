// data_reader.cpp — see data_reader.hpp.
#include "sink/data_reader.hpp"

#include <string_view>

namespace intransit::sink {

bool DataReader::consume(std::string& pending) {
  std::size_t start = 0;
  while (!ended_) {
    const auto lf = pending.find('\n', start);
    if (lf == std::string::npos) break;
    std::string_view raw(pending.data() + start, lf - start);
    start = lf + 1;
    const bool crlf = !raw.empty() && raw.back() == '\r';
    if (crlf) raw.remove_suffix(1);
    if (crlf && previous_crlf_ && raw == ".") {
      ended_ = true;
      break;
    }
    if (!crlf || raw.find('\r') != std::string_view::npos) bare_line_ends_ = true;
    previous_crlf_ = crlf;
    line(raw);
  }
  pending.erase(0, start);
  // A line with no LF yet: beyond the bound, keep only what could still be "\r\n.\r".
  if (!ended_ && pending.size() > max_partial_) {
    size_ += pending.size() - 4;
    in_headers_ = false;  // a line this long is no header
    previous_crlf_ = false;
    pending.erase(0, pending.size() - 4);
  }
  return ended_;
}

// One line of the message, without its line end: unstuffed, counted, kept while in the header.
void DataReader::line(std::string_view raw) {
  if (!raw.empty() && raw.front() == '.') raw.remove_prefix(1);
  size_ += raw.size() + 2;
  if (!in_headers_) return;
  if (raw.empty()) {
    in_headers_ = false;
  } else if (headers_.size() + raw.size() + 1 <= max_headers_) {
    headers_.append(raw);
    headers_ += '\n';
  }
}

}  // namespace intransit::sink
