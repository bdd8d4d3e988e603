// outbound_page.cpp — the page of a sending server's own deliveries (intransit.outbound/1
// summary records): how many deliveries were verified TLS, unverified TLS, plaintext or unknown,
// and the same per destination domain. Delivery records are counted, not listed.
#include <string>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"
#include "report/html/svg.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDomainsListed = 500;

void summary_section(Writer& w, const json& sum) {
  const auto& by = at(sum, "by_protection");
  share_bar(w, "Deliveries by protection",
            "Deliveries verified over TLS, over TLS without verification, in plaintext, unknown.",
            {{"verified TLS", num(by, "verified"), "good", "\u2714"},
             {"TLS, not verified", num(by, "encrypted_unverified"), "fair", "\u25D0"},
             {"plaintext", num(by, "plaintext"), "bad", "\u2716"},
             {"unknown", num(by, "unknown"), "none", "?"}});
  w << "<div class=\"scroll\"><table><caption>By destination domain</caption><thead><tr>"
       "<th scope=\"col\">Domain</th><th scope=\"col\" class=\"n\">Deliveries</th>"
       "<th scope=\"col\" class=\"n\">\u2714 verified</th><th scope=\"col\" class=\"n\">\u25D0 "
       "not verified</th><th scope=\"col\" class=\"n\">\u2716 plaintext</th>"
       "<th scope=\"col\" class=\"n\">? unknown</th></tr></thead><tbody>";
  const auto& domains = list(sum, "domains");
  for (std::size_t i = 0; i < std::min(domains.size(), kMaxDomainsListed); ++i) {
    const auto& d = domains[i];
    w << "<tr><th scope=\"row\">" << Esc{str(d, "domain")} << "</th><td class=\"n\">"
      << num(d, "deliveries") << "</td><td class=\"n\">" << num(d, "verified")
      << "</td><td class=\"n\">" << num(d, "encrypted_unverified") << "</td><td class=\"n\">"
      << num(d, "plaintext") << "</td><td class=\"n\">" << num(d, "unknown") << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

}  // namespace

void outbound_page(Writer& w, const std::vector<json>& documents) {
  long long deliveries = 0;
  for (const auto& d : documents) deliveries += str(d, "record") == "delivery";
  w << "<section aria-labelledby=\"out-h\"><h2 id=\"out-h\">Outbound deliveries</h2>"
       "<p class=\"meta\">"
    << deliveries << " delivery records read.</p>";
  for (const auto& d : documents)
    if (str(d, "record") == "summary") summary_section(w, d);
  w << "</section>";
}

}  // namespace intransit::report::html
