// ingest.cpp — see ingest.hpp.
#include "tlsrpt/ingest.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "tlsrpt/payload.hpp"

namespace intransit::tlsrpt {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::new_report: return "new";
    case Status::known: return "known";
    case Status::duplicate: return "duplicate";
  }
  return "new";
}

std::size_t Run::count(Status status) const {
  return static_cast<std::size_t>(std::count_if(
      reports.begin(), reports.end(), [&](const ReadReport& r) { return r.status == status; }));
}

Run ingest(const std::vector<std::string>& inputs, ReportStore* store) {
  Run run;
  run.inputs = inputs.size();
  std::set<std::pair<std::string, std::string>> seen;
  const auto quarantine = [&](const std::string& source, const std::string& reason) {
    if (store != nullptr) store->quarantine(source, reason);
    run.quarantined.push_back({source, reason});
  };
  const CandidateSink sink = [&](Candidate&& c) {
    if (!c.error.empty()) return quarantine(c.source, c.error);
    std::string error;
    auto payload = decode_payload(c.bytes, error);
    if (!payload) return quarantine(c.source, error);
    auto notes = std::move(c.notes);
    notes.insert(notes.end(), payload->notes.begin(), payload->notes.end());
    auto report = parse_report(payload->json, error, std::move(notes));
    if (!report) return quarantine(c.source, error);
    ReadReport r{c.source, std::move(*report), Status::new_report, payload->gzip};
    if (!seen.emplace(r.report.organization, r.report.report_id).second) {
      r.status = Status::duplicate;
    } else if (store != nullptr && store->add(r.report, payload->json, c.source) == Added::known) {
      r.status = Status::known;
    }
    run.reports.push_back(std::move(r));
  };
  for (const auto& path : inputs) {
    const std::size_t before = run.reports.size() + run.quarantined.size();
    const std::size_t problems = run.stats.problems.size();
    read_input(path, sink, run.stats);
    if (run.reports.size() + run.quarantined.size() == before &&
        run.stats.problems.size() == problems) {
      run.stats.problems.push_back(path + ": no TLS-RPT report found in it");
    }
  }
  return run;
}

}  // namespace intransit::tlsrpt
