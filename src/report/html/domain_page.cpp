// domain_page.cpp — the page of one recipient domain (an intransit.check/1 document): the verdict
// sentence first, what a passive eavesdropper and an active attacker can do, a diagram from the
// sender to every MX address with its lock state, the findings by severity with their remedy and
// RFC, then the details (MX hosts, MTA-STS, TLS-RPT, DNSSEC). DESIGN.md §3, issue 17.
#include <algorithm>
#include <string>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"
#include "report/html/vocabulary.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

struct Threat {
  const char* passive;
  const char* active;
};

Threat threats(Verdict v) {
  switch (v) {
    case Verdict::enforced:
      return {"cannot read mail: every MX offers TLS.",
              "cannot read mail from senders that honour the domain's DANE or MTA-STS policy; "
              "senders that ignore policies can still be downgraded."};
    case Verdict::opportunistic:
      return {"cannot read mail: every MX offers TLS.",
              "can strip STARTTLS or present a false certificate: most senders then deliver in "
              "plaintext or to the attacker."};
    case Verdict::partial:
      return {"can read mail that senders deliver to the MX hosts without TLS.",
              "can read mail: some MX hosts have no TLS, and the others can be downgraded."};
    case Verdict::plaintext:
      return {"can read all mail: no MX offers working TLS.", "can read and change all mail."};
    case Verdict::broken:
      return {"depends on the MX hosts (see below); the published policy fails.",
              "nothing more than without a policy, but policy-aware senders defer or bounce "
              "mail, so mail is lost or delayed."};
    case Verdict::no_mail:
      return {"nothing: the domain receives no mail.", "nothing: the domain receives no mail."};
    case Verdict::untested: break;
  }
  return {"unknown: the test did not complete.", "unknown: the test did not complete."};
}

enum class Lock { authenticated, tls, plaintext, untested };

Lock lock_state(const json& mx, const json& address, bool sts_enforce) {
  const auto outcome = str(address, "outcome");
  if (outcome == "no-starttls" || (outcome == "ok" && !flag(address, "starttls")))
    return Lock::plaintext;
  if (outcome != "ok" || !at(address, "tls").is_object()) return Lock::untested;
  const auto& cert = at(address, "certificate");
  const bool dane = flag(mx, "dane_applies") && flag(at(address, "dane"), "matched");
  const bool pkix = flag(cert, "trusted") && flag(cert, "name_matches");
  return dane || (sts_enforce && pkix) ? Lock::authenticated : Lock::tls;
}

const char* lock_words(Lock l) {
  switch (l) {
    case Lock::authenticated: return "\u2714 authenticated TLS";
    case Lock::tls: return "\u25D0 TLS, not authenticated";
    case Lock::plaintext: return "\u2716 plaintext";
    case Lock::untested: break;
  }
  return "? untested";
}

const char* lock_tone(Lock l) {
  switch (l) {
    case Lock::authenticated: return "good";
    case Lock::tls: return "fair";
    case Lock::plaintext: return "bad";
    case Lock::untested: break;
  }
  return "none";
}

constexpr std::size_t kMaxDiagramMx = 10, kMaxDiagramAddresses = 4;

void svg_text(Writer& w, double x, double y, std::string_view s, const char* cls = "") {
  w << "<text class=\"" << Esc{cls} << "\" x=\"";
  w.fixed(x, 0);
  w << "\" y=\"";
  w.fixed(y, 0);
  w << "\">" << Esc{s.size() > 40 ? std::string(s.substr(0, 39)) + "\u2026" : std::string(s)}
    << "</text>";
}

void svg_line(Writer& w, double x1, double y1, double x2, double y2) {
  w << "<line x1=\"";
  w.fixed(x1, 0);
  w << "\" y1=\"";
  w.fixed(y1, 0);
  w << "\" x2=\"";
  w.fixed(x2, 0);
  w << "\" y2=\"";
  w.fixed(y2, 0);
  w << "\"/>";
}

// One row per address (or per MX without addresses).
void path_diagram(Writer& w, const json& check, bool sts_enforce) {
  const auto& mxs = list(check, "mx");
  std::size_t rows = 0;
  for (std::size_t i = 0; i < std::min(mxs.size(), kMaxDiagramMx); ++i)
    rows +=
        std::max<std::size_t>(1, std::min(list(mxs[i], "addresses").size(), kMaxDiagramAddresses));
  if (rows == 0) return;
  const double row = 40, height = row * static_cast<double>(rows) + 10;
  w << "<div class=\"scroll\"><svg class=\"chart wide\" role=\"img\" viewBox=\"0 0 640 ";
  w.fixed(height, 0);
  w << "\" xmlns=\"http://www.w3.org/2000/svg\"><title>Paths from a sender to "
    << Esc{str(check, "domain")}
    << "</title><desc>Each MX host and address with its protection: authenticated TLS, TLS "
       "without authentication, plaintext, or untested.</desc>";
  w << "<rect class=\"box\" x=\"0\" y=\"";
  w.fixed(height / 2 - 15, 0);
  w << "\" width=\"90\" height=\"30\" rx=\"4\"/>";
  svg_text(w, 12, height / 2 + 5, "Sender");
  std::size_t r = 0;
  for (std::size_t i = 0; i < std::min(mxs.size(), kMaxDiagramMx); ++i) {
    const auto& mx = mxs[i];
    const auto& addresses = list(mx, "addresses");
    const std::size_t n =
        std::max<std::size_t>(1, std::min(addresses.size(), kMaxDiagramAddresses));
    const double mid = row * (static_cast<double>(r) + static_cast<double>(n) / 2) + 5;
    svg_line(w, 90, height / 2, 130, mid);
    w << "<rect class=\"box\" x=\"130\" y=\"";
    w.fixed(mid - 15, 0);
    w << "\" width=\"220\" height=\"30\" rx=\"4\"/>";
    svg_text(w, 138, mid + 5, str(mx, "host"));
    for (std::size_t k = 0; k < n; ++k, ++r) {
      const double y = row * static_cast<double>(r) + row / 2 + 5;
      const Lock lock =
          k < addresses.size() ? lock_state(mx, addresses[k], sts_enforce) : Lock::untested;
      svg_line(w, 350, mid, 380, y);
      svg_text(w, 386, y - 3, k < addresses.size() ? str(addresses[k], "ip") : "no address tested");
      w << "<text class=\"t-" << Esc{lock_tone(lock)} << "\" x=\"386\" y=\"";
      w.fixed(y + 13, 0);
      w << "\">" << Esc{lock_words(lock)} << "</text>";
    }
  }
  w << "</svg></div>";
}

void findings_list(Writer& w, const json& check) {
  w << "<h3>Findings</h3>";
  findings_table(w, list(check, "findings"));
}

void certificate_cell(Writer& w, const json& cert) {
  if (!cert.is_object()) return;
  const auto& chain = list(cert, "chain");
  if (!chain.empty()) w << Esc{str(chain[0], "subject")} << "<br>";
  if (flag(cert, "trusted"))
    w << "\u2714 trusted";
  else
    w << "\u2716 untrusted " << Esc{str(cert, "verify_error")};
  if (at(cert, "name_matches").is_boolean())
    w << Esc{flag(cert, "name_matches") ? "; \u2714 name matches" : "; \u2716 name mismatch"};
}

void mx_table(Writer& w, const json& check) {
  w << "<h3>MX hosts and addresses</h3><div class=\"scroll\"><table><thead><tr>"
       "<th scope=\"col\">MX host</th><th scope=\"col\">Address</th>"
       "<th scope=\"col\">Outcome</th><th scope=\"col\">TLS</th>"
       "<th scope=\"col\">Certificate</th><th scope=\"col\">DANE</th></tr></thead><tbody>";
  for (const auto& mx : list(check, "mx")) {
    for (const auto& a : list(mx, "addresses")) {
      const auto& tls = at(a, "tls");
      w << "<tr><th scope=\"row\">" << Esc{str(mx, "host")} << " <span class=\"note\">("
        << num(mx, "preference") << ")</span></th><td>" << Esc{str(a, "ip")} << "</td><td>"
        << Esc{str(a, "outcome")} << " " << Esc{str(a, "detail")} << "</td><td>"
        << Esc{str(tls, "version")} << " " << Esc{str(tls, "cipher")} << "</td><td>";
      certificate_cell(w, at(a, "certificate"));
      w << "</td><td>";
      if (!flag(mx, "dane_applies"))
        w << "not applicable";
      else
        w << Esc{flag(at(a, "dane"), "matched") ? "\u2714 matched" : "\u2716 not matched"};
      w << "</td></tr>";
    }
  }
  w << "</tbody></table></div>";
}

void policies(Writer& w, const json& check) {
  const auto& sts = at(check, "mta_sts");
  const auto& policy = at(sts, "policy");
  w << "<h3>Policies</h3><dl><dt>MTA-STS (RFC 8461)</dt><dd>";
  if (policy.is_object())
    w << "mode <strong>" << Esc{str(policy, "mode")} << "</strong>";
  else if (at(sts, "record").is_object())
    w << "record published, no valid policy";
  else
    w << "not published";
  if (!str(sts, "policy_error").empty()) w << "; " << Esc{str(sts, "policy_error")};
  if (at(sts, "fetch").is_object())
    w << "; fetch " << Esc{str(at(sts, "fetch"), "status")} << " "
      << Esc{str(at(sts, "fetch"), "detail")};
  w << "</dd><dt>TLS-RPT (RFC 8460)</dt><dd>"
    << (at(at(check, "tls_rpt"), "record").is_object() ? "\u2714 published" : "not published")
    << "</dd><dt>DNSSEC of the MX answer</dt><dd>" << Esc{str(at(check, "dnssec"), "status")}
    << "</dd></dl>";
}

}  // namespace

void domain_page(Writer& w, const json& check) {
  const auto verdict = parse_verdict(str(check, "verdict")).value_or(Verdict::untested);
  const auto summary = str(check, "summary");
  w << "<section aria-labelledby=\"domain-h\"><h2 id=\"domain-h\">" << Esc{str(check, "domain")}
    << "</h2><p class=\"verdict t-" << Esc{verdict_tone(verdict)} << "\" id=\"verdict\">";
  verdict_badge(w, verdict);
  w << "<span class=\"says\">" << Esc{summary.empty() ? verdict_meaning(verdict) : summary};
  if (!str(check, "untested_reason").empty())
    w << " (reason: " << Esc{str(check, "untested_reason")} << ")";
  w << "</span></p>";
  const Threat t = threats(verdict);
  w << "<div class=\"grid\"><div class=\"card\"><h3>A passive eavesdropper</h3><p>"
    << Esc{t.passive} << "</p></div><div class=\"card\"><h3>An active attacker</h3><p>"
    << Esc{t.active} << "</p></div></div><h3>From a sender to each mail server</h3>";
  const bool sts_enforce = str(at(at(check, "mta_sts"), "policy"), "mode") == "enforce";
  path_diagram(w, check, sts_enforce);
  findings_list(w, check);
  mx_table(w, check);
  policies(w, check);
  w << "</section>";
}

}  // namespace intransit::report::html
