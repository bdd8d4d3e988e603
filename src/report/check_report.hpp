// check_report.hpp — `check` results for machines (JSON, schema "intransit.check/1", one object
// per domain, documented in docs/json-schema.md) and for people: the verdict sentence first,
// then a table of MX hosts and addresses, then MTA-STS / TLS-RPT, then the findings. With
// `check --address LOCAL` (issue 21) the keys of each address follow, beside the verdict and
// never part of it: JSON member "keys" (intransit.keys/1 objects), text "Explicit encryption".
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <span>

#include "check/domain_facts.hpp"
#include "check/keys_verdict.hpp"
#include "check/verdict.hpp"

namespace intransit::report {

inline constexpr const char* kCheckSchema = "intransit.check/1";

nlohmann::json check_to_json(const check::DomainFacts& facts, const check::Assessment& assessment);
// The same with a `keys` member (check --address) when `keys` is not empty.
nlohmann::json check_to_json(const check::DomainFacts& facts, const check::Assessment& assessment,
                             std::span<const check::AddressKeys> keys);

struct TextStyle {
  bool colour = false;   // ANSI colours (only on a terminal)
  bool verbose = false;  // info findings and SMTP transcripts too
};

void write_check_text(std::ostream& out, const check::DomainFacts& facts,
                      const check::Assessment& assessment, const TextStyle& style,
                      std::span<const check::AddressKeys> keys = {});

}  // namespace intransit::report
