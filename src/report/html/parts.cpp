// parts.cpp — pieces several pages share: RFC links, verdict badges and the findings table
// (pages.hpp).
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "report/html/json_access.hpp"
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

void findings_table(Writer& w, const nlohmann::json& findings) {
  std::vector<const nlohmann::json*> sorted;
  if (findings.is_array())
    for (const auto& f : findings) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return severity_order(str(*a, "severity")) < severity_order(str(*b, "severity"));
  });
  if (sorted.empty()) {
    w << "<p>No findings.</p>";
    return;
  }
  w << "<div class=\"scroll\"><table><caption>Worst first</caption><thead><tr>"
       "<th scope=\"col\">Severity</th><th scope=\"col\">Finding</th>"
       "<th scope=\"col\">Evidence</th><th scope=\"col\">Remedy</th>"
       "<th scope=\"col\">Reference</th></tr></thead><tbody>";
  for (const auto* f : sorted) {
    const auto severity = str(*f, "severity");
    w << "<tr><td class=\"t-" << Esc{severity_tone(severity)} << "\">"
      << Esc{severity_symbol(severity)} << " " << Esc{severity} << "</td><th scope=\"row\"><code>"
      << Esc{str(*f, "id")} << "</code><br><span class=\"note\">" << Esc{str(*f, "scope")}
      << "</span></th><td class=\"ev\">" << Esc{str(*f, "evidence")} << "</td><td>"
      << Esc{str(*f, "remedy")} << "</td><td>";
    rfc_link(w, str(*f, "rfc"));
    w << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

}  // namespace intransit::report::html
