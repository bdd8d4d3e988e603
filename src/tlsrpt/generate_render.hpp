// generate_render.hpp — what `tlsrpt generate` did, for people (text) and for programs (the
// intransit.tlsrpt-generate/1 JSON, docs/schema/tlsrpt-generate.schema.json): per destination
// domain its deliveries, the policy found, the report written (file, report-id, sessions ok and
// failed) or why there is none, and each submission's answer.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "tlsrpt/generate_run.hpp"

namespace intransit::tlsrpt {

struct GenerateTotals {
  std::size_t reports = 0, written = 0, write_failed = 0, submitted = 0, submit_failed = 0,
              skipped = 0, unreadable_inputs = 0;
};
GenerateTotals totals(const GenerateResult& result);

nlohmann::json generate_to_json(const GenerateSetup& setup, const GenerateResult& result);
void write_generate_text(std::ostream& out, const GenerateSetup& setup,
                         const GenerateResult& result);

}  // namespace intransit::tlsrpt
