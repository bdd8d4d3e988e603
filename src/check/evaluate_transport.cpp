// evaluate_transport.cpp — see evaluate_transport.hpp.
#include "check/evaluate_transport.hpp"

#include <algorithm>

#include "check/evidence.hpp"
#include "tls/rating.hpp"

namespace intransit::check {

AddressState address_state(const smtp::ProbeResult& p) {
  switch (p.outcome) {
    case ProbeOutcome::ok: return p.tls ? AddressState::tls : AddressState::plaintext;
    // A sender that meets these falls back to plaintext (or gives up, if it insists on TLS).
    case ProbeOutcome::no_starttls:
    case ProbeOutcome::starttls_refused:
    case ProbeOutcome::tls_handshake_failed: return AddressState::plaintext;
    default: return AddressState::untested;
  }
}

AddressState evaluate_address(const MxFacts& mx, const smtp::ProbeResult& p, Findings& out) {
  const std::string scope = ip_scope(mx.host, p.address);
  const AddressState state = address_state(p);
  if (state == AddressState::untested) add(out, FindingId::mx_untested, scope, outcome_evidence(p));
  if (p.outcome == ProbeOutcome::tls_handshake_failed)
    add(out, FindingId::tls_handshake_failed, scope, p.detail);
  for (const auto id : p.findings) add(out, id, scope, probe_evidence(p, id));
  if (p.capabilities_tls && p.capabilities_tls->has("REQUIRETLS"))
    add(out, FindingId::smtp_requiretls, scope, "REQUIRETLS in the EHLO reply after STARTTLS");
  return state;
}

namespace {

// The suites the server accepts with `rating`, per version (issue 14 item 15), or "".
std::string suites_rated(const smtp::SweepResult& sweep, tls::Rating rating) {
  std::string found;
  for (const auto& v : sweep.versions) {
    std::string names;
    for (const auto& c : v.ciphers) {
      if (c.rating == rating) names += (names.empty() ? "" : ", ") + c.name;
    }
    if (!names.empty()) found += (found.empty() ? "" : "; ") + v.version + ": " + names;
  }
  return found;
}

}  // namespace

void evaluate_sweep(const MxFacts& mx, const smtp::ProbeResult& p, const smtp::SweepResult& sweep,
                    Findings& out) {
  const std::string scope = ip_scope(mx.host, p.address);
  // A server that picks TLS 1.3 for us may still accept TLS 1.0 from an old or downgraded sender.
  std::string obsolete;
  for (const auto& v : sweep.versions) {
    if ((v.version == "TLSv1.0" || v.version == "TLSv1.1") && v.supported.value_or(false))
      obsolete += (obsolete.empty() ? "" : ", ") + v.version;
  }
  const bool already = std::find(p.findings.begin(), p.findings.end(),
                                 FindingId::tls_obsolete_version) != p.findings.end();
  if (!obsolete.empty() && !already)
    add(out, FindingId::tls_obsolete_version, scope, "accepts " + obsolete + " (sweep)");
  if (auto found = suites_rated(sweep, tls::Rating::insufficient); !found.empty())
    add(out, FindingId::tls_suite_insufficient, scope, "accepts " + found + " (sweep)");
  if (auto found = suites_rated(sweep, tls::Rating::phase_out); !found.empty())
    add(out, FindingId::tls_suite_phase_out, scope, "accepts " + found + " (sweep)");
}

void count(TransportTally& tally, AddressState state) {
  ++tally.addresses;
  switch (state) {
    case AddressState::tls: ++tally.tls; break;
    case AddressState::plaintext: ++tally.plaintext; break;
    case AddressState::untested: ++tally.untested; break;
  }
}

UntestedReason untested_reason_of(const std::vector<ProbeOutcome>& outcomes) {
  const auto all = [&](auto pred) { return std::all_of(outcomes.begin(), outcomes.end(), pred); };
  if (outcomes.empty()) return UntestedReason::no_address_tested;
  if (all([](ProbeOutcome o) { return o == ProbeOutcome::not_permitted; }))
    return UntestedReason::not_permitted;
  if (all([](ProbeOutcome o) { return o == ProbeOutcome::rate_limited; }))
    return UntestedReason::rate_limited;
  if (all([](ProbeOutcome o) { return o == ProbeOutcome::rejected; }))
    return UntestedReason::rejected;
  if (all([](ProbeOutcome o) {
        return o == ProbeOutcome::connect_refused || o == ProbeOutcome::connect_timeout ||
               o == ProbeOutcome::connect_failed;
      }))
    return UntestedReason::unreachable;
  if (all([](ProbeOutcome o) {
        return o == ProbeOutcome::banner_timeout || o == ProbeOutcome::reply_deadline;
      }))
    return UntestedReason::tarpit;
  return UntestedReason::protocol_error;
}

}  // namespace intransit::check
