// findings.cpp — see findings.hpp.
#include "smtp/findings.hpp"

#include <openssl/x509_vfy.h>

#include <set>
#include <string>
#include <vector>

#include "tls/rating.hpp"

namespace intransit::smtp {

namespace {

// Each id once, in the order first raised (issue 14 item 24): the dialogue raises
// smtp.bare-lf-in-reply for every reply that has one.
void drop_repeats(std::vector<std::string>& ids) {
  std::set<std::string> seen;
  std::vector<std::string> kept;
  for (auto& id : ids) {
    if (seen.insert(id).second) kept.push_back(std::move(id));
  }
  ids = std::move(kept);
}

void add_facts(ProbeResult& r);

}  // namespace

void add_fact_findings(ProbeResult& r) {
  add_facts(r);
  drop_repeats(r.findings);
}

namespace {

void add_facts(ProbeResult& r) {
  auto& f = r.findings;
  if (r.outcome == ProbeOutcome::no_starttls) f.emplace_back("starttls.missing");
  if (r.outcome == ProbeOutcome::starttls_refused) f.emplace_back("starttls.refused");
  if (!r.tls || r.tls->chain.empty()) return;  // nothing negotiated, or handshake-only facts

  const auto& t = *r.tls;
  const auto version_rating = tls::rate_version(t.version);
  if (version_rating == tls::Rating::phase_out || version_rating == tls::Rating::insufficient) {
    f.emplace_back("tls.obsolete-version");
  }
  if (!t.forward_secrecy) f.emplace_back("tls.no-forward-secrecy");

  const auto& v = t.verification;
  if (!v.trusted) {
    switch (v.error_code) {
      case X509_V_ERR_CERT_HAS_EXPIRED: f.emplace_back("cert.expired"); break;
      case X509_V_ERR_CERT_NOT_YET_VALID: f.emplace_back("cert.not-yet-valid"); break;
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: f.emplace_back("cert.self-signed"); break;
      case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        f.emplace_back("cert.chain-too-long");
        break;  // RELIABILITY 59
      default: f.emplace_back("cert.untrusted"); break;
    }
  }
  if (v.name_matches.has_value() && !*v.name_matches) f.emplace_back("cert.name-mismatch");
}

}  // namespace

}  // namespace intransit::smtp
