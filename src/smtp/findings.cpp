// findings.cpp — see findings.hpp.
#include "smtp/findings.hpp"

#include <openssl/x509_vfy.h>

#include <set>
#include <vector>

#include "tls/rating.hpp"

namespace intransit::smtp {

namespace {

// Each id once, in the order first raised (issue 14 item 24): the dialogue raises
// smtp.bare-lf-in-reply for every reply that has one.
void drop_repeats(std::vector<FindingId>& ids) {
  std::set<FindingId> seen;
  std::vector<FindingId> kept;
  for (const auto id : ids) {
    if (seen.insert(id).second) kept.push_back(id);
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
  if (r.outcome == ProbeOutcome::no_starttls) f.push_back(FindingId::starttls_missing);
  if (r.outcome == ProbeOutcome::starttls_refused) f.push_back(FindingId::starttls_refused);
  if (!r.tls || r.tls->chain.empty()) return;  // nothing negotiated, or handshake-only facts

  const auto& t = *r.tls;
  const auto version_rating = tls::rate_version(t.version);
  if (version_rating == tls::Rating::phase_out || version_rating == tls::Rating::insufficient) {
    f.push_back(FindingId::tls_obsolete_version);
  }
  if (!t.forward_secrecy) f.push_back(FindingId::tls_no_forward_secrecy);

  const auto& v = t.verification;
  if (!v.trusted) {
    switch (v.error_code) {
      case X509_V_ERR_CERT_HAS_EXPIRED: f.push_back(FindingId::cert_expired); break;
      case X509_V_ERR_CERT_NOT_YET_VALID: f.push_back(FindingId::cert_not_yet_valid); break;
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: f.push_back(FindingId::cert_self_signed); break;
      case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        f.push_back(FindingId::cert_chain_too_long);
        break;  // RELIABILITY 59
      default: f.push_back(FindingId::cert_untrusted); break;
    }
  }
  if (v.name_matches.has_value() && !*v.name_matches) f.push_back(FindingId::cert_name_mismatch);
}

}  // namespace

}  // namespace intransit::smtp
