// check_report.hpp — `check` results for machines (JSON, schema "intransit.check/1", one object
// per domain, documented in docs/json-schema.md) and for people: the verdict sentence first,
// then a table of MX hosts and addresses, then MTA-STS / TLS-RPT, then the findings.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>

#include "check/domain_facts.hpp"
#include "check/verdict.hpp"

namespace intransit::report {

inline constexpr const char* kCheckSchema = "intransit.check/1";

nlohmann::json check_to_json(const check::DomainFacts& facts, const check::Assessment& assessment);

struct TextStyle {
  bool colour = false;   // ANSI colours (only on a terminal)
  bool verbose = false;  // info findings and SMTP transcripts too
};

void write_check_text(std::ostream& out, const check::DomainFacts& facts,
                      const check::Assessment& assessment, const TextStyle& style);

}  // namespace intransit::report
