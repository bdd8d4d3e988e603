// verify.cpp — see verify.hpp. Domains are re-tested one after another (each audit probes its
// MX addresses concurrently already); every await goes into a local first (GCC 12, STYLE.md).
#include "tlsrpt/verify.hpp"

#include <openssl/x509_vfy.h>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/limits.hpp"
#include "core/outcome.hpp"
#include "policy/mtasts.hpp"

namespace intransit::tlsrpt {
namespace {

namespace asio = boost::asio;

// One observation towards a verdict: a failing, a passing or an untestable fact.
struct Seen {
  RetestState state;
  std::string words;
};

// Many observations to one verdict: any failure wins; else anything untested; else it passed.
Verdict combine(Target target, Retest retest, const std::vector<Seen>& seen,
                std::vector<std::string> checks) {
  Verdict v{std::move(target), retest, RetestState::could_not_test, {}, std::move(checks)};
  if (seen.empty()) {
    v.now = "nothing to re-test was found";
    return v;
  }
  for (auto state : {RetestState::still_failing, RetestState::could_not_test,
                     RetestState::no_longer_reproduces}) {
    std::string words;
    for (const auto& s : seen) {
      if (s.state == state) words += (words.empty() ? "" : "; ") + s.words;
    }
    if (!words.empty()) {
      v.state = state;
      v.now = words;
      return v;
    }
  }
  return v;
}

bool untestable(check::FetchStatus s) {
  using check::FetchStatus;
  return s == FetchStatus::dns_failed || s == FetchStatus::timeout ||
         s == FetchStatus::connect_failed || s == FetchStatus::not_permitted;
}

// The MX facts for the host a failure names; null when it is not among the domain's MX now.
const check::MxFacts* find_mx(const check::DomainFacts& facts, const std::string& host) {
  for (const auto& m : facts.mx) {
    if (m.host == host) return &m;
  }
  return nullptr;
}

std::string address_of(const smtp::ProbeResult& p) {
  return p.address;
}

Seen probe_seen(ResultType type, const smtp::ProbeResult& p) {
  const std::string at = address_of(p) + ": ";
  if (p.outcome == ProbeOutcome::no_starttls || (p.outcome == ProbeOutcome::ok && !p.tls))
    return {RetestState::still_failing, at + "STARTTLS is not offered"};
  if (p.outcome == ProbeOutcome::starttls_refused)
    return {RetestState::still_failing, at + "STARTTLS is refused (" + p.detail + ")"};
  if (p.outcome == ProbeOutcome::tls_handshake_failed)
    return {RetestState::still_failing, at + "the TLS handshake fails (" + p.detail + ")"};
  if (p.outcome != ProbeOutcome::ok || !p.tls)
    return {RetestState::could_not_test,
            at + std::string(to_string(p.outcome)) + (p.detail.empty() ? "" : " " + p.detail)};
  const auto& v = p.tls->verification;
  const bool name_bad = v.name_matches.has_value() && !*v.name_matches;
  const bool dane_bad = p.tls->dane.has_value() && !p.tls->dane->matched;
  const std::string tls_ok = at + "STARTTLS works (" + p.tls->version + ")";
  switch (type) {
    case ResultType::certificate_host_mismatch:
      if (name_bad)
        return {RetestState::still_failing, at + "the certificate does not name " + v.checked_name};
      return {RetestState::no_longer_reproduces, tls_ok + ", the certificate names the MX"};
    case ResultType::certificate_expired:
      if (v.error_code == X509_V_ERR_CERT_HAS_EXPIRED)
        return {RetestState::still_failing, at + "the certificate has expired"};
      return {RetestState::no_longer_reproduces, tls_ok + ", the certificate has not expired"};
    case ResultType::certificate_not_trusted:
      if (!v.trusted)
        return {RetestState::still_failing, at + "the certificate is not trusted: " + v.error};
      return {RetestState::no_longer_reproduces, tls_ok + ", the certificate chain is trusted"};
    case ResultType::validation_failure:
      if (!v.trusted || name_bad || dane_bad) {
        return {RetestState::still_failing, at + "the certificate does not validate: " +
                                                (dane_bad   ? "no TLSA record matches"
                                                 : name_bad ? "it does not name " + v.checked_name
                                                            : v.error)};
      }
      return {RetestState::no_longer_reproduces, tls_ok + ", the certificate validates"};
    default: return {RetestState::no_longer_reproduces, tls_ok};
  }
}

// DANE facts of one MX host (RFC 7672 §2.2: TLSA usable only from a DNSSEC-secure lookup).
std::vector<Seen> dane_seen(ResultType type, const check::MxFacts& m) {
  const auto& tlsa = m.tlsa_answer;
  const std::string at = m.host + ": ";
  for (const dns::Answer* a : {&tlsa, &m.addresses.a, &m.addresses.aaaa}) {
    if (a->security == dns::Security::bogus)
      return {{RetestState::still_failing, at + "DNSSEC validation fails for " + a->name + " " +
                                               std::string(dns::to_string(a->type)) + " (" +
                                               a->why + ")"}};
  }
  if (!tlsa.conclusive())
    return {{RetestState::could_not_test,
             at + "TLSA lookup " + std::string(dns::to_string(tlsa.status)) + " " + tlsa.why}};
  if (type == ResultType::dnssec_invalid)
    return {{RetestState::no_longer_reproduces, at + "the TLSA and address lookups validate (" +
                                                    std::string(dns::to_string(tlsa.security)) +
                                                    ")"}};
  if (!m.tlsa_error.empty())
    return {{RetestState::still_failing, at + "a TLSA record is malformed: " + m.tlsa_error}};
  if (!m.dane_applies) {
    return {
        {RetestState::no_longer_reproduces,
         at + "DANE does not apply now (" +
             (m.tlsa.empty() ? std::string("no TLSA records") : "TLSA records not DNSSEC-secure") +
             ")"}};
  }
  std::vector<Seen> out;
  for (const auto& p : m.probes) {
    const std::string pat = p.address + ": ";
    if (p.outcome == ProbeOutcome::no_starttls || p.outcome == ProbeOutcome::starttls_refused) {
      out.push_back({RetestState::still_failing, pat + "DANE requires STARTTLS, which fails"});
    } else if (p.outcome == ProbeOutcome::tls_handshake_failed) {
      out.push_back(
          {RetestState::still_failing, pat + "the TLS handshake fails (" + p.detail + ")"});
    } else if (p.outcome != ProbeOutcome::ok || !p.tls) {
      out.push_back({RetestState::could_not_test, pat + std::string(to_string(p.outcome))});
    } else if (!p.tls->dane) {
      out.push_back(
          {RetestState::still_failing, pat + "no usable TLSA record: " + p.tls->dane_error});
    } else if (!p.tls->dane->matched) {
      out.push_back({RetestState::still_failing,
                     pat + "no TLSA record matches the certificate chain" +
                         (p.tls->dane->error.empty() ? "" : " (" + p.tls->dane->error + ")")});
    } else {
      out.push_back({RetestState::no_longer_reproduces,
                     pat + "the chain matches TLSA " + p.tls->dane->matched_record});
    }
  }
  return out;
}

std::string fetch_words(const check::PolicyFetch& f) {
  return f.url + (f.address.empty() ? "" : " (" + f.address + ")") + ": " + f.detail;
}

}  // namespace

Verdict judge_policy(Target target, const check::DomainFacts& facts,
                     const std::vector<check::PolicyFetch>& fetches) {
  const auto& sts = facts.mta_sts;
  std::vector<std::string> checks;
  if (!sts.txt.conclusive()) {
    return combine(std::move(target), Retest::policy_fetch,
                   {{RetestState::could_not_test, "_mta-sts." + facts.domain + " TXT lookup " +
                                                      std::string(dns::to_string(sts.txt.status)) +
                                                      " " + sts.txt.why}},
                   std::move(checks));
  }
  if (!sts.record) {
    return combine(std::move(target), Retest::policy_fetch,
                   {{RetestState::no_longer_reproduces,
                     "no usable _mta-sts record now, so no MTA fetches a policy" +
                         (sts.record_error.empty() ? "" : " (" + sts.record_error + ")")}},
                   std::move(checks));
  }
  std::vector<Seen> seen;
  std::size_t families_without_address = 0;
  for (const auto& f : fetches) {
    checks.push_back("fetched " + fetch_words(f));
    if (f.status == check::FetchStatus::no_address &&
        f.detail.find("has no IPv") != std::string::npos) {
      ++families_without_address;  // the host has no address of this family: nothing to fetch
      continue;
    }
    if (untestable(f.status)) {
      seen.push_back({RetestState::could_not_test, fetch_words(f)});
    } else if (f.status != check::FetchStatus::ok) {
      seen.push_back({RetestState::still_failing, fetch_words(f)});
    } else {
      std::string error;
      const auto policy = policy::parse_sts_policy(f.body, error);
      if (!policy) {
        seen.push_back(
            {RetestState::still_failing, f.url + ": the policy does not parse: " + error});
      } else {
        seen.push_back({RetestState::no_longer_reproduces,
                        f.url + " (" + f.address + ") is fetched and parses"});
      }
    }
  }
  if (seen.empty() && families_without_address > 0) {
    seen.push_back({RetestState::still_failing, "mta-sts." + facts.domain + " has no address"});
  }
  return combine(std::move(target), Retest::policy_fetch, seen, std::move(checks));
}

Verdict judge_probes(Target target, const std::vector<smtp::ProbeResult>& probes,
                     std::vector<std::string> checks) {
  std::vector<Seen> seen;
  const auto type = target.result_type.value_or(ResultType::validation_failure);
  for (const auto& p : probes) {
    checks.push_back("probed " + p.address + (p.server_name.empty() ? "" : " as " + p.server_name) +
                     ": " + std::string(to_string(p.outcome)) +
                     (p.tls ? " " + p.tls->version : std::string()));
    seen.push_back(probe_seen(type, p));
  }
  return combine(std::move(target), Retest::probe, seen, std::move(checks));
}

Verdict judge_dane(Target target, const check::DomainFacts& facts) {
  const auto type = target.result_type.value_or(ResultType::tlsa_invalid);
  std::vector<Seen> seen;
  std::vector<std::string> checks;
  std::vector<const check::MxFacts*> hosts;
  if (!target.mx.empty()) {
    if (const auto* m = find_mx(facts, target.mx)) hosts.push_back(m);
  } else {
    for (const auto& m : facts.mx) hosts.push_back(&m);
  }
  if (hosts.empty()) {
    seen.push_back(
        {RetestState::could_not_test,
         (target.mx.empty() ? std::string("the domain has no MX host")
                            : target.mx + " is not among " + facts.domain + "'s MX hosts now")});
  }
  for (const auto* m : hosts) {
    checks.push_back("looked up _25._tcp." + m->tlsa_base +
                     " TLSA: " + std::string(dns::to_string(m->tlsa_answer.status)) + ", " +
                     std::string(dns::to_string(m->tlsa_answer.security)) + ", " +
                     std::to_string(m->tlsa.size()) + " record(s)");
    auto more = dane_seen(type, *m);
    seen.insert(seen.end(), more.begin(), more.end());
  }
  return combine(std::move(target), Retest::dane, seen, std::move(checks));
}

namespace {

// The probes a probe target is judged on: the named MX's from the audit (only the reported
// address when it is one of them), else the named host or address probed directly.
asio::awaitable<Verdict> verify_probe(check::Engine& engine, Target target,
                                      const check::DomainFacts& facts) {
  std::vector<smtp::ProbeResult> probes;
  std::vector<std::string> checks;
  const check::MxFacts* m = target.mx.empty() ? nullptr : find_mx(facts, target.mx);
  if (m != nullptr || (target.mx.empty() && target.ip.empty())) {
    for (const auto& mx : facts.mx) {
      if (m != nullptr && &mx != m) continue;
      for (const auto& p : mx.probes) {
        const bool at_ip = p.address.rfind(target.ip + ":", 0) == 0 ||
                           p.address.rfind("[" + target.ip + "]", 0) == 0;
        if (target.ip.empty() || at_ip) probes.push_back(p);
      }
      if (probes.empty() && m != nullptr) probes = mx.probes;  // the reported address moved
    }
    co_return judge_probes(std::move(target), probes, std::move(checks));
  }
  if (!target.mx.empty())
    checks.push_back(target.mx + " is not among " + facts.domain + "'s MX hosts now");
  std::vector<std::string> ips;
  if (!target.ip.empty()) {
    ips.push_back(target.ip);
  } else {
    const check::HostAddresses found = co_await engine.addresses(target.mx);
    for (const auto& ip : found.ips) {
      if (ips.size() < limits::tlsrpt::kVerifyAddressesPerHost) ips.push_back(ip);
    }
  }
  for (const auto& ip : ips) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(ip, ec);
    if (ec) {
      checks.push_back("receiving-ip '" + ip + "' is not an address");
      continue;
    }
    const asio::ip::tcp::endpoint endpoint(address, engine.options().smtp_port);
    const check::ProbeReport probed = co_await engine.probe(endpoint, target.mx);
    probes.push_back(probed.result);
  }
  co_return judge_probes(std::move(target), probes, std::move(checks));
}

bool needs_fetch(const std::vector<Target>& targets, const std::string& domain) {
  return std::any_of(targets.begin(), targets.end(), [&](const Target& t) {
    return t.domain == domain && retest_for(t.result_type) == Retest::policy_fetch;
  });
}

}  // namespace

asio::awaitable<VerifyResults> verify(check::Engine& engine, std::vector<Target> targets) {
  VerifyResults run;
  if (targets.size() > limits::tlsrpt::kVerifyTargets) {
    run.skipped = targets.size() - limits::tlsrpt::kVerifyTargets;
    targets.resize(limits::tlsrpt::kVerifyTargets);
  }
  std::set<std::string> domains;
  for (const auto& t : targets) domains.insert(t.domain);
  std::size_t audited = 0;
  for (const auto& domain : domains) {
    const bool over = ++audited > limits::tlsrpt::kVerifyDomains;
    check::DomainReport report;
    std::vector<check::PolicyFetch> fetches;
    if (!over) {
      report = co_await engine.audit(domain);
      if (report.facts.mta_sts.record && needs_fetch(targets, domain)) {
        for (auto family : {check::AddressFamily::ipv4, check::AddressFamily::ipv6}) {
          auto fetched = co_await engine.fetch_policy(domain, family);
          fetches.push_back(std::move(fetched));
        }
      }
    }
    for (const auto& t : targets) {
      if (t.domain != domain) continue;
      const Retest kind = retest_for(t.result_type);
      if (over || !report.facts.no_network.empty() || kind == Retest::none) {
        Verdict v{t, kind, RetestState::could_not_test, {}, {}};
        v.now = over ? "over the limit of domains re-tested in one run"
                : !report.facts.no_network.empty()
                    ? report.facts.no_network
                    : "'" + t.result_word + "' is not a result type RFC 8460 §4.3 defines";
        run.verdicts.push_back(std::move(v));
      } else if (kind == Retest::policy_fetch) {
        run.verdicts.push_back(judge_policy(t, report.facts, fetches));
      } else if (kind == Retest::dane) {
        run.verdicts.push_back(judge_dane(t, report.facts));
      } else {
        auto v = co_await verify_probe(engine, t, report.facts);
        run.verdicts.push_back(std::move(v));
      }
    }
  }
  co_return run;
}

}  // namespace intransit::tlsrpt
