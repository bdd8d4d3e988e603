// keys_report.hpp — `keys ADDRESS` (issue 21) for people (text) and machines (JSON,
// "schema": "intransit.keys/1", docs/schema/keys.schema.json): per address the verdict, where a
// sender looks (WKD method and URL, OPENPGPKEY/SMIMEA owner names with their DNSSEC status),
// what it found (fingerprints, user IDs, certificates) and the findings. Strings from keys and
// certificates are hostile: they pass json_text / text::printable at the boundary.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <span>
#include <string_view>

#include "check/keys_verdict.hpp"

namespace intransit::report {

inline constexpr const char* kKeysSchema = "intransit.keys/1";

nlohmann::json keys_to_json(const check::AddressKeys& keys);
void write_keys_text(std::ostream& out, const check::AddressKeys& keys, bool verbose);

// What a verdict means for a sender, in plain words ("no published key: ...").
std::string_view keys_meaning(check::KeysVerdict verdict);

// `check DOMAIN --address LOCAL`: the "Explicit encryption" section after the transport part,
// each address's verdict and meaning first, then write_keys_text's details indented.
void write_keys_section(std::ostream& out, std::span<const check::AddressKeys> keys, bool verbose);

}  // namespace intransit::report
