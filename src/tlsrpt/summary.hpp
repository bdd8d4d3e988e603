// summary.hpp — what the reports say, per policy domain and day (the UTC day each report's
// date-range starts; RFC 8460 §4.1 reports cover a day): sessions successful and failed per
// reporter and per MX, the policy types reported, each result-type with its sessions, and the
// reporters that disagree about an MX on a day (one reports failures for it, another reports
// successful sessions for the domain and no failure for that MX). RFC 8460 §4.4 counts
// successful sessions per policy, not per MX, so an MX's successes are never invented. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tlsrpt/ingest.hpp"

namespace intransit::tlsrpt {

struct ReporterRow {
  std::string organization;
  std::uint64_t successful = 0, failed = 0;
};

struct MxRow {
  std::string host;  // receiving-mx-hostname, or "(not named)"
  std::uint64_t failed = 0;
  std::map<std::string, std::uint64_t> results;  // result-type word -> sessions
};

struct ResultRow {
  std::string word;
  std::optional<ResultType> type;  // nullopt: not in RFC 8460 §4.3
  std::uint64_t sessions = 0;
};

struct Side {
  std::string organization;
  std::uint64_t sessions = 0;  // failed sessions for the MX, or successful ones for the domain
};

struct Disagreement {
  std::string mx;
  std::vector<Side> failing, succeeding;
};

struct DomainDay {
  std::string domain, day;
  std::vector<std::string> policy_types;  // as reported, e.g. "sts", "no-policy-found"
  std::uint64_t successful = 0, failed = 0;
  std::vector<ReporterRow> reporters;  // most failed sessions first
  std::vector<MxRow> mx;               // most failed sessions first
  std::vector<ResultRow> results;      // most sessions first
  std::vector<Disagreement> disagreements;
};

// Over the reports of a run that are not duplicates within it, domains and days in order.
std::vector<DomainDay> summarize(const std::vector<ReadReport>& reports);

// Adds without wrapping (counts are capped per field, but many reports add up).
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b);

}  // namespace intransit::tlsrpt
