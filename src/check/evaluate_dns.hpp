// evaluate_dns.hpp — the DNS and DNSSEC evaluators of the verdict (DESIGN.md §3): the domain's
// policy records as findings (MTA-STS TXT lookup, TLS-RPT, RFC 8460 §3), the MX RRset as a gate
// (DNSSEC bogus RFC 4035 §5.5, lookup failure, NXDOMAIN, null MX RFC 7505, no MX RFC 5321 §5.1)
// and one MX host's address lookups. A failed lookup is never read as "no record". Pure: facts
// in, a typed result and findings out.
#pragma once

#include <cstdint>

#include "check/domain_facts.hpp"
#include "check/evaluation.hpp"
#include "check/finding.hpp"

namespace intransit::check {

// TLS-RPT and the MTA-STS record: domain-wide, independent of the MX hosts. A failed lookup is
// reported even when the MX lookup failed too (issue 14 item 12).
void evaluate_domain_records(const DomainFacts& facts, Findings& out);

// The MX RRset (and without one, the domain's own address): usable, or what it settles.
DnsGate evaluate_mx_rrset(const DomainFacts& facts, Findings& out);

// One probed MX host's A/AAAA lookups.
enum class AddressLookup : std::uint8_t { found, none, failed };
struct HostDns {
  AddressLookup addresses = AddressLookup::found;
  bool bogus = false;  // the A or AAAA RRset fails DNSSEC validation
};
HostDns evaluate_host_dns(const MxFacts& mx, Findings& out);

// Adds one probed host's result to the domain's.
void fold(HostsResult& hosts, const HostDns& host);

}  // namespace intransit::check
