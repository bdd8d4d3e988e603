// fuzz_sts_policy.cpp — fuzz target for policy::parse_sts_policy (RFC 8461 §3.2). Properties: an
// accepted policy keeps its bounds (max_age ≤ 31557600, ≤ 1000 mx, every mx a valid pattern,
// non-none modes have mx); a refusal always says why; CRLF and LF forms parse alike.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "policy/mtasts.hpp"
#include "policy/text_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto p = intransit::policy::parse_sts_policy(body, error);
  if (!p) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  FUZZ_CHECK(p->max_age <= 31557600u);
  FUZZ_CHECK(p->mx.size() <= 1000);
  FUZZ_CHECK(p->mode == intransit::policy::StsMode::none || !p->mx.empty());
  for (const auto& mx : p->mx) FUZZ_CHECK(intransit::policy::is_mx_pattern(mx));
  // The same policy with CRLF line ends is the same policy.
  if (body.find('\r') == std::string::npos) {
    std::string crlf;
    for (char c : body) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    std::string error2;
    const auto q = intransit::policy::parse_sts_policy(crlf, error2);
    if (crlf.size() <= 64 * 1024) {
      FUZZ_CHECK(q.has_value());
      FUZZ_CHECK(q->mx == p->mx && q->max_age == p->max_age && q->mode == p->mode);
    }
  }
  return 0;
}
