// client_report.hpp — `client` results for machines (JSON, schema "intransit.client/1",
// docs/schema/client.schema.json, docs/json-schema.md) and for people: one line per leg
// (submission, imap, pop3) with its verdict first, then the servers and where they were found,
// then what discovery saw (SRV answers, autoconfig fetches), then the findings.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>

#include "check/client_audit.hpp"

namespace intransit::report {

inline constexpr const char* kClientSchema = "intransit.client/1";

nlohmann::json client_to_json(const check::ClientReport& report);

void write_client_text(std::ostream& out, const check::ClientReport& report, bool verbose);

}  // namespace intransit::report
