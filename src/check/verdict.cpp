// verdict.cpp — see verdict.hpp. The walk over the facts: the evaluators in the order their
// findings are listed (domain records, MX RRset, then per MX host its DNS, DANE records and
// addresses, then MTA-STS), their results folded into one Evaluation, the precedence's decision
// and its summary sentence.
#include "check/verdict.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "check/evaluate_dane.hpp"
#include "check/evaluate_dns.hpp"
#include "check/evaluate_mtasts.hpp"
#include "check/evidence.hpp"
#include "core/limits.hpp"

namespace intransit::check {
namespace {

// The results of one domain's walk, folded as the evaluators return them.
struct Walk {
  Evaluation e;
  Findings findings;
  std::size_t dane_hosts = 0;
  std::set<std::string> dane_unusable_noted;
  std::vector<ProbeOutcome> untested_outcomes;
};

void address(Walk& w, const MxFacts& mx, std::size_t i) {
  const auto& p = mx.probes[i];
  const AddressState state = evaluate_address(mx, p, w.findings);
  count(w.e.transport, state);
  if (state == AddressState::untested) w.untested_outcomes.push_back(p.outcome);
  fold(w.e.dane, evaluate_dane_address(mx, p, state, w.dane_unusable_noted, w.findings));
  if (i < mx.sweeps.size()) evaluate_sweep(mx, p, mx.sweeps[i], w.findings);
}

void host(Walk& w, const MxFacts& mx, bool mx_secure) {
  if (!mx.probed) {
    add(w.findings, FindingId::mx_not_probed, mx_scope(mx.host),
        "more than " + std::to_string(limits::kMxHostsProbed) +
            " MX hosts; this one was not tested");
    return;
  }
  fold(w.e.hosts, evaluate_host_dns(mx, w.findings));
  switch (evaluate_dane_host(mx, mx_secure, w.findings)) {
    case DaneHost::bogus: w.e.hosts.bogus = true; break;
    case DaneHost::lookup_failed: w.e.dane.lookup_failed = true; break;
    case DaneHost::applies: ++w.dane_hosts; break;
    case DaneHost::none:
    case DaneHost::insecure: break;
  }
  for (std::size_t i = 0; i < mx.probes.size(); ++i) address(w, mx, i);
}

void walk(Walk& w, const DomainFacts& f) {
  if (!f.no_network.empty()) {
    add(w.findings, FindingId::dns_no_network, domain_scope(), f.no_network);
    w.e.gate = DnsGate::no_network;
    return;
  }
  evaluate_domain_records(f, w.findings);
  w.e.gate = evaluate_mx_rrset(f, w.findings);
  if (w.e.gate != DnsGate::usable) return;
  const bool mx_secure = f.mx_answer.security == dns::Security::secure;
  for (const auto& mx : f.mx) host(w, mx, mx_secure);
  w.e.sts = evaluate_mta_sts(f, w.findings);
  w.e.dane.coverage = dane_coverage(w.dane_hosts, w.e.hosts.probed);
  w.e.transport.untested_reason = untested_reason_of(w.untested_outcomes);
}

std::string could_not(const std::string& domain, std::string_view why) {
  return "Could not find out whether mail to " + domain + " is protected: " + std::string(why) +
         ".";
}

std::string enforced_summary(const std::string& d, const std::vector<Enforcer>& by) {
  const std::string words = by.size() == 2                 ? "DANE and MTA-STS"
                            : by.front() == Enforcer::dane ? "DANE"
                                                           : "MTA-STS";
  return "Mail to " + d + " is protected: senders that check " + words +
         " must use authenticated TLS, and every mail server tested passes.";
}

// The summary of a verdict decided by the MX RRset alone.
std::string gate_summary(const Decision& decision, const DomainFacts& f) {
  const std::string& d = f.domain;
  switch (decision.rule) {
    case Rule::no_network:
      return "Could not check " + d + ": this machine got no answer from any nameserver (" +
             f.no_network +
             "). Check its network connection and that DNS (UDP and TCP port 53) may leave it, "
             "or use --resolver with a resolver it can reach.";
    case Rule::mx_bogus:
      return "Mail to " + d +
             " cannot be delivered by validating senders: its MX records fail DNSSEC validation "
             "(" +
             f.mx_answer.why + ").";
    case Rule::mx_lookup_failed:
      return could_not(
          d, "the MX lookup failed (" + std::string(dns::to_string(f.mx_answer.status)) + ")");
    case Rule::nxdomain: return d + " does not exist in the DNS (NXDOMAIN): it receives no mail.";
    case Rule::null_mx: return d + " accepts no mail: it publishes a null MX (RFC 7505).";
    case Rule::implicit_lookup_failed:
      return could_not(d, "it has no MX record and its address lookup failed");
    case Rule::implicit_no_address:
      return d + " has no MX record and no address: it receives no mail.";
    default: return "";
  }
}

// The summary of a verdict decided after looking at the MX hosts.
std::string host_summary(const Decision& decision, const DomainFacts& f, const TransportTally& t) {
  const std::string& d = f.domain;
  switch (decision.rule) {
    case Rule::hosts_bogus:
      return "Mail to " + d +
             " cannot be delivered by validating senders: DNSSEC validation fails for its mail "
             "hosts.";
    case Rule::dane_mismatch:
      return "Mail to " + d +
             " will be deferred by DANE-aware senders: a mail server does not match its published "
             "TLSA records.";
    case Rule::sts_fails:
      return "Mail to " + d +
             " will be refused by MTA-STS senders: its enforce policy does not hold on every mail "
             "server.";
    case Rule::no_address:
      return "Mail to " + d + " cannot be delivered: none of its MX hosts has an address.";
    case Rule::nothing_tested: return could_not(d, summary_words(*decision.untested_reason));
    case Rule::tlsa_lookup_failed: return could_not(d, "a TLSA lookup in its signed zone failed");
    case Rule::sts_not_permitted:
      return could_not(d,
                       "its MTA-STS policy host's addresses are ones this service will not "
                       "connect to");
    case Rule::enforced: return enforced_summary(d, decision.enforced_by);
    case Rule::opportunistic_dane_unusable:
      return "Mail to " + d +
             " is encrypted but not authenticated: DANE senders insist on TLS (its TLSA records "
             "are unusable), so an attacker cannot strip it for them, but can impersonate the "
             "server; other senders can be stripped to plaintext.";
    case Rule::opportunistic:
      return "Mail to " + d +
             " is encrypted but not authenticated: an attacker on the path can strip STARTTLS and "
             "read it.";
    case Rule::plaintext:
      return "Mail to " + d + " travels in plaintext: anyone on the path can read it.";
    case Rule::partial:
      return "Mail to " + d +
             " is encrypted only on some of its mail servers: " + std::to_string(t.plaintext) +
             " of " + std::to_string(t.tls + t.plaintext) + " addresses take mail in plaintext.";
    default: return gate_summary(decision, f);
  }
}

// One finding per id and scope, with how often it was seen (issue 14 item 24): a server that
// sends bare LFs in every reply is one finding, not three. Then most severe first.
Findings merged_and_sorted(Findings findings) {
  std::map<std::pair<FindingId, std::string>, std::size_t> first;
  Findings kept;
  for (auto& f : findings) {
    const auto [it, fresh] = first.try_emplace({f.id, f.scope}, kept.size());
    if (fresh) {
      kept.push_back(std::move(f));
    } else {
      kept[it->second].count += f.count;
    }
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Finding& x, const Finding& y) { return x.severity > y.severity; });
  return kept;
}

}  // namespace

std::vector<Finding> probe_findings(const smtp::ProbeResult& probe, const std::string& scope) {
  std::vector<Finding> out;
  for (const auto id : probe.findings)
    out.push_back(make_finding(id, scope, probe_evidence(probe, id)));
  return out;
}

Assessment assess(const DomainFacts& facts) {
  Walk w;
  walk(w, facts);
  const Decision decision = decide(w.e);
  Assessment a;
  a.verdict = decision.verdict;
  a.enforced_by = decision.enforced_by;
  a.untested_reason = decision.untested_reason;
  a.summary = host_summary(decision, facts, w.e.transport);
  a.findings = merged_and_sorted(std::move(w.findings));
  a.addresses = w.e.transport.addresses;
  a.addresses_tls = w.e.transport.tls;
  a.addresses_plaintext = w.e.transport.plaintext;
  a.addresses_untested = w.e.transport.untested;
  return a;
}

}  // namespace intransit::check
