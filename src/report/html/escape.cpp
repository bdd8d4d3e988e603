// escape.cpp — HTML escaping at the report's one boundary (see escape.hpp). The common case, a
// plain ASCII domain name, is copied in one pass without allocation.
#include "report/html/escape.hpp"

#include "core/text.hpp"

namespace intransit::report::html {
namespace {

void append_markup_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

// True when `text` needs no byte-level repair: valid UTF-8 without control characters other than
// tab and line feed (which HTML shows as white space).
bool is_clean(std::string_view text) {
  if (text::is_plain_printable(text)) return true;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7f) return false;
  }
  return text::is_valid_utf8(text);
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  if (is_clean(text)) {
    append_markup_escaped(out, text);
    return;
  }
  append_markup_escaped(out, text::printable(text));
}

std::string escaped(std::string_view text) {
  std::string out;
  append_escaped(out, text);
  return out;
}

}  // namespace intransit::report::html
