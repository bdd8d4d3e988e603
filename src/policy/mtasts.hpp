// mtasts.hpp — MTA-STS (RFC 8461) pure parts: the `_mta-sts` TXT record (§3.1), choosing the
// one record among a name's TXT strings, the policy file (§3.2) and MX pattern matching (§4.1).
// No I/O: the DNS lookup and the HTTPS fetch (no redirects, 64 KiB, text/plain) live elsewhere.
// Strict where a policy is a security control: a malformed policy is refused, never repaired.
// Bounds: core/limits.hpp (kMtaStsPolicyBytes, kMtaStsMxLines); errata 7282 on max_age digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::policy {

struct StsRecord {
  std::string id;  // 1-32 alphanumerics
};

// Parses one TXT string already known to start with "v=STSv1". Error text in `error`.
std::optional<StsRecord> parse_sts_record(std::string_view txt, std::string& error);

// RFC 8461 §3.1: discard TXT strings not starting with "v=STSv1"; exactly one must remain.
// Returns nullopt with `error` empty when there is no record at all (no policy), with `error`
// set when records exist but are unusable (several, or malformed).
std::optional<StsRecord> select_sts_record(const std::vector<std::string>& txts,
                                           std::string& error);

enum class StsMode { enforce, testing, none };
std::string_view to_string(StsMode mode);

struct StsPolicy {
  StsMode mode = StsMode::none;
  std::uint32_t max_age = 0;    // seconds, 0..31557600
  std::vector<std::string> mx;  // patterns as written, lower-cased
};

// Parses a policy body (LF or CRLF lines). nullopt and `error` on any violation.
std::optional<StsPolicy> parse_sts_policy(std::string_view body, std::string& error);

// RFC 8461 §4.1: `host` matches `pattern` exactly, or `pattern` is "*.rest" and `host` is one
// extra left-most label followed by "rest". Case-insensitive; a trailing dot is ignored.
bool mx_matches(std::string_view pattern, std::string_view host);

}  // namespace intransit::policy
