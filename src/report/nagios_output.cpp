// nagios_output.cpp — see nagios_output.hpp. Performance data follows the guidelines' form
// 'label'=value[UOM];[warn];[crit];[min];[max] with one label set per domain.
#include "report/nagios_output.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/check_digest.hpp"

namespace intransit::report {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

int verdict_rank(const std::string& verdict) {
  if (verdict == "enforced" || verdict == "no-mail") return 4;
  if (verdict == "opportunistic") return 3;
  if (verdict == "partial") return 2;
  if (verdict == "plaintext") return 1;
  return 0;
}

int required_rank(const std::string& level) {
  if (level == "enforced") return 4;
  if (level == "opportunistic") return 3;
  if (level == "partial") return 2;
  return -1;
}

// Severity order for combining domains: CRITICAL > WARNING > UNKNOWN > OK.
int badness(PluginState s) {
  switch (s) {
    case PluginState::ok: return 0;
    case PluginState::unknown: return 1;
    case PluginState::warning: return 2;
    case PluginState::critical: return 3;
  }
  return 1;
}

PluginState worse(PluginState a, PluginState b) {
  return badness(a) >= badness(b) ? a : b;
}

const char* state_word(PluginState s) {
  switch (s) {
    case PluginState::ok: return "OK";
    case PluginState::warning: return "WARNING";
    case PluginState::critical: return "CRITICAL";
    case PluginState::unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::optional<std::int64_t> days_left(const CheckDigest& d, std::int64_t now) {
  if (!d.earliest_expiry) return std::nullopt;
  const auto seconds = *d.earliest_expiry - now;
  // Floor division: a certificate that expired an hour ago has -1 days, not 0.
  return seconds >= 0 ? seconds / kSecondsPerDay
                      : -((-seconds + kSecondsPerDay - 1) / kSecondsPerDay);
}

PluginState certificate_state(const CheckDigest& d, const NagiosOptions& o, std::int64_t now) {
  const auto days = days_left(d, now);
  if (!days) return PluginState::ok;
  if (*days <= o.cert_crit_days) return PluginState::critical;
  if (*days <= o.cert_warn_days) return PluginState::warning;
  return PluginState::ok;
}

std::string verdict_words(const CheckDigest& d) {
  std::string words = d.verdict;
  if (!d.enforced_by.empty()) {
    words += " via ";
    for (std::size_t i = 0; i < d.enforced_by.size(); ++i) {
      words += (i ? " and " : "") + d.enforced_by[i];
    }
  }
  if (!d.untested_reason.empty()) words += " (" + d.untested_reason + ")";
  return words;
}

// Labels may not hold '=' or a single quote (the guidelines); domain names cannot, but the
// document may come from elsewhere.
std::string label(const CheckDigest& d, const char* name, bool several) {
  std::string text = several ? d.domain + " " + name : name;
  std::replace(text.begin(), text.end(), '\'', '_');
  std::replace(text.begin(), text.end(), '=', '_');
  return "'" + text + "'";
}

std::string perfdata(const CheckDigest& d, const NagiosOptions& o, std::int64_t now, bool several) {
  std::string out = fmt::format("{}={};;;0 {}={};;;0 {}={};;;0", label(d, "addresses", several),
                                d.addresses, label(d, "addresses_tls", several), d.tls,
                                label(d, "addresses_plaintext", several), d.plaintext);
  if (const auto days = days_left(d, now)) {
    out += fmt::format(" {}={}d;{};{}", label(d, "cert_days", several), *days, o.cert_warn_days,
                       o.cert_crit_days);
  }
  out += fmt::format(" {}={:.3f}s;;;0", label(d, "time", several), d.elapsed_seconds);
  return out;
}

std::string long_output(const nlohmann::json& doc, const CheckDigest& d, std::int64_t now) {
  std::string out = fmt::format("{}: {}\n", d.domain, d.summary);
  if (const auto days = days_left(d, now)) {
    out += fmt::format("  earliest MX certificate expiry in {} days\n", *days);
  }
  const auto it = doc.find("findings");
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& f : *it) {
    if (!f.is_object() || f.value("severity", "") == "info") continue;
    out += fmt::format("  [{}] {} ({}): {}\n", f.value("severity", "?"), f.value("id", "?"),
                       f.value("scope", ""), f.value("evidence", ""));
  }
  return out;
}

}  // namespace

PluginState domain_state(const nlohmann::json& check_doc, const NagiosOptions& options,
                         std::int64_t now) {
  const auto d = digest_check(check_doc);
  PluginState state = PluginState::ok;
  if (d.verdict == "untested" || d.verdict.empty()) {
    state = PluginState::unknown;
  } else if (d.verdict == "broken") {
    state = PluginState::critical;
  } else if (required_rank(options.require) >= 0) {
    if (verdict_rank(d.verdict) < required_rank(options.require)) state = PluginState::critical;
  } else if (d.verdict == "plaintext" || d.verdict == "partial") {
    state = PluginState::warning;
  }
  return worse(state, certificate_state(d, options, now));
}

NagiosResult nagios_output(const std::vector<nlohmann::json>& check_docs,
                           const NagiosOptions& options, std::int64_t now) {
  NagiosResult result;
  result.state = PluginState::ok;
  const bool several = check_docs.size() > 1;
  std::string status, perf, details;
  for (const auto& doc : check_docs) {
    const auto d = digest_check(doc);
    const auto state = domain_state(doc, options, now);
    result.state = worse(result.state, state);
    status += fmt::format("{}{}: {}{}", status.empty() ? "" : "; ", d.domain, verdict_words(d),
                          several ? fmt::format(" [{}]", state_word(state)) : "");
    perf += (perf.empty() ? "" : " ") + perfdata(d, options, now, several);
    details += long_output(doc, d, now);
  }
  if (check_docs.empty()) result.state = PluginState::unknown;
  result.text =
      fmt::format("INTRANSIT {} - {} | {}\n{}", state_word(result.state), status, perf, details);
  return result;
}

}  // namespace intransit::report
