// verdict.hpp — the domain verdict of DESIGN.md §3 from the gathered facts: enforced (via DANE,
// MTA-STS or both), opportunistic, partial, plaintext, broken, no-mail or untested with the
// reason; the findings that explain it; and one sentence a non-expert understands. The small
// evaluators (evaluate_dns, evaluate_dane, evaluate_mtasts, evaluate_transport) read the facts
// in one walk, in the order the findings are listed; precedence.hpp decides. "Could not find
// out" (SERVFAIL, timeouts, unreachable hosts) is never read as "not supported". Pure: no I/O,
// unit-tested with hand-built facts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check/domain_facts.hpp"
#include "check/evaluate_transport.hpp"
#include "check/finding.hpp"
#include "check/precedence.hpp"
#include "check/untested_reason.hpp"

namespace intransit::check {

struct Assessment {
  Verdict verdict = Verdict::untested;
  std::vector<Enforcer> enforced_by;              // DANE first
  std::optional<UntestedReason> untested_reason;  // exactly when untested
  std::string summary;                            // one sentence for people
  std::vector<Finding> findings;                  // most severe first
  // Address counts behind the verdict.
  std::size_t addresses = 0;
  std::size_t addresses_tls = 0;
  std::size_t addresses_plaintext = 0;
  std::size_t addresses_untested = 0;
};

Assessment assess(const DomainFacts& facts);

// The probe's own findings (smtp/findings.cpp ids) as catalogue findings with their evidence, for
// `scope` ("ip:<host>/<address>"): the one shape `findings` has in every JSON document.
std::vector<Finding> probe_findings(const smtp::ProbeResult& probe, const std::string& scope);

}  // namespace intransit::check
