// evaluate_mtasts.cpp — see evaluate_mtasts.hpp.
#include "check/evaluate_mtasts.hpp"

#include <algorithm>

#include "check/evaluate_transport.hpp"
#include "check/evidence.hpp"

namespace intransit::check {
namespace {

// The policy in force, or nothing (with the finding that says why).
const policy::StsPolicy* usable_policy(const DomainFacts& f, Findings& out) {
  const auto& s = f.mta_sts;
  if (!s.txt.conclusive()) return nullptr;  // evaluate_domain_records() reported it
  if (!s.record_error.empty()) {
    add(out, FindingId::mtasts_record_invalid, domain_scope(), s.record_error);
    return nullptr;
  }
  if (!s.record) {
    add(out, FindingId::mtasts_none, domain_scope(),
        "no v=STSv1 TXT record at _mta-sts." + f.domain);
    return nullptr;
  }
  if (s.fetch && s.fetch->status != FetchStatus::ok) {
    add(out, FindingId::mtasts_policy_fetch, domain_scope(),
        s.fetch->url + ": " + std::string(to_string(s.fetch->status)) + ": " + s.fetch->detail);
    return nullptr;
  }
  if (!s.policy) {
    add(out, FindingId::mtasts_policy_invalid, domain_scope(), s.policy_error);
    return nullptr;
  }
  if (s.policy->mode == policy::StsMode::none) {
    add(out, FindingId::mtasts_mode_none, domain_scope(), "mode: none");
    return nullptr;
  }
  return &*s.policy;
}

struct HostCheck {
  bool failed = false;
  std::size_t valid = 0;  // addresses with a valid certificate for the host's name
};

// One probed MX host against the policy (RFC 8461 §4.1, §4.2).
HostCheck check_host(const MxFacts& mx, const policy::StsPolicy& policy, Severity sev,
                     Findings& out) {
  HostCheck r;
  const bool match =
      std::any_of(policy.mx.begin(), policy.mx.end(),
                  [&](const std::string& pattern) { return policy::mx_matches(pattern, mx.host); });
  if (!match) {
    std::string patterns;
    for (const auto& p : policy.mx) patterns += (patterns.empty() ? "" : ", ") + p;
    add(out, FindingId::mtasts_mx_mismatch, mx_scope(mx.host),
        mx.host + " matches none of the policy's mx patterns (" + patterns + ")", sev);
    r.failed = true;
  }
  for (const auto& p : mx.probes) {
    const std::string scope = ip_scope(mx.host, p.address);
    const auto state = address_state(p);
    if (state == AddressState::plaintext) {
      add(out, FindingId::mtasts_starttls_missing, scope, outcome_evidence(p), sev);
      r.failed = true;
    } else if (state == AddressState::tls) {
      const auto& v = p.tls->verification;
      if (v.trusted && v.name_matches.value_or(false)) {
        ++r.valid;
      } else {
        add(out, FindingId::mtasts_cert_invalid, scope, certificate_evidence(*p.tls), sev);
        r.failed = true;
      }
    }
  }
  return r;
}

}  // namespace

StsResult evaluate_mta_sts(const DomainFacts& f, Findings& out) {
  const policy::StsPolicy* policy = usable_policy(f, out);
  if (policy == nullptr) {
    // Not fetched because serve refuses the address: whether it would hold is not known.
    const bool refused = f.mta_sts.fetch && f.mta_sts.fetch->status == FetchStatus::not_permitted;
    return refused ? StsResult::not_permitted : StsResult::none;
  }
  if (policy->mode == policy::StsMode::testing)
    add(out, FindingId::mtasts_testing, domain_scope(), "mode: testing");
  if (policy->max_age < 86400)
    add(out, FindingId::mtasts_max_age_short, domain_scope(),
        "max_age: " + std::to_string(policy->max_age));
  const bool enforce = policy->mode == policy::StsMode::enforce;
  const auto sev = enforce ? Severity::critical : Severity::low;
  bool failed = false;
  std::size_t valid = 0;
  for (const auto& mx : f.mx) {
    if (!mx.probed) continue;
    const HostCheck host = check_host(mx, *policy, sev, out);
    failed = failed || host.failed;
    valid += host.valid;
  }
  if (!enforce) return StsResult::none;
  if (failed) return StsResult::fails;
  return valid > 0 ? StsResult::holds : StsResult::unproven;
}

}  // namespace intransit::check
