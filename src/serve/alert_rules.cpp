// alert_rules.cpp — see alert_rules.hpp. Certificate expiry follows report/check_digest (the
// leaf's not_after, DANE-EE-authenticated leaves left out: RFC 7672 §3.1.1 makes their dates
// irrelevant); verdict order follows the report's rank (DESIGN.md §3).
#include "serve/alert_rules.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/check_digest.hpp"
#include "report/html/vocabulary.hpp"

namespace intransit::serve {
namespace {

constexpr std::int64_t kDay = 86400;

using report::CheckDigest;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string day_text(std::int64_t t) {
  return fmt::format("{:%Y-%m-%d}", fmt::gmtime(static_cast<std::time_t>(t)));
}

std::string verdict_text(const CheckDigest& d) {
  if (d.verdict == "enforced" && !d.enforced_by.empty())
    return "enforced (" + join(d.enforced_by) + ")";
  if (d.verdict == "untested" && !d.untested_reason.empty())
    return "untested (" + d.untested_reason + ")";
  return d.verdict;
}

std::optional<int> rank_of(const std::string& verdict) {
  const auto v = report::html::parse_verdict(verdict);
  return v ? report::html::verdict_rank(*v) : std::nullopt;
}

void compare_verdicts(const CheckDigest& was, const CheckDigest& now, std::vector<Alert>& out) {
  if (was.verdict == now.verdict) return;
  const auto r0 = rank_of(was.verdict), r1 = rank_of(now.verdict);
  if (now.verdict == "untested" && was.verdict != "untested") {
    out.push_back({now.domain, "untested", verdict_text(was), verdict_text(now),
                   "The domain could not be tested this time (" + now.untested_reason +
                       "); nothing is known about its protection until a check succeeds. " +
                       now.summary,
                   "medium"});
    return;
  }
  if (!r0 || !r1 || *r0 == *r1) return;  // from untested or no-mail: no protection to compare
  const bool worse = *r1 < *r0;
  const bool exposed = now.verdict == "plaintext" || now.verdict == "broken";
  out.push_back({now.domain, worse ? "verdict-worse" : "verdict-better", verdict_text(was),
                 verdict_text(now), now.summary, worse ? (exposed ? "critical" : "high") : "info"});
}

// Leaf certificates by MX address, as of time `at`: "expired", "expiring" or "" (fine).
std::string expiry_state(std::int64_t not_after, std::int64_t at, int cert_days) {
  if (not_after <= at) return "expired";
  if (not_after - at < static_cast<std::int64_t>(cert_days) * kDay) return "expiring";
  return "";
}

void compare_certificates(const CheckDigest* was, std::int64_t was_at, const CheckDigest& now,
                          int cert_days, std::int64_t at, std::vector<Alert>& out) {
  std::map<std::string, std::string> was_state;  // address -> state at the previous check
  if (was != nullptr)
    for (const auto& c : was->certificates)
      if (!c.dane_ee) was_state[c.address] = expiry_state(c.not_after, was_at, cert_days);
  std::vector<std::string> expired, expiring;
  std::int64_t soonest = 0;
  for (const auto& c : now.certificates) {
    if (c.dane_ee) continue;
    const auto state = expiry_state(c.not_after, at, cert_days);
    if (state.empty()) continue;
    const auto it = was_state.find(c.address);
    if (it != was_state.end() && it->second == state) continue;  // already told
    const auto where = c.mx + " (" + c.address + ")";
    if (state == "expired") {
      expired.push_back(where + " expired " + day_text(c.not_after));
    } else {
      expiring.push_back(where + " expires " + day_text(c.not_after));
      soonest = soonest == 0 ? c.not_after : std::min(soonest, c.not_after);
    }
  }
  if (!expired.empty())
    out.push_back({now.domain, "certificate-expired", "", join(expired),
                   "The certificate on " + join(expired) +
                       ". Senders that authenticate the server (DANE-TA, MTA-STS enforce) will "
                       "not deliver to it; renew the certificate.",
                   "high"});
  if (!expiring.empty())
    out.push_back(
        {now.domain, "certificate-expiring", "", join(expiring),
         fmt::format("The certificate on {}: in {} day(s), within the {} days watched. "
                     "Renew it before then.",
                     join(expiring), std::max<std::int64_t>(0, (soonest - at) / kDay), cert_days),
         "medium"});
}

// Leaf fingerprints by address.
std::map<std::string, std::string> leaf_fingerprints(const nlohmann::json& doc) {
  std::map<std::string, std::string> out;
  const auto mxs = doc.find("mx");
  if (mxs == doc.end() || !mxs->is_array()) return out;
  for (const auto& mx : *mxs) {
    if (!mx.is_object() || !mx.contains("addresses") || !mx["addresses"].is_array()) continue;
    for (const auto& a : mx["addresses"]) {
      if (!a.is_object() || !a.contains("address") || !a["address"].is_string()) continue;
      const auto* cert = a.contains("certificate") ? &a["certificate"] : nullptr;
      if (cert == nullptr || !cert->is_object() || !cert->contains("chain")) continue;
      const auto& chain = (*cert)["chain"];
      if (!chain.is_array() || chain.empty() || !chain.front().is_object()) continue;
      const auto fp = chain.front().find("sha256_fingerprint");
      if (fp != chain.front().end() && fp->is_string())
        out[a["address"].get<std::string>()] = fp->get<std::string>();
    }
  }
  return out;
}

void compare_leaves(const nlohmann::json& before, const nlohmann::json& after,
                    const std::string& domain, std::vector<Alert>& out) {
  const auto was = leaf_fingerprints(before), now = leaf_fingerprints(after);
  std::vector<std::string> changed;
  for (const auto& [address, fp] : now) {
    const auto it = was.find(address);
    if (it != was.end() && it->second != fp) changed.push_back(address);
  }
  if (changed.empty()) return;
  out.push_back({domain, "certificate-changed", "", join(changed),
                 "A different certificate is now served on " + join(changed) +
                     ". Expected after a renewal; if a DANE TLSA record pins the old one, "
                     "update it.",
                 "info"});
}

void compare_protections(const CheckDigest& was, const CheckDigest& now, std::vector<Alert>& out) {
  if (was.dnssec == "secure" && now.dnssec != "secure" && !now.dnssec.empty() &&
      now.dnssec != "unknown")
    out.push_back(
        {now.domain, "dnssec-lost", was.dnssec, now.dnssec,
         "The domain's DNS answers are no longer DNSSEC-" +
             std::string(now.dnssec == "bogus" ? "valid (they fail validation)" : "signed") +
             "; DANE cannot protect mail to it without DNSSEC.",
         now.dnssec == "bogus" ? "critical" : "high"});
  if (now.mx_with_dane < was.mx_with_dane && now.verdict != "untested")
    out.push_back({now.domain, "dane-lost", fmt::format("{} MX with DANE", was.mx_with_dane),
                   fmt::format("{} MX with DANE", now.mx_with_dane),
                   "Fewer MX hosts publish usable TLSA records than at the previous check.",
                   "high"});
  if (was.mta_sts_mode == "enforce" && now.mta_sts_mode != "enforce" && now.verdict != "untested")
    out.push_back({now.domain, "mta-sts-downgraded", "enforce", now.mta_sts_mode,
                   "The MTA-STS policy is no longer in enforce mode, so senders that honour it "
                   "may fall back to unauthenticated or plaintext delivery.",
                   "medium"});
  if (was.plaintext == 0 && now.plaintext > 0)
    out.push_back({now.domain, "plaintext-addresses", "0",
                   fmt::format("{} of {}", now.plaintext, now.addresses),
                   fmt::format("{} of the domain's {} MX addresses now accept mail without "
                               "STARTTLS.",
                               now.plaintext, now.addresses),
                   "high"});
}

}  // namespace

std::vector<Alert> compare_checks(const nlohmann::json* before, const nlohmann::json& after,
                                  int cert_days, std::int64_t now, std::int64_t before_at) {
  std::vector<Alert> out;
  if (!after.is_object()) return out;
  const auto digest = report::digest_check(after);
  if (before != nullptr && before->is_object()) {
    const auto was = report::digest_check(*before);
    compare_verdicts(was, digest, out);
    compare_protections(was, digest, out);
    compare_certificates(&was, before_at > 0 ? before_at : now, digest, cert_days, now, out);
    compare_leaves(*before, after, digest.domain, out);
  } else {
    compare_certificates(nullptr, 0, digest, cert_days, now, out);
  }
  return out;
}

nlohmann::json alert_to_json(const Alert& a, std::int64_t at) {
  return {{"schema", "intransit.alert/1"},
          {"domain", a.domain},
          {"kind", a.kind},
          {"severity", a.severity},
          {"before", a.before},
          {"after", a.after},
          {"why", a.why},
          {"at", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(static_cast<std::time_t>(at)))}};
}

}  // namespace intransit::serve
