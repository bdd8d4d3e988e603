// summary.cpp — see summary.hpp.
#include "tlsrpt/summary.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "tlsrpt/datetime.hpp"

namespace intransit::tlsrpt {
namespace {

constexpr const char* kUnnamedMx = "(not named)";

// Per (domain, day): what is gathered before it is sorted into rows.
struct Acc {
  std::set<std::string> types;
  std::map<std::string, ReporterRow> reporters;
  std::map<std::string, MxRow> mx;
  std::map<std::string, ResultRow> results;
  // mx -> organization -> failed sessions; organization -> successful sessions
  std::map<std::string, std::map<std::string, std::uint64_t>> failing;
  std::map<std::string, std::uint64_t> succeeding;
  std::uint64_t successful = 0, failed = 0;
};

void add_policy(Acc& a, const std::string& org, const PolicyResult& p) {
  a.types.insert(p.type == PolicyType::other ? p.type_word : std::string(to_string(p.type)));
  a.successful = saturating_add(a.successful, p.successful);
  a.failed = saturating_add(a.failed, p.failed);
  auto& rep = a.reporters[org];
  rep.organization = org;
  rep.successful = saturating_add(rep.successful, p.successful);
  rep.failed = saturating_add(rep.failed, p.failed);
  a.succeeding[org] = saturating_add(a.succeeding[org], p.successful);
  for (const auto& f : p.failures) {
    const std::string host = f.receiving_mx_hostname.empty() ? kUnnamedMx : f.receiving_mx_hostname;
    auto& mx = a.mx[host];
    mx.host = host;
    mx.failed = saturating_add(mx.failed, f.failed_sessions);
    mx.results[f.result_word] = saturating_add(mx.results[f.result_word], f.failed_sessions);
    const std::string word = f.result_type ? std::string(info(*f.result_type).word) : f.result_word;
    auto& res = a.results[word];
    res.word = word;
    res.type = f.result_type;
    res.sessions = saturating_add(res.sessions, f.failed_sessions);
    if (host != kUnnamedMx)
      a.failing[host][org] = saturating_add(a.failing[host][org], f.failed_sessions);
  }
}

template <typename Row, typename Key>
std::vector<Row> ranked(const std::map<std::string, Row>& rows, Key key) {
  std::vector<Row> out;
  for (const auto& [name, row] : rows) out.push_back(row);
  std::stable_sort(out.begin(), out.end(),
                   [&](const Row& a, const Row& b) { return key(a) > key(b); });
  return out;
}

std::vector<Disagreement> disagreements(const Acc& a) {
  std::vector<Disagreement> out;
  for (const auto& [mx, orgs] : a.failing) {
    Disagreement d{mx, {}, {}};
    for (const auto& [org, n] : orgs) d.failing.push_back({org, n});
    for (const auto& [org, ok] : a.succeeding) {
      if (ok > 0 && orgs.find(org) == orgs.end()) d.succeeding.push_back({org, ok});
    }
    if (!d.succeeding.empty()) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

std::vector<DomainDay> summarize(const std::vector<ReadReport>& reports) {
  std::map<std::pair<std::string, std::string>, Acc> acc;
  for (const auto& r : reports) {
    if (r.status == Status::duplicate) continue;
    const std::string day = format_day(r.report.start);
    for (const auto& p : r.report.policies)
      add_policy(acc[{p.domain, day}], r.report.organization, p);
  }
  std::vector<DomainDay> out;
  for (const auto& [key, a] : acc) {
    DomainDay d;
    d.domain = key.first;
    d.day = key.second;
    d.policy_types.assign(a.types.begin(), a.types.end());
    d.successful = a.successful;
    d.failed = a.failed;
    d.reporters = ranked(a.reporters, [](const ReporterRow& r) { return r.failed; });
    d.mx = ranked(a.mx, [](const MxRow& r) { return r.failed; });
    d.results = ranked(a.results, [](const ResultRow& r) { return r.sessions; });
    d.disagreements = disagreements(a);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace intransit::tlsrpt
