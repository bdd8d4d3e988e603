// parts.cpp — pieces several pages share: RFC links and verdict badges (pages.hpp).
#include <cctype>
#include <string>

#include "report/html/pages.hpp"

namespace intransit::report::html {
namespace {

// The digits starting at `from` in `s` (at most 5), or "".
std::string digits_at(std::string_view s, std::size_t from) {
  std::string out;
  while (from < s.size() && out.size() < 5 && std::isdigit(static_cast<unsigned char>(s[from])))
    out += s[from++];
  return out;
}

// "3.3.1" from the text after "§" (digits and dots only).
std::string section_at(std::string_view s, std::size_t from) {
  std::string out;
  while (from < s.size() && out.size() < 16 &&
         (std::isdigit(static_cast<unsigned char>(s[from])) || s[from] == '.'))
    out += s[from++];
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

void rfc_link(Writer& w, std::string_view rfc) {
  const auto at = rfc.find("RFC ");
  const auto number = at == std::string_view::npos ? std::string() : digits_at(rfc, at + 4);
  if (number.empty()) {
    w << Esc{rfc};
    return;
  }
  const auto sign = rfc.find("\u00A7");
  const auto section = sign == std::string_view::npos ? std::string() : section_at(rfc, sign + 2);
  w << "<a href=\"https://www.rfc-editor.org/rfc/rfc" << Esc{number};
  if (!section.empty()) w << "#section-" << Esc{section};
  w << "\">" << Esc{rfc} << "</a>";
}

void verdict_badge(Writer& w, Verdict v) {
  w << "<span class=\"badge t-" << Esc{verdict_tone(v)} << "\">" << Esc{verdict_symbol(v)} << " "
    << Esc{verdict_word(v)} << "</span> ";
}

}  // namespace intransit::report::html
