// render.hpp — a `tlsrpt` run for people (text: the summary first, in plain words and tables,
// then each report's tolerances, then what was quarantined, then the --verify re-tests) and for
// machines (one `intransit.tlsrpt/1` JSON document, docs/schema/tlsrpt.schema.json). Strings
// from reports pass the output boundaries (report/json_text.hpp for JSON; core/safe_output.hpp for
// text).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tlsrpt/ingest.hpp"
#include "tlsrpt/retest.hpp"
#include "tlsrpt/summary.hpp"

namespace intransit::tlsrpt {

// What this command does not look at (said in both outputs, as posttls-finger does).
extern const std::vector<std::string> kNotChecked;
extern const std::vector<std::string> kNotCheckedVerified;  // the same with --verify

// `verify`: the --verify re-tests (null: not asked for; the JSON then says "verify": null).
nlohmann::json run_to_json(const Run& run, const std::vector<DomainDay>& summary,
                           const std::string& store_path, const VerifyResults* verify = nullptr);
void write_run_text(std::ostream& out, const Run& run, const std::vector<DomainDay>& summary,
                    const std::string& store_path, const VerifyResults* verify = nullptr);

}  // namespace intransit::tlsrpt
