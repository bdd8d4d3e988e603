// check_digest.hpp — the few numbers monitoring wants from an `intransit.check/1` document
// (docs/json-schema.md): address counts, the earliest leaf-certificate expiry over the MX
// addresses, findings by severity. Read from the JSON so every consumer (the `check --format
// nagios|prometheus` outputs now, `serve`'s /metrics later, which keeps the JSON) sees the same.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace intransit::report {

// One probed address's leaf certificate expiry.
struct CertificateExpiry {
  std::string mx;              // the MX host
  std::string address;         // IP:PORT
  std::int64_t not_after = 0;  // seconds since the epoch (UTC)
  // Authenticated by a DANE-EE record (usage 3), whose expiry does not matter (RFC 7672 §3.1.1).
  bool dane_ee = false;
};

struct CheckDigest {
  std::string domain;
  std::string verdict;  // as in the document
  std::vector<std::string> enforced_by;
  std::string untested_reason;  // "" when not untested
  std::string summary;
  std::int64_t addresses = 0, tls = 0, plaintext = 0, untested = 0;
  std::string dnssec;        // secure, insecure, bogus, unknown
  std::string mta_sts_mode;  // enforce, testing, none, or "absent" (no policy)
  std::int64_t mx_hosts = 0;
  std::int64_t mx_with_dane = 0;  // MX hosts whose TLSA applies (RFC 7672 §2.2)
  std::vector<CertificateExpiry> certificates;
  // min not_after over `certificates`, leaving out those a DANE-EE record authenticates
  std::optional<std::int64_t> earliest_expiry;
  std::array<std::int64_t, 5> findings_by_severity{};  // info, low, medium, high, critical
  double elapsed_seconds = 0;
};

inline constexpr std::array<const char*, 5> kSeverityWords = {"info", "low", "medium", "high",
                                                              "critical"};

// Reads what it can; a field missing or of the wrong type is left at its default (the document
// may come from a file), never an exception.
CheckDigest digest_check(const nlohmann::json& doc);

// "2027-01-31T12:00:00Z" as seconds since the epoch; nullopt when it is not that form.
std::optional<std::int64_t> parse_utc_timestamp(const std::string& text);

}  // namespace intransit::report
