// report.hpp — one TLS-RPT aggregate report (RFC 8460 §4: organization-name, date-range,
// contact-info, report-id, policies[] with policy, summary and failure-details), read from its
// JSON bytes. Strict about what the RFC requires to make sense of a report (who, when, which
// domain, how many sessions); tolerant of what real reporters do beside the RFC, and every
// tolerance becomes a Note on the report (never silent). A report that cannot be read gives the
// reason instead. Bounded (core/limits.hpp, limits::tlsrpt), no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/result_types.hpp"

namespace intransit::tlsrpt {

// A tolerance or oddity, with a stable id ("number-as-string") and where it was seen.
struct Note {
  std::string id;
  std::string detail;
};

enum class PolicyType : std::uint8_t { sts, tlsa, no_policy_found, other };
std::string_view to_string(PolicyType type);

struct FailureDetail {
  std::string result_word;                // as the reporter wrote it
  std::optional<ResultType> result_type;  // nullopt: a word RFC 8460 §4.3 does not define
  std::string sending_mta_ip, receiving_mx_hostname, receiving_mx_helo, receiving_ip;
  std::string additional_information, failure_reason_code;
  std::uint64_t failed_sessions = 0;
};

struct PolicyResult {
  PolicyType type = PolicyType::other;
  std::string type_word;                   // as written
  std::vector<std::string> policy_string;  // the policy's lines (MTA-STS) or TLSA records
  std::string domain;                      // lower case, no trailing dot
  std::vector<std::string> mx_host;
  std::uint64_t successful = 0, failed = 0;
  std::vector<FailureDetail> failures;
};

struct Report {
  std::string organization, contact, report_id;
  std::int64_t start = 0, end = 0;  // epoch seconds, UTC
  std::vector<PolicyResult> policies;
  std::vector<Note> notes;
};

// Reads a report from its (already decompressed) JSON bytes. nullopt with `error` when it cannot
// be read. Notes from decoding (gzip, BOM) may be passed in `notes` and are kept on the report.
std::optional<Report> parse_report(std::string_view json, std::string& error,
                                   std::vector<Note> notes = {});

}  // namespace intransit::tlsrpt
