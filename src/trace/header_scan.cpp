// header_scan.cpp — see header_scan.hpp.
#include "trace/header_scan.hpp"

#include <algorithm>
#include <cstring>

#include "core/limits.hpp"
#include "core/text.hpp"

namespace intransit::trace {
namespace {

// RFC 5322 §2.2 ftext: printable US-ASCII except the colon.
bool field_name_char(char c) {
  return c >= 33 && c <= 126 && c != ':';
}

}  // namespace

std::size_t next_mbox_message(std::string_view mbox, std::size_t begin) {
  // Bodies are most of a mailbox and have many short lines: one memchr per 'F' (rarer than line
  // ends), then a look at its neighbours, is what keeps this near the speed of reading.
  std::size_t pos = begin + 1;  // the From_ line that starts this message is not its end
  while (pos < mbox.size()) {
    const void* hit = std::memchr(mbox.data() + pos, 'F', mbox.size() - pos);
    if (hit == nullptr) break;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - mbox.data());
    if (mbox[at - 1] == '\n' && mbox.compare(at, 5, "From ") == 0) return at;
    pos = at + 1;
  }
  return mbox.size();
}

HeaderScan scan_headers(std::string_view message) {
  HeaderScan out;
  out.received.reserve(8);  // one allocation for the usual 2-6 hops
  const auto first = message.find('\n');
  if (first == std::string_view::npos || message.compare(0, 5, "From ") != 0) return out;
  std::size_t pos = first + 1;
  const std::size_t headers_start = pos;
  bool duplicate = false;
  std::optional<std::string_view>* open = nullptr;  // the field being folded, if it is one we keep
  std::size_t open_start = 0;
  bool open_received = false;
  const auto close_field = [&](std::size_t end) {
    // The value runs to the end of its last line, line end excluded (folds kept for the parser).
    std::size_t e = end;
    if (e > open_start && message[e - 1] == '\n') --e;
    if (e > open_start && message[e - 1] == '\r') --e;
    const std::string_view value = message.substr(open_start, e - open_start);
    if (open_received) {
      out.received.push_back(value);
    } else if (open != nullptr) {
      // A second From, Message-ID, Content-Type or Content-Transfer-Encoding: which one GMime
      // uses is its business.
      if (*open) duplicate = true;
      *open = value;
    }
    open = nullptr;
    open_received = false;
  };
  bool in_field = false;
  // A From_ line or header block the reader would cut (message_cut.hpp) is never plain.
  if (first > limits::kPlainHeaderLineBytes) return out;
  for (;;) {
    if (pos >= message.size()) return out;  // no empty line: GMime decides what this is
    const auto lf = message.find('\n', pos);
    if (lf == std::string_view::npos || lf + 1 > limits::kHeaderBlockBytes) return out;
    std::string_view line = message.substr(pos, lf - pos);
    if (line.size() > limits::kPlainHeaderLineBytes) return out;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {  // the end of the header block
      // A NUL anywhere in it: GMime's business (one search for the block, not one per line).
      if (std::memchr(message.data() + headers_start, '\0', pos - headers_start) != nullptr)
        return out;
      if (in_field) close_field(pos);
      out.body = message.substr(lf + 1);
      out.plain = !duplicate;
      return out;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (!in_field) return out;  // a continuation with nothing to continue
      pos = lf + 1;
      continue;
    }
    if (in_field) close_field(pos);
    std::size_t colon = 0;
    while (colon < line.size() && field_name_char(line[colon])) ++colon;
    if (colon == 0 || colon >= line.size() || line[colon] != ':') return out;  // not a field
    const std::string_view name = line.substr(0, colon);
    in_field = true;
    ++out.fields;
    open_start = pos + colon + 1;
    if (text::equals_lower(name, "received")) {
      open_received = true;
    } else if (text::equals_lower(name, "from")) {
      open = &out.from;
    } else if (text::equals_lower(name, "message-id")) {
      open = &out.message_id;
    } else if (text::equals_lower(name, "content-type")) {
      open = &out.content_type;
    } else if (text::equals_lower(name, "content-transfer-encoding")) {
      open = &out.transfer_encoding;
    }
    pos = lf + 1;
  }
}

namespace {

std::string_view trim_blanks(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 §3.2.3 dot-atom: atext runs joined by single dots; a domain's labels only letters,
// digits and hyphens.
bool dot_atom(std::string_view s, bool domain) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos)
    return false;
  constexpr std::string_view kAtextSpecials = "!#$%&'*+-/=?^_`{|}~";
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return c == '.' || alnum(c) ||
           (domain ? c == '-' : kAtextSpecials.find(c) != std::string_view::npos);
  });
}

}  // namespace

std::optional<std::string_view> simple_message_id(std::string_view value) {
  const std::string_view v = trim_blanks(value);
  if (v.size() < 5 || v.front() != '<' || v.back() != '>') return std::nullopt;
  const std::string_view id = v.substr(1, v.size() - 2);
  const auto at = id.find('@');
  if (at == std::string_view::npos || id.find('@', at + 1) != std::string_view::npos)
    return std::nullopt;
  if (!dot_atom(id.substr(0, at), false) || !dot_atom(id.substr(at + 1), true)) return std::nullopt;
  return id;
}

std::optional<std::string_view> simple_unstructured(std::string_view value) {
  const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x20 && u < 0x7f) || c == '\t';
  });
  if (!plain || value.find("=?") != std::string_view::npos) return std::nullopt;
  return trim_blanks(value);
}

}  // namespace intransit::trace
