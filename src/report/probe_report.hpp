// probe_report.hpp — `probe` results for machines (JSON, schema "intransit.probe/1", documented
// in docs/json-schema.md) and for people (a summary line first, then sections).
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "smtp/probe.hpp"

namespace intransit::report {

inline constexpr const char* kProbeSchema = "intransit.probe/1";

nlohmann::json probe_to_json(const smtp::ProbeResult& result);

// One line a person can act on, e.g. "127.0.1.2:25 (mx.example.test): STARTTLS, TLSv1.3 …".
std::string probe_summary(const smtp::ProbeResult& result);

void write_probe_text(std::ostream& out, const smtp::ProbeResult& result, bool verbose);

}  // namespace intransit::report
