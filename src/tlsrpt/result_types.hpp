// result_types.hpp — the one catalogue of TLS-RPT result types (RFC 8460 §4.3): for each, the
// word reporters write, what it means, what usually causes it and what to do. Reports, text and
// JSON output all read this table; nothing else spells these words.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace intransit::tlsrpt {

enum class ResultType : std::uint8_t {
  starttls_not_supported,     // §4.3.1 negotiation failures
  certificate_host_mismatch,  // §4.3.1
  certificate_expired,        // §4.3.1
  certificate_not_trusted,    // §4.3.1
  validation_failure,         // §4.3.1
  tlsa_invalid,               // §4.3.2 policy failures (DANE)
  dnssec_invalid,             // §4.3.2
  dane_required,              // §4.3.2
  sts_policy_fetch_error,     // §4.3.2 (MTA-STS)
  sts_policy_invalid,         // §4.3.2
  sts_webpki_invalid,         // §4.3.2
};

struct ResultTypeInfo {
  ResultType type;
  std::string_view word;     // as reporters write it
  std::string_view rfc;      // section that defines it
  std::string_view meaning;  // plain words
  std::string_view causes;   // what usually makes it happen
  std::string_view remedy;   // what the receiving domain's admin does
};

inline constexpr std::size_t kResultTypes = 11;

// The catalogue, in RFC order; index = static_cast<size_t>(ResultType).
extern const std::array<ResultTypeInfo, kResultTypes> kResultTypeTable;

const ResultTypeInfo& info(ResultType type);
// The catalogue entry for a reporter's word (exact, as RFC 8460 §4.3 spells it; ASCII case
// ignored); nullopt for a word the RFC does not define.
std::optional<ResultType> result_type_from_word(std::string_view word);

}  // namespace intransit::tlsrpt
