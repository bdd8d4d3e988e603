// keys_page.cpp — the explicit-encryption section (issue 21): intransit.keys/1 objects, from
// `keys` or from the `keys` member of a `check --address` document. Each address's verdict
// first, in a table (can a sender encrypt to it end to end, whatever each hop does?), then per
// address where a sender looks — WKD (draft-koch-openpgp-webkey-service), OPENPGPKEY (RFC 7929),
// SMIMEA (RFC 8162) with their DNSSEC status — what it found, and the findings.
#include <string>
#include <vector>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

struct KeysWords {
  const char* tone;
  const char* symbol;
  const char* meaning;
};

KeysWords keys_words(std::string_view verdict) {
  if (verdict == "ready-dnssec")
    return {"good", "\u2714", "A sender can encrypt end to end; DNSSEC vouches for the key."};
  if (verdict == "ready-webpki")
    return {"good", "\u2714",
            "A sender can encrypt end to end; the key server's WebPKI certificate vouches for "
            "the key."};
  if (verdict == "ready-unauthenticated")
    return {"warn", "\u26A0",
            "A sender can encrypt end to end, but nothing vouches for the key: an attacker on "
            "the path could substitute their own."};
  if (verdict == "unusable")
    return {"bad", "\u2716", "Keys are published, but a sender cannot encrypt with any of them."};
  if (verdict == "none")
    return {"none", "\u2013", "No published key: only the transport protects the content."};
  return {"none", "?", "Could not find out: a lookup failed (never taken as no key)."};
}

// "WKD (advanced): found; OPENPGPKEY: absent, DNSSEC secure; SMIMEA: absent, DNSSEC secure".
void sources_cell(Writer& w, const json& k) {
  if (!at(k, "wkd").is_object()) {
    w << Esc{str(k, "error")};
    return;
  }
  const auto& wkd = at(k, "wkd");
  w << "WKD (" << Esc{str(wkd, "method")} << "): " << Esc{str(wkd, "status")};
  for (const char* name : {"openpgpkey", "smimea"}) {
    const auto& d = at(k, name);
    w << "; " << Esc{std::string_view(name) == "openpgpkey" ? "OPENPGPKEY" : "SMIMEA"} << ": "
      << Esc{str(d, "status")} << ", DNSSEC " << Esc{str(d, "dnssec")};
  }
}

void verdict_table(Writer& w, const std::vector<json>& addresses) {
  w << "<div class=\"scroll\"><table id=\"keys\"><caption>Verdict per address</caption><thead><tr>"
       "<th scope=\"col\">Address</th><th scope=\"col\">Verdict</th>"
       "<th scope=\"col\">Where a sender looks</th></tr></thead><tbody>";
  for (const auto& k : addresses) {
    const auto verdict = str(k, "verdict");
    const auto words = keys_words(verdict);
    w << "<tr data-keys=\"" << Esc{verdict} << "\"><th scope=\"row\">" << Esc{str(k, "address")}
      << "</th><td class=\"t-" << Esc{words.tone} << "\">" << Esc{words.symbol} << " "
      << Esc{str(k, "summary")} << "</td><td>";
    sources_cell(w, k);
    w << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

void openpgp_item(Writer& w, const json& key) {
  w << "<li><code>" << Esc{str(key, "fingerprint")} << "</code> " << Esc{str(key, "algorithm")}
    << ": " << Esc{flag(key, "usable") ? "\u2714 usable" : "\u2716 not usable"} << " ("
    << Esc{str(key, "problem")} << ")";
  if (!str(key, "encryption_fingerprint").empty())
    w << "; encrypts with <code>" << Esc{str(key, "encryption_fingerprint")} << "</code>";
  for (const auto& uid : list(key, "user_ids"))
    if (uid.is_string()) w << "<br>user ID " << Esc{uid.get<std::string>()};
  w << "</li>";
}

void wkd_details(Writer& w, const json& wkd) {
  w << "<dt>Web Key Directory, " << Esc{str(wkd, "method")} << " method</dt><dd><code>"
    << Esc{str(wkd, "url")} << "</code><br>" << Esc{str(wkd, "status")} << ": "
    << Esc{str(wkd, "detail")};
  if (num(wkd, "http_status") != 0) w << " (HTTP " << num(wkd, "http_status") << ")";
  if (flag(wkd, "wildcard")) w << "<br>\u26A0 the openpgpkey host exists only via a wildcard";
  if (at(wkd, "policy_present").is_boolean())
    w << "<br>policy file " << Esc{flag(wkd, "policy_present") ? "present" : "missing"};
  if (at(wkd, "key").is_object()) {
    w << "<ul>";
    openpgp_item(w, at(wkd, "key"));
    w << "</ul>";
  }
  w << "</dd>";
}

void dns_details(Writer& w, const json& d, const char* title) {
  w << "<dt>" << Esc{title} << "</dt><dd><code>" << Esc{str(d, "owner")} << "</code><br>"
    << Esc{str(d, "status")} << " (" << Esc{str(d, "dns_status")} << ", DNSSEC "
    << Esc{str(d, "dnssec")} << ")";
  if (!str(d, "reason").empty()) w << ": " << Esc{str(d, "reason")};
  if (num(d, "malformed") > 0) w << "; " << num(d, "malformed") << " malformed record(s)";
  if (!list(d, "keys").empty() || !list(d, "certificates").empty()) {
    w << "<ul>";
    for (const auto& key : list(d, "keys")) openpgp_item(w, key);
    for (const auto& c : list(d, "certificates")) {
      w << "<li>" << Esc{str(c, "subject")} << ": "
        << Esc{flag(c, "usable") ? "\u2714 usable" : "\u2716 not usable"} << " ("
        << Esc{str(c, "problem")} << ")</li>";
    }
    w << "</ul>";
  }
  w << "</dd>";
}

void address_details(Writer& w, const json& k) {
  const auto words = keys_words(str(k, "verdict"));
  w << "<h3>" << Esc{str(k, "address")} << "</h3><p class=\"verdict t-" << Esc{words.tone} << "\">"
    << Esc{words.symbol} << " " << Esc{str(k, "summary")} << "<span class=\"says\">"
    << Esc{words.meaning} << "</span></p>";
  if (at(k, "wkd").is_object()) {
    w << "<dl>";
    wkd_details(w, at(k, "wkd"));
    dns_details(w, at(k, "openpgpkey"), "OPENPGPKEY (RFC 7929)");
    dns_details(w, at(k, "smimea"), "SMIMEA (RFC 8162)");
    w << "</dl>";
  } else {
    w << "<p>Not looked up: " << Esc{str(k, "error")} << "</p>";
  }
  findings_table(w, list(k, "findings"));
}

}  // namespace

void keys_page(Writer& w, const std::vector<json>& addresses) {
  w << "<section aria-labelledby=\"keys-h\"><h2 id=\"keys-h\">Explicit encryption: <span "
       "id=\"keys-n\">"
    << static_cast<long long>(addresses.size())
    << "</span> address(es)</h2><p class=\"meta\">Can a sender encrypt to the address end to "
       "end, so that the content is protected whatever each hop does? This is reported beside "
       "the transport verdict, never mixed into it.</p>";
  verdict_table(w, addresses);
  for (const auto& k : addresses) address_details(w, k);
  w << "</section>";
}

}  // namespace intransit::report::html
