// generate.hpp — `tlsrpt generate`: RFC 8460 §4 aggregate reports written from a sending MTA's
// per-delivery facts (logs/delivery.hpp) for one UTC day, one report per destination domain
// that publishes a TLS-RPT rua (RFC 8460 §3), with the policy the engine found for it (§4.2:
// sts, tlsa or no-policy-found and its policy-string), the session counts (§4.4) and the
// failures with the result type the log shows (§4.3), gzip-compressed, named after §5.3
// (submitter!policy-domain!begin!end!unique.json.gz). Pure: the policies come in as data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "logs/delivery.hpp"
#include "tlsrpt/report.hpp"

namespace intransit::tlsrpt {

// What the engine found for one destination domain.
struct DomainPolicy {
  PolicyType type = PolicyType::no_policy_found;  // sts, tlsa or no_policy_found
  std::vector<std::string> policy_string;         // MTA-STS policy lines, or the TLSA records
  std::vector<std::string> mx_host;               // MTA-STS mx patterns (sts only)
  std::vector<std::string> rua;                   // from _smtp._tls; no report without one
};

struct GenerateOptions {
  std::string organization;  // organization-name
  std::string contact;       // contact-info
  std::string submitter;     // the domain in the file name (RFC 8460 §5.3)
  std::int64_t day = 0;      // the UTC day's first second (epoch)
  std::string unique;        // makes report-ids and file names unique across runs
};

struct GeneratedReport {
  std::string domain, report_id, file_name;
  std::string json;  // the report, as RFC 8460 §4.4 JSON
  std::string gzip;  // the same, gzip-compressed (RFC 1952)
  std::vector<std::string> rua;
  std::uint64_t successful = 0, failed = 0;
};

// The failure a delivery shows under `type`; nullopt when the session met the policy, and
// "" (skip) when no session took place (no connection, or the log cannot say).
std::optional<std::string> session_failure(const logs::Delivery& d, PolicyType type);

// Reports for the deliveries of `options.day` to domains in `policies` that publish a rua.
std::vector<GeneratedReport> generate_reports(const std::vector<logs::Delivery>& deliveries,
                                              const std::map<std::string, DomainPolicy>& policies,
                                              const GenerateOptions& options);

// RFC 8460 §5.3 file name: submitter!policy-domain!begin!end!unique.json.gz (epoch seconds).
std::string report_file_name(std::string_view submitter, std::string_view domain,
                             std::int64_t begin, std::int64_t end, std::string_view unique);

// RFC 1952 gzip of `bytes` (zlib).
std::string gzip_bytes(std::string_view bytes);

}  // namespace intransit::tlsrpt
