// evaluate_transport.hpp — the transport evaluator of the verdict (DESIGN.md §3): how each
// probed address counts (TLS, plaintext — what a sender falls back to, RFC 3207 §4 — or
// untested), the probe's own findings on it, the sweep's obsolete versions and weak suites
// (RFC 8996, RFC 9325 §4.1), and why nothing could be tested when nothing was. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "check/domain_facts.hpp"
#include "check/evaluation.hpp"
#include "check/finding.hpp"

namespace intransit::check {

// How an address's probe counts for the verdict.
enum class AddressState : std::uint8_t { tls, plaintext, untested };
AddressState address_state(const smtp::ProbeResult& probe);

// One probed address: its state, with its findings (mx.untested, the probe's own ids, ...).
AddressState evaluate_address(const MxFacts& mx, const smtp::ProbeResult& probe, Findings& out);

// With --sweep: versions and suites the server accepts beyond the one the probe negotiated.
void evaluate_sweep(const MxFacts& mx, const smtp::ProbeResult& probe,
                    const smtp::SweepResult& sweep, Findings& out);

// Adds one address to the tally.
void count(TransportTally& tally, AddressState state);

// Why addresses with these outcomes tell nothing: one reason when all agree, protocol-error when
// they differ, no-address-tested when there are none.
UntestedReason untested_reason_of(const std::vector<ProbeOutcome>& untested_outcomes);

}  // namespace intransit::check
