// mail_lines.cpp — see mail_lines.hpp. RFC 9051 §2.2.2 and §7 (IMAP responses), RFC 3501 §6.2.3
// (LOGINDISABLED); RFC 1939 §3 (POP3 responses, dot-stuffing), RFC 2449 §5-6 (CAPA, SASL, USER),
// RFC 2595 §3.2; RFC 4954 §4 (SMTP AUTH); RFC 8314 §3.3.
#include "smtp/mail_lines.hpp"

#include <algorithm>
#include <cctype>

namespace intransit::smtp {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

void add_keyword(Capabilities& caps, std::string keyword, std::vector<std::string> params) {
  if (caps.keywords.contains(keyword)) {
    caps.duplicates = true;
    return;
  }
  caps.keywords.emplace(std::move(keyword), std::move(params));
}

bool lists(const Capabilities& caps, std::string_view keyword, std::string_view param) {
  const auto it = caps.keywords.find(keyword);
  if (it == caps.keywords.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const std::string& p) { return upper(p) == param; });
}

}  // namespace

void LineResponseParser::reset(Shape shape, std::string tag) {
  shape_ = shape;
  tag_ = std::move(tag);
  lines_.clear();
  line_.clear();
  bytes_ = 0;
  bare_lf_ = false;
  error_ = ReplyError::none;
  state_ = Status::need_more;
}

LineResponseParser::Status LineResponseParser::fail(ReplyError error) {
  error_ = error;
  state_ = Status::error;
  return state_;
}

// The same byte-exact limit logic as ReplyParser::feed: a limit is hit at a byte position of the
// stream, whatever the chunking.
LineResponseParser::Progress LineResponseParser::feed(std::string_view input) {
  std::size_t used = 0;
  while (state_ == Status::need_more && used < input.size()) {
    const std::string_view rest = input.substr(used);
    const std::size_t lf = rest.find('\n');
    const std::size_t content = lf == std::string_view::npos ? rest.size() : lf;
    const std::size_t take = lf == std::string_view::npos ? rest.size() : lf + 1;
    const std::size_t line_room = limits_.max_line_bytes + 1 - line_.size();
    const std::size_t reply_room = limits_.max_reply_bytes - bytes_;
    const std::size_t line_cross = content > line_room ? line_room + 1 : std::string_view::npos;
    const std::size_t reply_cross = take > reply_room ? reply_room + 1 : std::string_view::npos;
    if (line_cross != std::string_view::npos || reply_cross != std::string_view::npos) {
      const bool line_first = line_cross <= reply_cross;
      used += line_first ? line_cross : reply_cross;
      fail(line_first ? ReplyError::line_too_long : ReplyError::too_large);
      break;
    }
    used += take;
    bytes_ += take;
    line_.append(rest.substr(0, content));
    if (lf == std::string_view::npos) break;
    const bool bare_lf = line_.empty() || line_.back() != '\r';
    if (!bare_lf) line_.pop_back();
    if (!finish_line(bare_lf)) break;
  }
  return {state_, used};
}

bool LineResponseParser::finish_line(bool bare_lf) {
  if (line_.size() > limits_.max_line_bytes) {
    fail(ReplyError::line_too_long);
    return false;
  }
  bare_lf_ = bare_lf_ || bare_lf;
  std::string line = std::move(line_);
  line_.clear();
  const bool first = lines_.empty();
  bool last = false;
  switch (shape_) {
    case Shape::single: last = true; break;
    case Shape::until_tagged: last = line.starts_with(tag_ + " "); break;
    case Shape::pop3_multiline:
      if (first) {
        last = !line.starts_with("+OK");
      } else if (line == ".") {
        state_ = Status::complete;
        return false;
      } else if (line.starts_with("..")) {
        line.erase(0, 1);  // RFC 1939 §3: byte-stuffed
      }
      break;
  }
  if (lines_.size() == limits_.max_lines) {
    fail(ReplyError::too_many_lines);
    return false;
  }
  lines_.push_back(std::move(line));
  if (last) state_ = Status::complete;
  return !last;
}

std::string imap_status(std::string_view line, std::string_view tag) {
  if (line.size() <= tag.size() || !line.starts_with(tag) || line[tag.size()] != ' ') return {};
  const auto w = words(line.substr(tag.size() + 1));
  return w.empty() ? std::string{} : upper(w.front());
}

Capabilities imap_capabilities(const std::vector<std::string>& lines) {
  Capabilities caps;
  for (const auto& line : lines) {
    if (imap_status(line) != "CAPABILITY") continue;
    const auto w = words(line);
    for (std::size_t i = 2; i < w.size(); ++i) add_keyword(caps, upper(w[i]), {});
  }
  return caps;
}

Capabilities pop3_capabilities(const std::vector<std::string>& lines) {
  Capabilities caps;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto w = words(lines[i]);
    if (w.empty()) continue;
    std::vector<std::string> params(w.begin() + 1, w.end());
    add_keyword(caps, upper(w.front()), std::move(params));
  }
  return caps;
}

// RFC 3501 §6.2.3 / RFC 9051 §6.2.3: without LOGINDISABLED, LOGIN takes a password in clear;
// AUTH=PLAIN or AUTH=LOGIN advertised before TLS invites the same.
bool imap_cleartext_auth(const Capabilities& caps) {
  return !caps.has("LOGINDISABLED") || caps.has("AUTH=PLAIN") || caps.has("AUTH=LOGIN");
}

// RFC 2449 §6.8 (USER), §6.3 (SASL); RFC 2595 §3.2.
bool pop3_cleartext_auth(const Capabilities& caps) {
  return caps.has("USER") || lists(caps, "SASL", "PLAIN") || lists(caps, "SASL", "LOGIN");
}

// RFC 4954 §4: AUTH PLAIN / LOGIN before STARTTLS.
bool submission_cleartext_auth(const Capabilities& caps) {
  return lists(caps, "AUTH", "PLAIN") || lists(caps, "AUTH", "LOGIN");
}

}  // namespace intransit::smtp
