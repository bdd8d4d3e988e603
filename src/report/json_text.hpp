// json_text.hpp — the one output boundary for JSON (RELIABILITY.md item 51): every JSON document
// intransit writes (check, probe, trace, sink report, strip-proxy captures) becomes text here, and
// any string in it that is not valid UTF-8 (RFC 8259 §8.1 requires UTF-8) — a certificate SAN, a
// banner, a Received field, a MAIL FROM — is written with its bad bytes as "\xNN" (text::printable)
// instead of making nlohmann::json throw (type_error 316) and the command abort.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace intransit::report {

// `doc` as JSON text; indent < 0 is one line (JSON Lines), as nlohmann::json::dump.
std::string json_text(const nlohmann::json& doc, int indent = -1);

}  // namespace intransit::report
