// verdict.hpp — the domain verdict of DESIGN.md §3 from the gathered facts: enforced (via DANE,
// MTA-STS or both), opportunistic, partial, plaintext, broken, no-mail or untested with the
// reason; the findings that explain it; and one sentence a non-expert understands. DANE takes
// precedence over MTA-STS (RFC 8461 §2). "Could not find out" (SERVFAIL, timeouts, unreachable
// hosts) is never read as "not supported". Pure: no I/O, unit-tested with hand-built facts.
#pragma once

#include <string>
#include <vector>

#include "check/domain_facts.hpp"
#include "check/finding.hpp"

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

struct Assessment {
  Verdict verdict = Verdict::untested;
  std::vector<std::string> enforced_by;  // "dane", "mta-sts"
  std::string untested_reason;           // "dns-failure", "unreachable", "rate-limited", ...
  std::string summary;                   // one sentence for people
  std::vector<Finding> findings;         // most severe first
  // Address counts behind the verdict.
  std::size_t addresses = 0;
  std::size_t addresses_tls = 0;
  std::size_t addresses_plaintext = 0;
  std::size_t addresses_untested = 0;
};

Assessment assess(const DomainFacts& facts);

// How an address's probe counts for the verdict.
enum class AddressState : std::uint8_t { tls, plaintext, untested };
AddressState address_state(const smtp::ProbeResult& probe);

// The probe's own findings (smtp/findings.cpp ids) as catalogue findings with their evidence, for
// `scope` ("ip:<host>/<address>"): the one shape `findings` has in every JSON document.
std::vector<Finding> probe_findings(const smtp::ProbeResult& probe, const std::string& scope);

}  // namespace intransit::check
