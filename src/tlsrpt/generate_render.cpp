// generate_render.cpp — see generate_render.hpp. Text values go out through text::printable (the
// terminal) or report::json_text (JSON), never raw.
#include "tlsrpt/generate_render.hpp"

#include "core/text.hpp"
#include "tlsrpt/datetime.hpp"

namespace intransit::tlsrpt {

using json = nlohmann::json;

GenerateTotals totals(const GenerateResult& r) {
  GenerateTotals t;
  for (const auto& in : r.inputs) t.unreadable_inputs += in.error.empty() ? 0 : 1;
  for (const auto& d : r.domains) {
    if (!d.report) {
      ++t.skipped;
      continue;
    }
    ++t.reports;
    ++(d.write_error.empty() ? t.written : t.write_failed);
    for (const auto& s : d.submitted) ++(s.ok ? t.submitted : t.submit_failed);
  }
  return t;
}

namespace {

std::string policy_word(PolicyType type) {
  return type == PolicyType::other ? "no-policy-found" : std::string(to_string(type));
}

json nullable(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

json domain_json(const DomainOutcome& d) {
  json j = {{"domain", d.domain},
            {"deliveries", d.deliveries},
            {"policy_type", policy_word(d.policy.type)},
            {"rua", d.policy.rua},
            {"skipped", nullable(d.skipped)},
            {"report", nullptr},
            {"submitted", json::array()}};
  if (d.report) {
    j["report"] = {{"report_id", d.report->report_id},   {"file_name", d.report->file_name},
                   {"path", nullable(d.path)},           {"write_error", nullable(d.write_error)},
                   {"successful", d.report->successful}, {"failed", d.report->failed},
                   {"bytes", d.report->gzip.size()}};
  }
  for (const auto& s : d.submitted)
    j["submitted"].push_back({{"rua", s.rua}, {"ok", s.ok}, {"detail", s.detail}});
  return j;
}

}  // namespace

json generate_to_json(const GenerateSetup& s, const GenerateResult& r) {
  const auto t = totals(r);
  json inputs = json::array();
  for (const auto& in : r.inputs)
    inputs.push_back({{"path", in.path}, {"error", nullable(in.error)}});
  json domains = json::array();
  std::uint64_t deliveries = 0;
  for (const auto& d : r.domains) {
    domains.push_back(domain_json(d));
    deliveries += d.deliveries;
  }
  return {{"schema", "intransit.tlsrpt-generate/1"},
          {"date", format_datetime(s.report.day).substr(0, 10)},
          {"organization", s.report.organization},
          {"contact", s.report.contact},
          {"submitter", s.report.submitter},
          {"out_dir", s.out_dir},
          {"submit", s.submit},
          {"inputs", inputs},
          {"log_lines", r.lines.lines},
          {"deliveries", deliveries},
          {"deliveries_other_days", r.outside_day},
          {"counts",
           {{"reports", t.reports},
            {"written", t.written},
            {"write_failed", t.write_failed},
            {"submitted", t.submitted},
            {"submit_failed", t.submit_failed},
            {"skipped", t.skipped}}},
          {"domains", domains}};
}

void write_generate_text(std::ostream& out, const GenerateSetup& s, const GenerateResult& r) {
  using text::printable;
  std::uint64_t deliveries = 0;
  for (const auto& d : r.domains) deliveries += d.deliveries;
  out << "TLS-RPT reports for " << format_datetime(s.report.day).substr(0, 10) << " (UTC) from "
      << printable(s.report.organization) << ": " << deliveries << " deliveries to "
      << r.domains.size() << " domain(s) in " << r.inputs.size() << " log(s)";
  if (r.outside_day > 0) out << " (" << r.outside_day << " on other days, left out)";
  out << "\n";
  for (const auto& d : r.domains) {
    out << "  " << printable(d.domain) << ": ";
    if (!d.report) {
      out << "no report: " << printable(d.skipped) << "\n";
      continue;
    }
    out << d.report->successful << " session(s) ok, " << d.report->failed << " failed ("
        << policy_word(d.policy.type) << "), report-id " << printable(d.report->report_id) << "\n";
    if (d.write_error.empty())
      out << "    written: " << printable(d.path) << "\n";
    else
      out << "    NOT written: " << printable(d.write_error) << "\n";
    for (const auto& sub : d.submitted)
      out << "    " << printable(sub.rua) << (sub.ok ? ": submitted (" : ": NOT submitted (")
          << printable(sub.detail) << ")\n";
  }
  const auto t = totals(r);
  out << "Reports: " << t.written << " written";
  if (t.write_failed > 0) out << ", " << t.write_failed << " not written";
  if (s.submit)
    out << ", " << t.submitted << " submitted, " << t.submit_failed << " failed to submit";
  out << "; " << t.skipped << " domain(s) without a report\n";
}

}  // namespace intransit::tlsrpt
