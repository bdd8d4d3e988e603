// finding.hpp — what `check` reports beyond the verdict (DESIGN.md §3): a finding has a stable
// id, a severity, the scope it applies to (the domain, one MX host, one address), the evidence
// seen, the RFC section behind it and a one-line remedy. The catalogue in finding.cpp holds the
// fixed parts per id, so every report and script sees the same words.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace intransit::check {

enum class Severity : std::uint8_t { info, low, medium, high, critical };
std::string_view to_string(Severity severity);

struct Finding {
  std::string id;  // "dane.tlsa-mismatch"
  Severity severity = Severity::info;
  std::string scope;      // "domain", "mx:mx1.example.test", "ip:mx1.example.test/192.0.2.1:25"
  std::string evidence;   // what was seen, sanitised
  std::string rfc;        // "RFC 7672 §2.2"
  std::string remedy;     // one line
  std::size_t count = 1;  // how often it was seen in this scope (listed once: issue 14 item 24)
};

// Builds a finding from the catalogue; `severity` overrides the catalogue's when given
// (mtasts.mx-mismatch is critical in enforce mode, low in testing mode). An id missing from
// the catalogue still yields a finding (severity medium, no remedy) and is caught by a test.
Finding make_finding(std::string_view id, std::string scope, std::string evidence,
                     std::optional<Severity> severity = std::nullopt);

// True when the catalogue knows `id` (for the test that every emitted id is catalogued).
bool catalogued(std::string_view id);

}  // namespace intransit::check
