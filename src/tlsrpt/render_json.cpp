// render_json.cpp — the `intransit.tlsrpt/1` document (render.hpp; docs/json-schema.md).
#include "tlsrpt/render.hpp"

#include "tlsrpt/datetime.hpp"

namespace intransit::tlsrpt {
namespace {

using json = nlohmann::json;

json failure_json(const FailureDetail& f) {
  return {{"result_type", f.result_word},
          {"known_result_type", f.result_type.has_value()},
          {"failed_sessions", f.failed_sessions},
          {"sending_mta_ip", f.sending_mta_ip},
          {"receiving_mx_hostname", f.receiving_mx_hostname},
          {"receiving_mx_helo", f.receiving_mx_helo},
          {"receiving_ip", f.receiving_ip},
          {"additional_information", f.additional_information},
          {"failure_reason_code", f.failure_reason_code}};
}

json policy_json(const PolicyResult& p) {
  json failures = json::array();
  for (const auto& f : p.failures) failures.push_back(failure_json(f));
  return {
      {"policy_type", p.type == PolicyType::other ? p.type_word : std::string(to_string(p.type))},
      {"policy_domain", p.domain},
      {"policy_string", p.policy_string},
      {"mx_host", p.mx_host},
      {"successful_sessions", p.successful},
      {"failed_sessions", p.failed},
      {"failure_details", failures}};
}

json report_json(const ReadReport& r) {
  json notes = json::array();
  for (const auto& n : r.report.notes) notes.push_back({{"id", n.id}, {"detail", n.detail}});
  json policies = json::array();
  for (const auto& p : r.report.policies) policies.push_back(policy_json(p));
  return {{"source", r.source},
          {"status", to_string(r.status)},
          {"gzip", r.gzip},
          {"organization", r.report.organization},
          {"report_id", r.report.report_id},
          {"contact", r.report.contact},
          {"start", format_datetime(r.report.start)},
          {"end", format_datetime(r.report.end)},
          {"notes", notes},
          {"policies", policies}};
}

json result_json(const ResultRow& r) {
  json out = {{"result_type", r.word}, {"sessions", r.sessions}, {"known", r.type.has_value()}};
  if (r.type) {
    const auto& i = info(*r.type);
    out["rfc"] = i.rfc;
    out["meaning"] = i.meaning;
    out["causes"] = i.causes;
    out["remedy"] = i.remedy;
  }
  return out;
}

json sides_json(const std::vector<Side>& sides) {
  json out = json::array();
  for (const auto& s : sides)
    out.push_back({{"organization", s.organization}, {"sessions", s.sessions}});
  return out;
}

json domain_json(const DomainDay& d) {
  json reporters = json::array(), mx = json::array(), results = json::array(), dis = json::array();
  for (const auto& r : d.reporters)
    reporters.push_back({{"organization", r.organization},
                         {"successful_sessions", r.successful},
                         {"failed_sessions", r.failed}});
  for (const auto& m : d.mx)
    mx.push_back({{"host", m.host}, {"failed_sessions", m.failed}, {"result_types", m.results}});
  for (const auto& r : d.results) results.push_back(result_json(r));
  for (const auto& x : d.disagreements)
    dis.push_back({{"mx", x.mx},
                   {"failing", sides_json(x.failing)},
                   {"succeeding", sides_json(x.succeeding)}});
  return {{"policy_domain", d.domain},
          {"day", d.day},
          {"policy_types", d.policy_types},
          {"successful_sessions", d.successful},
          {"failed_sessions", d.failed},
          {"reporters", reporters},
          {"mx", mx},
          {"result_types", results},
          {"disagreements", dis}};
}

json verify_json(const VerifyResults& v) {
  json results = json::array();
  for (const auto& r : v.verdicts) {
    results.push_back({{"policy_domain", r.target.domain},
                       {"result_type", r.target.result_word},
                       {"receiving_mx_hostname", r.target.mx},
                       {"receiving_ip", r.target.ip},
                       {"failed_sessions", r.target.failed_sessions},
                       {"reporters", r.target.reporters},
                       {"retest", to_string(r.retest)},
                       {"state", to_string(r.state)},
                       {"now", r.now},
                       {"checks", r.checks}});
  }
  return {{"results", results}, {"skipped", v.skipped}};
}

}  // namespace

json run_to_json(const Run& run, const std::vector<DomainDay>& summary,
                 const std::string& store_path, const VerifyResults* verify) {
  json domains = json::array(), reports = json::array(), quarantined = json::array();
  for (const auto& d : summary) domains.push_back(domain_json(d));
  for (const auto& r : run.reports) reports.push_back(report_json(r));
  for (const auto& q : run.quarantined)
    quarantined.push_back({{"source", q.source}, {"reason", q.reason}});
  return {{"schema", "intransit.tlsrpt/1"},
          {"store", store_path.empty() ? json(nullptr) : json(store_path)},
          {"counts",
           {{"inputs", run.inputs},
            {"files", run.stats.files},
            {"messages", run.stats.messages},
            {"messages_without_report", run.stats.messages_without},
            {"reports", run.reports.size()},
            {"new", run.count(Status::new_report)},
            {"known", run.count(Status::known)},
            {"duplicate", run.count(Status::duplicate)},
            {"quarantined", run.quarantined.size()}}},
          {"domains", domains},
          {"reports", reports},
          {"quarantined", quarantined},
          {"problems", run.stats.problems},
          {"verify", verify != nullptr ? verify_json(*verify) : json(nullptr)},
          {"not_checked", verify != nullptr ? kNotCheckedVerified : kNotChecked}};
}

}  // namespace intransit::tlsrpt
