// sink_report.hpp — `sink report`: per sending server, its verdict in plain words, what it did on
// each scenario, and the behaviours behind the verdict. JSON schema "intransit.sink-report/1"
// (docs/json-schema.md); text for people.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "sink/judgement.hpp"

namespace intransit::report {

inline constexpr const char* kSinkReportSchema = "intransit.sink-report/1";

nlohmann::json sink_report_to_json(const std::vector<sink::SenderJudgement>& senders,
                                   const std::string& store);
void write_sink_report_text(std::ostream& out, const std::vector<sink::SenderJudgement>& senders,
                            bool colour);

}  // namespace intransit::report
