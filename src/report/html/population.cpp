// population.cpp — see population.hpp.
#include "report/html/population.hpp"

#include <algorithm>
#include <unordered_map>

namespace intransit::report::html {
namespace {

using Tally = std::unordered_map<std::string, long long>;

std::vector<Count> top_counts(const Tally& tally, std::size_t top) {
  std::vector<Count> out;
  out.reserve(tally.size());
  for (const auto& [label, n] : tally) out.push_back({label, n});
  std::sort(out.begin(), out.end(), [](const Count& a, const Count& b) {
    return a.n != b.n ? a.n > b.n : a.label < b.label;
  });
  if (out.size() > top) out.resize(top);
  return out;
}

std::vector<OperatorCount> top_operators(std::unordered_map<std::string, OperatorCount>& ops,
                                         std::size_t top) {
  std::vector<OperatorCount> out;
  out.reserve(ops.size());
  for (auto& [name, op] : ops) out.push_back(std::move(op));
  std::sort(out.begin(), out.end(), [](const OperatorCount& a, const OperatorCount& b) {
    return a.domains != b.domains ? a.domains > b.domains : a.name < b.name;
  });
  if (out.size() > top) out.resize(top);
  return out;
}

void count_policies(PopulationStats& s, const DomainRow& r) {
  if (r.dane) ++s.dane;
  if (r.tls_rpt) ++s.tls_rpt;
  if (r.mta_sts == "enforce") ++s.mta_sts_enforce;
  if (r.mta_sts == "testing") ++s.mta_sts_testing;
  if (r.mta_sts == "none") ++s.mta_sts_none;
}

}  // namespace

PopulationStats population_stats(const std::vector<DomainRow>& rows, std::size_t top) {
  PopulationStats s;
  Tally versions, certs, findings;
  std::unordered_map<std::string, OperatorCount> ops;
  for (const auto& r : rows) {
    ++s.domains;
    const auto v = static_cast<std::size_t>(r.verdict);
    ++s.verdicts[v];
    count_policies(s, r);
    for (const auto& x : r.tls_versions) ++versions[x];
    for (const auto& x : r.cert_problems) ++certs[x];
    for (const auto& x : r.findings) ++findings[x];
    for (const auto& name : r.operators) {
      auto& op = ops[name];
      op.name = name;
      ++op.domains;
      ++op.verdicts[v];
    }
  }
  s.cert_problem_kinds = certs.size();
  s.finding_kinds = findings.size();
  s.operator_count = ops.size();
  s.tls_versions = top_counts(versions, 16);
  std::sort(s.tls_versions.begin(), s.tls_versions.end(),
            [](const Count& a, const Count& b) { return a.label > b.label; });
  s.cert_problems = top_counts(certs, top);
  s.findings = top_counts(findings, top);
  s.operators = top_operators(ops, top);
  return s;
}

BaselineDiff baseline_diff(const std::vector<DomainRow>& before,
                           const std::vector<DomainRow>& after) {
  std::unordered_map<std::string_view, Verdict> old_verdicts, new_verdicts;
  for (const auto& r : before) old_verdicts[r.domain] = r.verdict;
  for (const auto& r : after) new_verdicts[r.domain] = r.verdict;
  BaselineDiff d;
  for (const auto& [domain, now] : new_verdicts) {
    const auto it = old_verdicts.find(domain);
    if (it == old_verdicts.end()) {
      d.added.emplace_back(domain);
      continue;
    }
    const VerdictChange change{std::string(domain), it->second, now};
    const auto was_rank = verdict_rank(it->second), now_rank = verdict_rank(now);
    if (it->second == now)
      ++d.unchanged;
    else if (!was_rank || !now_rank)
      d.other.push_back(change);
    else if (*now_rank > *was_rank)
      d.improved.push_back(change);
    else
      d.declined.push_back(change);
  }
  for (const auto& [domain, was] : old_verdicts) {
    if (!new_verdicts.contains(domain)) d.removed.emplace_back(domain);
  }
  const auto by_domain = [](const VerdictChange& a, const VerdictChange& b) {
    return a.domain < b.domain;
  };
  std::sort(d.improved.begin(), d.improved.end(), by_domain);
  std::sort(d.declined.begin(), d.declined.end(), by_domain);
  std::sort(d.other.begin(), d.other.end(), by_domain);
  std::sort(d.added.begin(), d.added.end());
  std::sort(d.removed.begin(), d.removed.end());
  return d;
}

}  // namespace intransit::report::html
