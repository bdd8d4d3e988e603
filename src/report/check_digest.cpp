// check_digest.cpp — see check_digest.hpp.
#include "report/check_digest.hpp"

#include <algorithm>
#include <ctime>

namespace intransit::report {
namespace {
using nlohmann::json;

std::string string_at(const json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::int64_t integer_at(const json& j, const char* key) {
  if (!j.is_object()) return 0;
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

const json& member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

void read_addresses(const json& mx, CheckDigest& d) {
  const auto host = string_at(mx, "host");
  const auto& addresses = member(mx, "addresses");
  if (!addresses.is_array()) return;
  for (const auto& a : addresses) {
    const auto& chain = member(member(a, "certificate"), "chain");
    if (!chain.is_array() || chain.empty()) continue;
    const auto not_after = parse_utc_timestamp(string_at(chain.front(), "not_after"));
    if (!not_after) continue;
    const auto& dane = member(a, "dane");
    const bool dane_ee = member(dane, "matched").is_boolean() && dane["matched"].get<bool>() &&
                         string_at(dane, "matched_record").rfind("3 ", 0) == 0;
    d.certificates.push_back({host, string_at(a, "address"), *not_after, dane_ee});
    if (!dane_ee) d.earliest_expiry = std::min(d.earliest_expiry.value_or(*not_after), *not_after);
  }
}

void read_findings(const json& findings, CheckDigest& d) {
  if (!findings.is_array()) return;
  for (const auto& f : findings) {
    const auto severity = string_at(f, "severity");
    const auto count = std::max<std::int64_t>(1, integer_at(f, "count"));
    for (std::size_t i = 0; i < kSeverityWords.size(); ++i) {
      if (severity == kSeverityWords[i]) d.findings_by_severity[i] += count;
    }
  }
}

}  // namespace

std::optional<std::int64_t> parse_utc_timestamp(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  // NOLINTNEXTLINE(cert-err34-c): the whole string is checked with %n below
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != static_cast<int>(text.size())) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm));
}

CheckDigest digest_check(const nlohmann::json& doc) {
  CheckDigest d;
  d.domain = string_at(doc, "domain");
  d.verdict = string_at(doc, "verdict");
  d.untested_reason = string_at(doc, "untested_reason");
  d.summary = string_at(doc, "summary");
  if (const auto& by = member(doc, "enforced_by"); by.is_array()) {
    for (const auto& m : by) {
      if (m.is_string()) d.enforced_by.push_back(m.get<std::string>());
    }
  }
  const auto& counts = member(doc, "counts");
  d.addresses = integer_at(counts, "addresses");
  d.tls = integer_at(counts, "tls");
  d.plaintext = integer_at(counts, "plaintext");
  d.untested = integer_at(counts, "untested");
  d.dnssec = string_at(member(doc, "dnssec"), "status");
  const auto& policy = member(member(doc, "mta_sts"), "policy");
  d.mta_sts_mode = policy.is_object() ? string_at(policy, "mode") : "absent";
  if (const auto& mxs = member(doc, "mx"); mxs.is_array()) {
    for (const auto& mx : mxs) {
      ++d.mx_hosts;
      if (const auto& applies = member(mx, "dane_applies");
          applies.is_boolean() && applies.get<bool>()) {
        ++d.mx_with_dane;
      }
      read_addresses(mx, d);
    }
  }
  read_findings(member(doc, "findings"), d);
  d.elapsed_seconds = static_cast<double>(integer_at(doc, "elapsed_ms")) / 1000.0;
  return d;
}

}  // namespace intransit::report
