// evaluate_mtasts.hpp — the MTA-STS evaluator of the verdict (RFC 8461): the record (§3.1), the
// policy fetch (§3.3) and syntax (§3.2), its mode (§5), and in enforce or testing mode whether
// every probed MX matches an mx pattern (§4.1) and presents a valid certificate for its name
// over working STARTTLS (§4.2). Failures are critical in enforce mode, low in testing mode.
// Pure: facts in, a typed result and findings out.
#pragma once

#include "check/domain_facts.hpp"
#include "check/evaluation.hpp"
#include "check/finding.hpp"

namespace intransit::check {

StsResult evaluate_mta_sts(const DomainFacts& facts, Findings& out);

}  // namespace intransit::check
