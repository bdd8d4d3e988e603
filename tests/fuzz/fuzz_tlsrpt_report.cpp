// fuzz_tlsrpt_report.cpp — fuzz target for the TLS-RPT report reader: tlsrpt::decode_payload
// (gzip told by magic bytes, bounded) then tlsrpt::parse_report (RFC 8460 §4). Properties: a
// refusal always says why; an accepted report has its required fields, valid UTF-8 everywhere,
// bounded lists and fields, every note with an id; reading the same JSON again gives the same.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "fuzz_check.hpp"
#include "tlsrpt/payload.hpp"
#include "tlsrpt/report.hpp"

namespace {

using intransit::text::is_valid_utf8;
namespace limits = intransit::limits;

void check_strings(const intransit::tlsrpt::Report& r) {
  FUZZ_CHECK(!r.organization.empty() && !r.report_id.empty());
  FUZZ_CHECK(is_valid_utf8(r.organization) && is_valid_utf8(r.report_id) &&
             is_valid_utf8(r.contact));
  FUZZ_CHECK(r.organization.size() <= limits::tlsrpt::kFieldBytes);
  FUZZ_CHECK(r.policies.size() <= limits::tlsrpt::kListEntries);
  for (const auto& p : r.policies) {
    FUZZ_CHECK(is_valid_utf8(p.domain) && !p.type_word.empty());
    FUZZ_CHECK(p.policy_string.size() <= limits::tlsrpt::kListEntries &&
               p.mx_host.size() <= limits::tlsrpt::kListEntries);
    for (const auto& s : p.policy_string)
      FUZZ_CHECK(is_valid_utf8(s) && s.size() <= limits::tlsrpt::kFieldBytes);
    for (const auto& f : p.failures) {
      FUZZ_CHECK(!f.result_word.empty() && is_valid_utf8(f.result_word));
      FUZZ_CHECK(is_valid_utf8(f.receiving_mx_hostname) && is_valid_utf8(f.additional_information));
    }
  }
  for (const auto& n : r.notes) FUZZ_CHECK(!n.id.empty() && is_valid_utf8(n.detail));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto payload = intransit::tlsrpt::decode_payload(bytes, error);
  if (!payload) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  FUZZ_CHECK(payload->json.size() <= limits::tlsrpt::kReportBytes);
  const auto report = intransit::tlsrpt::parse_report(payload->json, error);
  if (!report) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  check_strings(*report);
  std::string again_error;
  const auto again = intransit::tlsrpt::parse_report(payload->json, again_error);
  FUZZ_CHECK(again && again->report_id == report->report_id &&
             again->policies.size() == report->policies.size() &&
             again->notes.size() == report->notes.size());
  return 0;
}
