// verify.hpp — `tlsrpt --verify`: re-tests now, with the audit engine (check/engine.hpp, the one
// implementation), what the reports say failed (retest.hpp targets). Per policy domain one audit
// (MX, TLSA with DNSSEC, probes of every MX address, MTA-STS record); for sts-* result types the
// policy fetched again as an MTA fetches it (RFC 8461 §3.3: no redirect, PKIX-valid certificate,
// non-browser user agent), once over IPv4 and once over IPv6 where the policy host has both; for
// certificate-* / starttls-not-supported / validation-failure the MX named in failure-details
// (RFC 8460 §4.4) probed; for tlsa-invalid / dnssec-invalid / dane-required its DANE facts
// (RFC 7672). The judges are pure and unit-tested with hand-built facts.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <vector>

#include "check/domain_facts.hpp"
#include "check/engine.hpp"
#include "tlsrpt/retest.hpp"

namespace intransit::tlsrpt {

boost::asio::awaitable<VerifyResults> verify(check::Engine& engine, std::vector<Target> targets);

// The judges: from the facts gathered now to one Verdict (state, words, checks).
Verdict judge_policy(Target target, const check::DomainFacts& facts,
                     const std::vector<check::PolicyFetch>& fetches);
Verdict judge_probes(Target target, const std::vector<smtp::ProbeResult>& probes,
                     std::vector<std::string> checks = {});
Verdict judge_dane(Target target, const check::DomainFacts& facts);

}  // namespace intransit::tlsrpt
