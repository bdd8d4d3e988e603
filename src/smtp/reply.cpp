// reply.cpp — see reply.hpp. RFC 5321 §4.2 (reply grammar), §4.2.1 (multi-line replies),
// §4.5.3.1.5 (reply line length).
#include "smtp/reply.hpp"

namespace intransit::smtp {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39.
bool is_reply_code(std::string_view s) {
  return s.size() >= 3 && s[0] >= '2' && s[0] <= '5' && s[1] >= '0' && s[1] <= '5' &&
         is_digit(s[2]);
}

}  // namespace

std::string_view to_string(ReplyError error) {
  switch (error) {
    case ReplyError::none: return "none";
    case ReplyError::line_too_long: return "line-too-long";
    case ReplyError::too_many_lines: return "reply-too-large";
    case ReplyError::too_large: return "reply-too-large";
    case ReplyError::malformed_code: return "protocol-error";
  }
  return "unknown";
}

void ReplyParser::reset() {
  reply_ = Reply{};
  line_.clear();
  error_ = ReplyError::none;
  state_ = Status::need_more;
}

ReplyParser::Status ReplyParser::fail(ReplyError error) {
  error_ = error;
  state_ = Status::error;
  return state_;
}

ReplyParser::Progress ReplyParser::feed(std::string_view input) {
  std::size_t used = 0;
  while (state_ == Status::need_more && used < input.size()) {
    const std::string_view rest = input.substr(used);
    const std::size_t lf = rest.find('\n');
    const std::size_t content = lf == std::string_view::npos ? rest.size() : lf;
    const std::size_t take = lf == std::string_view::npos ? rest.size() : lf + 1;
    // A limit is hit at a byte position of the stream, whatever the chunking: find the first
    // byte that crosses the line limit (content plus a CR that may precede the LF) or the reply
    // limit, and stop there. The fuzz target checks that chunking never changes the outcome.
    const std::size_t line_room = limits_.max_line_bytes + 1 - line_.size();
    const std::size_t reply_room = limits_.max_reply_bytes - reply_.wire_bytes;
    const std::size_t line_cross = content > line_room ? line_room + 1 : std::string_view::npos;
    const std::size_t reply_cross = take > reply_room ? reply_room + 1 : std::string_view::npos;
    if (line_cross != std::string_view::npos || reply_cross != std::string_view::npos) {
      const bool line_first = line_cross <= reply_cross;
      used += line_first ? line_cross : reply_cross;
      fail(line_first ? ReplyError::line_too_long : ReplyError::too_large);
      break;
    }
    used += take;
    reply_.wire_bytes += take;
    line_.append(rest.substr(0, content));
    if (lf == std::string_view::npos) break;

    const bool bare_lf = line_.empty() || line_.back() != '\r';
    if (!bare_lf) line_.pop_back();
    if (!finish_line(bare_lf)) break;
  }
  return {state_, used};
}

bool ReplyParser::finish_line(bool bare_lf) {
  if (line_.size() > limits_.max_line_bytes) {
    fail(ReplyError::line_too_long);
    return false;
  }
  const std::string_view line = line_;
  if (!is_reply_code(line) || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
    fail(ReplyError::malformed_code);
    return false;
  }
  const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  const bool last = line.size() == 3 || line[3] == ' ';
  if (!reply_.lines.empty() && code != reply_.code) reply_.inconsistent_codes = true;
  reply_.code = code;
  reply_.bare_lf = reply_.bare_lf || bare_lf;
  if (reply_.lines.size() == limits_.max_lines) {
    fail(ReplyError::too_many_lines);
    return false;
  }
  reply_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
  line_.clear();
  if (last) state_ = Status::complete;
  return true;
}

}  // namespace intransit::smtp
