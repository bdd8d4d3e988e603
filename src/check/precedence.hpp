// precedence.hpp — the one function that turns the evaluators' results into the domain verdict
// of DESIGN.md §3. Its order, strongest first: what the DNS gate settles (no network, bogus or
// failed MX lookup, no mail); a published policy that fails (broken: DNSSEC bogus, a DANE
// mismatch, an MTA-STS enforce policy that does not hold unless DANE enforces, RFC 8461 §2);
// "could not find out" (untested, never read as "not supported"); enforcement (DANE, MTA-STS or
// both); then what plain STARTTLS gives (opportunistic, partial, plaintext). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "check/evaluation.hpp"
#include "check/untested_reason.hpp"

namespace intransit::check {

enum class Verdict : std::uint8_t {
  enforced,
  opportunistic,
  partial,
  plaintext,
  broken,
  no_mail,
  untested
};
std::string_view to_string(Verdict verdict);

// What makes a sender insist on authenticated TLS; JSON `enforced_by` words "dane", "mta-sts".
enum class Enforcer : std::uint8_t { dane, mta_sts };
std::string_view to_string(Enforcer enforcer);

// Which rule of the precedence decided: the summary sentence follows it.
enum class Rule : std::uint8_t {
  no_network,
  mx_bogus,
  mx_lookup_failed,
  nxdomain,
  null_mx,
  implicit_lookup_failed,
  implicit_no_address,
  hosts_bogus,         // broken: DNSSEC fails for a mail host's addresses or TLSA records
  dane_mismatch,       // broken: DANE published, an address does not satisfy it
  sts_fails,           // broken: MTA-STS enforce does not hold (and DANE does not enforce)
  no_address,          // no-mail: none of the MX hosts has an address
  nothing_tested,      // untested: no address answered usefully
  tlsa_lookup_failed,  // untested: a TLSA lookup in a signed zone failed
  sts_not_permitted,   // untested: the MTA-STS policy host is special-purpose (serve, issue 18)
  enforced,
  opportunistic_dane_unusable,  // opportunistic, but DANE senders still insist on TLS
  opportunistic,
  plaintext,
  partial,
};

struct Decision {
  Verdict verdict = Verdict::untested;
  std::vector<Enforcer> enforced_by;              // DANE first
  std::optional<UntestedReason> untested_reason;  // exactly when untested
  Rule rule = Rule::nothing_tested;
};

// True when DANE enforces: it applies on every probed host, some address matched and none
// failed or had only unusable records.
bool dane_enforces(const DaneResult& dane);

Decision decide(const Evaluation& evaluation);

}  // namespace intransit::check
