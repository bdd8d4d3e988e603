// alert_rules.hpp — what `serve`'s monitor tells people when a monitored domain's check changes:
// the verdict got worse (or better), a certificate on an MX address expired or is about to, the
// leaf certificate was replaced, DNSSEC or DANE went away, the MTA-STS policy left enforce mode,
// or the domain could no longer be tested. Pure: two intransit.check/1 documents in, alerts out;
// the wording is plain, for the administrator who reads the mail. The JSON form is
// intransit.alert/1 (docs/schema/alert.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace intransit::serve {

struct Alert {
  std::string domain;
  std::string kind;      // verdict-worse, certificate-expired, ... (alert.schema.json)
  std::string before;    // what it was, in a few words ("" on the first check)
  std::string after;     // what it is now
  std::string why;       // one or two sentences for people
  std::string severity;  // info, low, medium, high, critical
};

// Compares a domain's new check with its previous one (`before`, null on the first check, measured
// at `before_at`, 0 when not known). Certificates count from `now`; a certificate is reported when
// it expires within `cert_days` days and was not already in that state at the previous check.
std::vector<Alert> compare_checks(const nlohmann::json* before, const nlohmann::json& after,
                                  int cert_days, std::int64_t now, std::int64_t before_at = 0);

// The intransit.alert/1 document for a webhook and the API.
nlohmann::json alert_to_json(const Alert& alert, std::int64_t at);

}  // namespace intransit::serve
