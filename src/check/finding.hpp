// finding.hpp — what `check` reports beyond the verdict (DESIGN.md §3): a finding has a stable
// id, a severity, the scope it applies to (the domain, one MX host, one address), the evidence
// seen, the RFC section behind it and a one-line remedy. The id is a closed enum
// (core/finding_id.hpp) whose catalogue holds the fixed parts, so every report and script sees
// the same words and a misspelt id does not compile.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding_id.hpp"
#include "core/severity.hpp"

namespace intransit::check {

struct Finding {
  FindingId id = FindingId::mx_untested;
  Severity severity = Severity::info;
  std::string scope;      // "domain", "mx:mx1.example.test", "ip:mx1.example.test/192.0.2.1:25"
  std::string evidence;   // what was seen, sanitised
  std::size_t count = 1;  // how often it was seen in this scope (listed once: issue 14 item 24)

  std::string_view rfc() const { return rfc_section(id); }  // "RFC 7672 §2.2"; empty: none
  std::string_view remedy() const { return intransit::remedy(id); }
};

// Builds a finding from the catalogue; `severity` overrides the catalogue's when given
// (mtasts.mx-mismatch is critical in enforce mode, low in testing mode).
Finding make_finding(FindingId id, std::string scope, std::string evidence,
                     std::optional<Severity> severity = std::nullopt);

// The findings an evaluator appends to, in the order it raises them.
using Findings = std::vector<Finding>;
void add(Findings& out, FindingId id, std::string scope, std::string evidence,
         std::optional<Severity> severity = std::nullopt);

// The three scope shapes.
std::string domain_scope();
std::string mx_scope(std::string_view host);
std::string ip_scope(std::string_view host, std::string_view address);

}  // namespace intransit::check
