// sink_page.cpp — the page of sending servers tested by the sink (intransit.sink-report/1): each
// sender's verdict in plain words, its row of scenarios (delivered over TLS, in plaintext, or
// not at all), and the behaviours behind the verdict. DESIGN.md §3 "Sending server".
#include <algorithm>
#include <string>
#include <vector>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

const char* sender_tone(std::string_view v) {
  if (v == "verifies") return "good";
  if (v == "accepts-any-certificate") return "warn";
  if (v == "plaintext-fallback") return "bad";
  return "none";
}

const char* sender_symbol(std::string_view v) {
  if (v == "verifies") return "\u2714";
  if (v == "accepts-any-certificate") return "\u26A0";
  if (v == "plaintext-fallback") return "\u2716";
  return "?";
}

std::vector<std::string> scenario_names(const std::vector<json>& reports) {
  std::vector<std::string> names;
  for (const auto& r : reports)
    for (const auto& s : list(r, "senders"))
      for (const auto& sc : list(s, "scenarios")) {
        const auto n = str(sc, "scenario");
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
  return names;
}

void scenario_cell(Writer& w, const json& sender, const std::string& name) {
  for (const auto& sc : list(sender, "scenarios")) {
    if (str(sc, "scenario") != name) continue;
    const auto tls = num(sc, "delivered_tls"), plain = num(sc, "delivered_plaintext");
    if (plain > 0)
      w << "<td class=\"t-bad\">\u2716 in plaintext";
    else if (tls > 0)
      w << "<td class=\"t-good\">\u2714 over TLS";
    else
      w << "<td class=\"t-none\">\u2013 not delivered";
    w << " <span class=\"note\">(sessions: " << num(sc, "sessions")
      << ", delivered: " << tls + plain << ")</span></td>";
    return;
  }
  w << "<td class=\"t-none\">not tried</td>";
}

void matrix(Writer& w, const std::vector<json>& reports, const std::vector<std::string>& names) {
  w << "<div class=\"scroll\"><table id=\"senders\"><caption>Each sender's row of scenarios"
       "</caption><thead><tr><th scope=\"col\">Sender</th><th scope=\"col\">Verdict</th>";
  for (const auto& n : names) w << "<th scope=\"col\"><code>" << Esc{n} << "</code></th>";
  w << "</tr></thead><tbody>";
  for (const auto& r : reports)
    for (const auto& s : list(r, "senders")) {
      const auto v = str(s, "verdict");
      w << "<tr><th scope=\"row\">" << Esc{str(s, "client")} << "</th><td class=\"t-"
        << Esc{sender_tone(v)} << "\">" << Esc{sender_symbol(v)} << " " << Esc{v} << "</td>";
      for (const auto& n : names) scenario_cell(w, s, n);
      w << "</tr>";
    }
  w << "</tbody></table></div>";
}

void sender_details(Writer& w, const json& s) {
  const auto v = str(s, "verdict");
  std::string ehlo;
  for (const auto& e : list(s, "ehlo"))
    if (e.is_string()) ehlo += (ehlo.empty() ? "" : ", ") + e.get<std::string>();
  w << "<h3>" << Esc{str(s, "client")} << "</h3><p class=\"meta\">EHLO " << Esc{ehlo}
    << "</p><p class=\"verdict t-" << Esc{sender_tone(v)} << "\">" << Esc{sender_symbol(v)} << " "
    << Esc{v} << "<span class=\"says\">" << Esc{str(s, "verdict_text")} << "</span></p><ul>";
  for (const auto& b : list(s, "behaviours")) {
    const auto sev = str(b, "severity");
    w << "<li><span class=\"t-" << Esc{severity_tone(sev)} << "\">" << Esc{severity_symbol(sev)}
      << " " << Esc{sev} << "</span> " << Esc{str(b, "text")} << " <code>" << Esc{str(b, "id")}
      << "</code></li>";
  }
  w << "</ul>";
}

}  // namespace

void sink_page(Writer& w, const std::vector<json>& reports) {
  long long senders = 0;
  for (const auto& r : reports) senders += static_cast<long long>(list(r, "senders").size());
  w << "<section aria-labelledby=\"sink-h\"><h2 id=\"sink-h\">Sending servers: <span "
       "id=\"sink-n\">"
    << senders << "</span> tested by the sink</h2>";
  for (const auto& r : reports) w << "<p class=\"meta\">Store " << Esc{str(r, "store")} << "</p>";
  matrix(w, reports, scenario_names(reports));
  for (const auto& r : reports)
    for (const auto& s : list(r, "senders")) sender_details(w, s);
  w << "</section>";
}

}  // namespace intransit::report::html
