// retest.cpp — see retest.hpp.
#include "tlsrpt/retest.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/text.hpp"
#include "tlsrpt/summary.hpp"

namespace intransit::tlsrpt {

std::string_view to_string(Retest retest) {
  switch (retest) {
    case Retest::policy_fetch: return "policy-fetch";
    case Retest::probe: return "probe";
    case Retest::dane: return "dane";
    case Retest::none: break;
  }
  return "none";
}

std::string_view to_string(RetestState state) {
  switch (state) {
    case RetestState::still_failing: return "still-failing";
    case RetestState::no_longer_reproduces: return "no-longer-reproduces";
    case RetestState::could_not_test: break;
  }
  return "could-not-test";
}

Retest retest_for(std::optional<ResultType> type) {
  if (!type) return Retest::none;
  switch (*type) {
    case ResultType::sts_policy_fetch_error:
    case ResultType::sts_policy_invalid:
    case ResultType::sts_webpki_invalid: return Retest::policy_fetch;
    case ResultType::starttls_not_supported:
    case ResultType::certificate_host_mismatch:
    case ResultType::certificate_expired:
    case ResultType::certificate_not_trusted:
    case ResultType::validation_failure: return Retest::probe;
    case ResultType::tlsa_invalid:
    case ResultType::dnssec_invalid:
    case ResultType::dane_required: return Retest::dane;
  }
  return Retest::none;
}

namespace {

std::string host_name(std::string_view name) {
  std::string h = text::lower(std::string(name));
  if (!h.empty() && h.back() == '.') h.pop_back();
  return h;
}

}  // namespace

std::vector<Target> retest_targets(const std::vector<ReadReport>& reports) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, Target> targets;
  for (const auto& r : reports) {
    if (r.status == Status::duplicate) continue;
    for (const auto& p : r.report.policies) {
      for (const auto& f : p.failures) {
        Target t;
        t.domain = p.domain;
        t.result_word = text::lower(f.result_word);
        t.result_type = f.result_type;
        t.mx = host_name(f.receiving_mx_hostname);
        t.ip = f.receiving_ip;
        auto [it, fresh] =
            targets.try_emplace(Key{t.domain, t.result_word, t.mx, t.ip}, std::move(t));
        auto& target = it->second;
        target.failed_sessions = saturating_add(target.failed_sessions, f.failed_sessions);
        if (std::find(target.reporters.begin(), target.reporters.end(), r.report.organization) ==
            target.reporters.end())
          target.reporters.push_back(r.report.organization);
      }
    }
  }
  std::vector<Target> out;
  out.reserve(targets.size());
  for (auto& [key, t] : targets) out.push_back(std::move(t));
  return out;
}

}  // namespace intransit::tlsrpt
