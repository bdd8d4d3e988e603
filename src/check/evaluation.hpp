// evaluation.hpp — the small typed results the verdict is decided from (DESIGN.md §3): what the
// DNS gate settles, DNS and DNSSEC over the mail hosts, DANE (RFC 7672), MTA-STS (RFC 8461) and
// the per-address transport tally. The evaluators (evaluate_*.hpp) produce them from the facts;
// precedence.hpp turns them into the verdict. Plain data, so the precedence can be tested as a
// truth table.
#pragma once

#include <cstddef>
#include <cstdint>

#include "check/untested_reason.hpp"

namespace intransit::check {

// What the MX RRset (or, without one, the domain's own address lookup) settles by itself.
enum class DnsGate : std::uint8_t {
  usable,                  // there are MX hosts to look at
  no_network,              // no nameserver answered this machine at all (RELIABILITY item 58)
  mx_bogus,                // the MX RRset fails DNSSEC validation
  mx_lookup_failed,        // the MX lookup failed (SERVFAIL, timeout)
  nxdomain,                // the domain does not exist
  null_mx,                 // only a null MX (RFC 7505)
  implicit_lookup_failed,  // no MX record, and the domain's own address lookup failed
  implicit_no_address,     // no MX record and no address
};

// DNS and DNSSEC over the MX hosts within the probe cap.
struct HostsResult {
  std::size_t probed = 0;           // MX hosts looked at
  std::size_t without_address = 0;  // of those, hosts whose lookups found no A/AAAA record
  bool address_lookup_failed = false;
  bool bogus = false;  // an address or TLSA RRset of a mail host fails DNSSEC validation
};

// On how many of the probed MX hosts DANE applies (secure MX, addresses and TLSA records).
enum class DaneCoverage : std::uint8_t { none, some_hosts, every_host };

struct DaneResult {
  DaneCoverage coverage = DaneCoverage::none;
  bool mismatch = false;       // an address fails DANE: no TLSA record matches, or no TLS at all
  bool lookup_failed = false;  // a TLSA lookup failed in a signed zone
  bool unusable = false;       // a DANE host's TLSA records are all unusable for SMTP
  bool matched = false;        // some address matched a TLSA record
};

enum class StsResult : std::uint8_t {
  none,      // no MTA-STS policy in enforce mode (none, testing, invalid or not fetched)
  unproven,  // enforce, nothing failed, but no address presented a valid certificate
  holds,     // enforce, and every probed MX matches and presents a valid certificate
  fails,     // enforce, and some MX is not covered, offers no TLS or presents a bad certificate
  not_permitted,  // a policy is published, but its host's addresses are ones we may not fetch from
};

// How the probed addresses count: TLS, plaintext (what a sender falls back to) or untested.
struct TransportTally {
  std::size_t addresses = 0;
  std::size_t tls = 0;
  std::size_t plaintext = 0;
  std::size_t untested = 0;
  // Why, from the untested addresses' outcomes (no-address-tested when there were none).
  UntestedReason untested_reason = UntestedReason::no_address_tested;
};

struct Evaluation {
  DnsGate gate = DnsGate::usable;
  HostsResult hosts;
  DaneResult dane;
  StsResult sts = StsResult::none;
  TransportTally transport;
};

}  // namespace intransit::check
