// findings.hpp — turns a probe's facts into findings with stable ids (DESIGN.md §3), the words
// reports, `check` and scripts key on: STARTTLS missing or refused (RFC 3207), obsolete TLS
// versions and suites without forward secrecy (NCSC-NL TLS guidelines v2.1, RFC 8996), and
// certificates a verifying sender would refuse (RFC 5280 §6, RFC 6125 §6). Pure.
#pragma once

#include "smtp/probe.hpp"

namespace intransit::smtp {

// Appends the findings the facts in `result` support (those the dialogue itself raised, such
// as smtp.plaintext-after-starttls, are already there).
void add_fact_findings(ProbeResult& result);

}  // namespace intransit::smtp
