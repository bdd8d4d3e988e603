// probe_report.hpp — `probe` results for machines (JSON, schema "intransit.probe/1", documented
// in docs/json-schema.md) and for people (a summary line first, then sections).
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "check/finding.hpp"
#include "smtp/probe.hpp"
#include "smtp/sweep.hpp"

namespace intransit::report {

inline constexpr const char* kProbeSchema = "intransit.probe/1";

// A finding in every JSON document: {id, severity, scope, evidence, rfc, remedy}; `rfc` is null
// when no RFC section applies (never "-" or "").
nlohmann::json finding_to_json(const check::Finding& finding);

// `sweep` adds the fields of `probe --sweep` (versions, ciphers, server_order, ...).
nlohmann::json probe_to_json(const smtp::ProbeResult& result,
                             const smtp::SweepResult* sweep = nullptr);

// One line a person can act on, e.g. "127.0.1.2:25 (mx.example.test): STARTTLS, TLSv1.3 …".
std::string probe_summary(const smtp::ProbeResult& result);

// `standalone` false: part of a `check` report, which covers DANE and MTA-STS itself, so the
// "not checked" line is left out. Server-chosen names (subject, issuer) are printed once and
// cut at kTextField bytes with a marker; the JSON keeps them whole.
void write_probe_text(std::ostream& out, const smtp::ProbeResult& result, bool verbose,
                      const smtp::SweepResult* sweep = nullptr, bool standalone = true);

inline constexpr std::size_t kTextField = 200;
// `s` cut to kTextField bytes (never inside a UTF-8 sequence) plus "... [N more bytes]".
std::string clip_for_text(const std::string& s);

}  // namespace intransit::report
