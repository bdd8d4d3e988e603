// precedence.cpp — see precedence.hpp. One function per stage, in the order of the precedence.
#include "check/precedence.hpp"

namespace intransit::check {

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::enforced: return "enforced";
    case Verdict::opportunistic: return "opportunistic";
    case Verdict::partial: return "partial";
    case Verdict::plaintext: return "plaintext";
    case Verdict::broken: return "broken";
    case Verdict::no_mail: return "no-mail";
    case Verdict::untested: return "untested";
  }
  return "?";
}

std::string_view to_string(Enforcer enforcer) {
  switch (enforcer) {
    case Enforcer::dane: return "dane";
    case Enforcer::mta_sts: return "mta-sts";
  }
  return "?";
}

bool dane_enforces(const DaneResult& dane) {
  return dane.coverage == DaneCoverage::every_host && !dane.mismatch && !dane.unusable &&
         dane.matched;
}

namespace {

Decision make(Verdict verdict, Rule rule, std::optional<UntestedReason> reason = std::nullopt) {
  Decision d;
  d.verdict = verdict;
  d.rule = rule;
  d.untested_reason = reason;
  return d;
}

// The MX RRset by itself.
std::optional<Decision> gate(DnsGate g) {
  switch (g) {
    case DnsGate::usable: return std::nullopt;
    case DnsGate::no_network:
      return make(Verdict::untested, Rule::no_network, UntestedReason::no_network);
    case DnsGate::mx_bogus: return make(Verdict::broken, Rule::mx_bogus);
    case DnsGate::mx_lookup_failed:
      return make(Verdict::untested, Rule::mx_lookup_failed, UntestedReason::dns_failure);
    case DnsGate::nxdomain: return make(Verdict::no_mail, Rule::nxdomain);
    case DnsGate::null_mx: return make(Verdict::no_mail, Rule::null_mx);
    case DnsGate::implicit_lookup_failed:
      return make(Verdict::untested, Rule::implicit_lookup_failed, UntestedReason::dns_failure);
    case DnsGate::implicit_no_address: return make(Verdict::no_mail, Rule::implicit_no_address);
  }
  return std::nullopt;
}

// A published policy that fails: policy-aware senders defer or bounce. DANE takes precedence
// over MTA-STS (RFC 8461 §2): a failing enforce policy does not break a domain DANE enforces.
std::optional<Decision> broken(const Evaluation& e) {
  if (e.hosts.bogus) return make(Verdict::broken, Rule::hosts_bogus);
  if (e.dane.mismatch) return make(Verdict::broken, Rule::dane_mismatch);
  if (e.sts == StsResult::fails && !dane_enforces(e.dane))
    return make(Verdict::broken, Rule::sts_fails);
  return std::nullopt;
}

// Nothing or not enough found out. A failed lookup is never read as "no record".
std::optional<Decision> unknown(const Evaluation& e) {
  const auto& t = e.transport;
  if (t.tls + t.plaintext == 0) {
    if (e.hosts.without_address == e.hosts.probed && !e.hosts.address_lookup_failed)
      return make(Verdict::no_mail, Rule::no_address);
    return make(Verdict::untested, Rule::nothing_tested,
                e.hosts.address_lookup_failed ? UntestedReason::dns_failure : t.untested_reason);
  }
  if (e.dane.lookup_failed)
    return make(Verdict::untested, Rule::tlsa_lookup_failed, UntestedReason::dns_failure);
  // The policy might hold or fail: not knowing is not "no MTA-STS" (unless DANE decides).
  if (e.sts == StsResult::not_permitted && !dane_enforces(e.dane))
    return make(Verdict::untested, Rule::sts_not_permitted, UntestedReason::not_permitted);
  return std::nullopt;
}

std::optional<Decision> enforced(const Evaluation& e) {
  Decision d = make(Verdict::enforced, Rule::enforced);
  if (dane_enforces(e.dane)) d.enforced_by.push_back(Enforcer::dane);
  if (e.sts == StsResult::holds) d.enforced_by.push_back(Enforcer::mta_sts);
  if (d.enforced_by.empty()) return std::nullopt;
  return d;
}

// What plain STARTTLS gives.
Decision transport(const Evaluation& e) {
  const auto& t = e.transport;
  if (t.plaintext == 0) {
    // RFC 7672 §2.2: with a secure TLSA RRset whose records are all unusable, a DANE sender
    // still insists on (unauthenticated) TLS, so stripping STARTTLS gets no plaintext from it.
    const bool dane_insists = e.dane.unusable && e.dane.coverage == DaneCoverage::every_host;
    return make(Verdict::opportunistic,
                dane_insists ? Rule::opportunistic_dane_unusable : Rule::opportunistic);
  }
  if (t.tls == 0) return make(Verdict::plaintext, Rule::plaintext);
  return make(Verdict::partial, Rule::partial);
}

}  // namespace

Decision decide(const Evaluation& e) {
  if (auto d = gate(e.gate)) return *d;
  if (auto d = broken(e)) return *d;
  if (auto d = unknown(e)) return *d;
  if (auto d = enforced(e)) return *d;
  return transport(e);
}

}  // namespace intransit::check
