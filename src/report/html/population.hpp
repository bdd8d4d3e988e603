// population.hpp — the numbers of the population page, computed from domain rows (pure): the
// verdict mix, DANE / MTA-STS / TLS-RPT adoption, TLS versions, certificate problems, top
// findings and MX operators; and the comparison of two scans (--baseline).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "report/html/domain_row.hpp"

namespace intransit::report::html {

struct Count {
  std::string label;
  long long n = 0;
};

struct OperatorCount {
  std::string name;  // registered domain of the MX hosts (last two labels)
  long long domains = 0;
  std::array<long long, kVerdicts> verdicts{};
};

struct PopulationStats {
  long long domains = 0;
  std::array<long long, kVerdicts> verdicts{};
  long long dane = 0, tls_rpt = 0;
  long long mta_sts_enforce = 0, mta_sts_testing = 0, mta_sts_none = 0;
  std::vector<Count> tls_versions;       // domains with an address negotiating each version
  std::vector<Count> cert_problems;      // domains with each problem, most first
  std::vector<Count> findings;           // domains with each finding id, most first
  std::vector<OperatorCount> operators;  // most domains first
  std::size_t cert_problem_kinds = 0, finding_kinds = 0, operator_count = 0;  // before the cut
};

// Counts over `rows`; lists are cut to the `top` largest entries (ties by name).
PopulationStats population_stats(const std::vector<DomainRow>& rows, std::size_t top = 15);

struct VerdictChange {
  std::string domain;
  Verdict before;
  Verdict after;
};

struct BaselineDiff {
  std::vector<VerdictChange> improved;  // a better protection rank (vocabulary.hpp)
  std::vector<VerdictChange> declined;  // a worse one
  std::vector<VerdictChange> other;     // to or from no-mail / untested
  std::vector<std::string> added;       // in the new scan only
  std::vector<std::string> removed;     // in the baseline only
  long long unchanged = 0;
};

// Compares by domain (the last row of a domain wins); lists sorted by domain.
BaselineDiff baseline_diff(const std::vector<DomainRow>& before,
                           const std::vector<DomainRow>& after);

}  // namespace intransit::report::html
