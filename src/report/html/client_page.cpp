// client_page.cpp — the mail client legs (intransit.client/1, issue 21): for each domain the
// verdict of each leg (submission, IMAP, POP3: RFC 8314) first, in check's words, then every
// server a client would use — where it was found (DNS SRV per RFC 6186, autoconfig) and whether
// that source was authenticated, its verdict and why, each address's TLS and certificate name
// (RFC 7817) — then the discovery itself and the findings.
#include <string>
#include <vector>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

void legs_table(Writer& w, const json& report) {
  w << "<div class=\"scroll\"><table class=\"client-legs\"><caption>Verdict per leg</caption>"
       "<thead><tr><th scope=\"col\">Leg</th><th scope=\"col\">Verdict</th>"
       "<th scope=\"col\">What it means</th></tr></thead><tbody>";
  for (const auto& leg : list(report, "legs")) {
    const auto verdict = parse_verdict(str(leg, "verdict")).value_or(Verdict::untested);
    w << "<tr data-leg=\"" << Esc{str(leg, "leg")} << "\"><th scope=\"row\">"
      << Esc{str(leg, "leg")} << "</th><td class=\"t-" << Esc{verdict_tone(verdict)} << "\">"
      << Esc{verdict_symbol(verdict)} << " " << Esc{verdict_word(verdict)} << "</td><td>"
      << Esc{str(leg, "summary")};
    if (flag(leg, "nothing_published")) w << " <span class=\"note\">(nothing published)</span>";
    w << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

void origins_cell(Writer& w, const json& server) {
  bool first = true;
  for (const auto& o : list(server, "origins")) {
    if (!first) w << "<br>";
    first = false;
    w << Esc{str(o, "source")} << " <span class=\"note\">" << Esc{str(o, "where")} << "</span> "
      << Esc{flag(o, "authenticated") ? "\u2714 authenticated" : "\u26A0 not authenticated"};
  }
}

void addresses_cell(Writer& w, const json& server) {
  bool first = true;
  for (const auto& a : list(server, "addresses")) {
    if (!first) w << "<br>";
    first = false;
    w << Esc{str(a, "address")} << ": " << Esc{str(a, "outcome")};
    if (!str(a, "tls_version").empty()) w << ", " << Esc{str(a, "tls_version")};
    if (at(a, "certificate_trusted").is_boolean())
      w << Esc{flag(a, "certificate_trusted") ? ", \u2714 trusted" : ", \u2716 untrusted"};
    w << ", name " << Esc{str(a, "name_check")};
  }
}

void servers_table(Writer& w, const json& report) {
  w << "<div class=\"scroll\"><table class=\"client-servers\"><caption>Servers a mail client "
       "would use</caption><thead><tr><th scope=\"col\">Server</th><th scope=\"col\">Leg</th>"
       "<th scope=\"col\">Verdict</th><th scope=\"col\">Found via</th>"
       "<th scope=\"col\">Addresses</th></tr></thead><tbody>";
  for (const auto& s : list(report, "servers")) {
    const auto verdict = parse_verdict(str(s, "verdict")).value_or(Verdict::untested);
    w << "<tr><th scope=\"row\">" << Esc{str(s, "host")} << ":" << num(s, "port")
      << "<br><span class=\"note\">" << Esc{str(s, "protocol")} << ", TLS "
      << Esc{str(s, "tls_mode")} << "</span></th><td>" << Esc{str(s, "leg")}
      << "</td><td class=\"t-" << Esc{verdict_tone(verdict)} << "\">"
      << Esc{verdict_symbol(verdict)} << " " << Esc{verdict_word(verdict)}
      << "<br><span class=\"note\">" << Esc{str(s, "why")} << "</span></td><td>";
    origins_cell(w, s);
    w << "</td><td>";
    addresses_cell(w, s);
    w << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

void srv_table(Writer& w, const json& report) {
  w << "<div class=\"scroll\"><table><caption>DNS SRV records (RFC 6186, RFC 8314)</caption>"
       "<thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Answer</th>"
       "<th scope=\"col\">DNSSEC</th><th scope=\"col\">Targets</th></tr></thead><tbody>";
  for (const auto& l : list(report, "srv")) {
    const auto& dns = at(l, "dns");
    w << "<tr><th scope=\"row\"><code>" << Esc{str(l, "service")} << "</code></th><td>"
      << Esc{str(dns, "status")};
    if (flag(l, "not_offered")) w << " (service not offered)";
    if (!str(l, "decode_error").empty()) w << "; " << Esc{str(l, "decode_error")};
    w << "</td><td>" << Esc{str(dns, "dnssec")} << "</td><td>";
    for (const auto& r : list(l, "records"))
      w << Esc{str(r, "target")} << ":" << num(r, "port") << " ";
    w << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

void autoconfig_table(Writer& w, const json& report) {
  if (list(report, "autoconfig").empty()) return;
  w << "<div class=\"scroll\"><table><caption>Autoconfig</caption><thead><tr>"
       "<th scope=\"col\">Source</th><th scope=\"col\">Result</th><th scope=\"col\">Used</th>"
       "</tr></thead><tbody>";
  for (const auto& a : list(report, "autoconfig")) {
    w << "<tr><th scope=\"row\">" << Esc{str(a, "source")} << "<br><code>" << Esc{str(a, "url")}
      << "</code></th><td>" << Esc{str(a, "status")} << ": " << Esc{str(a, "detail")};
    if (!str(a, "parse_error").empty()) w << "; " << Esc{str(a, "parse_error")};
    w << "</td><td>" << Esc{flag(a, "used") ? "yes" : "no"} << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

void one_report(Writer& w, const json& report) {
  const auto who = str(report, "address").empty() ? str(report, "domain") : str(report, "address");
  w << "<h3>" << Esc{who} << "</h3><p class=\"meta\">" << Esc{str(report, "summary")} << "</p>";
  legs_table(w, report);
  servers_table(w, report);
  srv_table(w, report);
  autoconfig_table(w, report);
  findings_table(w, list(report, "findings"));
}

}  // namespace

void client_page(Writer& w, const std::vector<json>& reports) {
  w << "<section aria-labelledby=\"client-h\"><h2 id=\"client-h\">Mail client legs: <span "
       "id=\"client-n\">"
    << static_cast<long long>(reports.size())
    << "</span> domain(s)</h2><p class=\"meta\">From a mail client to its submission server "
       "and from the mailbox server (IMAP, POP3) back: is each leg protected?</p>";
  for (const auto& r : reports) one_report(w, r);
  w << "</section>";
}

}  // namespace intransit::report::html
