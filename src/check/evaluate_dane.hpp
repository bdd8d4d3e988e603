// evaluate_dane.hpp — the DANE evaluator of the verdict (RFC 7672): per MX host, whether DANE
// applies (DNSSEC-secure MX, addresses and TLSA records, §2.2; CNAME expansion §2.2.2; usable
// records §3.1.3), and per probed address whether it satisfies it (TLS, and a TLSA record
// matching the presented chain, §3). Pure: facts in, a typed result and findings out.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "check/domain_facts.hpp"
#include "check/evaluate_transport.hpp"
#include "check/evaluation.hpp"
#include "check/finding.hpp"

namespace intransit::check {

enum class DaneHost : std::uint8_t {
  none,           // no TLSA records (or a failed lookup outside a signed zone: DANE is not used)
  bogus,          // the TLSA RRset fails DNSSEC validation
  lookup_failed,  // the TLSA lookup failed in a signed zone: DANE senders cannot tell
  insecure,       // TLSA records, but the chain to them is not DNSSEC-secure: ignored by senders
  applies,        // DANE applies to this host
};
DaneHost evaluate_dane_host(const MxFacts& mx, bool mx_secure, Findings& out);

enum class DaneAddress : std::uint8_t {
  not_applicable,  // DANE does not apply to the host, or the address was not tested
  no_tls,          // DANE applies but the address offers no working TLS
  unusable,        // no TLSA record is usable for SMTP
  matched,         // a TLSA record matched the presented chain
  mismatch,        // no TLSA record matched
};
// `unusable_noted` holds the hosts whose dane.tlsa-unusable finding was already raised (one per
// host, not per address).
DaneAddress evaluate_dane_address(const MxFacts& mx, const smtp::ProbeResult& probe,
                                  AddressState state, std::set<std::string>& unusable_noted,
                                  Findings& out);

// Adds one address's result to the domain's.
void fold(DaneResult& dane, DaneAddress address);

// How many of the probed hosts DANE applies to, as coverage.
DaneCoverage dane_coverage(std::size_t applying_hosts, std::size_t probed_hosts);

}  // namespace intransit::check
