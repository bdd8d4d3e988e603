// ingest.hpp — one run of `tlsrpt`: every INPUT read (inputs.hpp), each candidate decoded
// (payload.hpp) and parsed (report.hpp), each report recorded in the store before it counts as
// read (store.hpp; committed first), duplicates recognised by (organization-name, report-id)
// within the run and against the store, and every candidate that could not be read quarantined
// with its reason. Nothing here stops the run but a store that cannot be written.
#pragma once

#include <string>
#include <vector>

#include "tlsrpt/inputs.hpp"
#include "tlsrpt/report.hpp"
#include "tlsrpt/store.hpp"

namespace intransit::tlsrpt {

enum class Status : std::uint8_t { new_report, known, duplicate };
std::string_view to_string(Status status);

struct ReadReport {
  std::string source;
  Report report;
  Status status = Status::new_report;  // duplicate: seen earlier in this run (not counted twice)
  bool gzip = false;
};

struct Quarantined {
  std::string source, reason;
};

struct Run {
  std::vector<ReadReport> reports;
  std::vector<Quarantined> quarantined;
  InputStats stats;
  std::size_t inputs = 0;
  std::size_t count(Status status) const;
};

// `store` may be null (nothing kept: "new" then means first seen in this run).
Run ingest(const std::vector<std::string>& inputs, ReportStore* store);

}  // namespace intransit::tlsrpt
