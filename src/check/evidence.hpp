// evidence.hpp — the `evidence` text of findings, built from facts the same way by every
// evaluator: a DNS answer in words, a certificate check, a probe's outcome. Server-chosen
// strings are clipped with a marker saying how much was left out (issue 14 item 24). Pure.
#pragma once

#include <string>

#include "core/finding_id.hpp"
#include "dns/resolver.hpp"
#include "smtp/probe.hpp"

namespace intransit::check {

// "MX example.test: SERVFAIL, DNSSEC bogus (why)".
std::string answer_words(const dns::Answer& answer);

// What the certificate check saw: trust, name, the leaf and its expiry.
std::string certificate_evidence(const smtp::TlsFacts& tls);

// "<outcome>: <detail>".
std::string outcome_evidence(const smtp::ProbeResult& probe);

// Evidence for one of the probe's own findings, from the probe's facts.
std::string probe_evidence(const smtp::ProbeResult& probe, FindingId id);

}  // namespace intransit::check
