// fuzz_sts_record.cpp — fuzz target for the `_mta-sts` TXT record (RFC 8461 §3.1) and the
// TLS-RPT record (RFC 8460 §3): the input is split into TXT strings at NUL bytes. Properties:
// an accepted id is 1-32 alphanumerics; accepted rua URIs are mailto: or https:; a refusal of a
// present record says why; no record at all is not an error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "policy/mtasts.hpp"
#include "policy/tlsrpt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> txts(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      txts.emplace_back();
    } else {
      txts.back() += static_cast<char>(data[i]);
    }
  }
  std::string error;
  if (const auto r = intransit::policy::select_sts_record(txts, error)) {
    FUZZ_CHECK(!r->id.empty() && r->id.size() <= 32);
    for (char c : r->id)
      FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  error.clear();
  if (const auto t = intransit::policy::select_tlsrpt_record(txts, error)) {
    FUZZ_CHECK(!t->rua.empty());
    for (const auto& uri : t->rua) {
      std::string head = uri.substr(0, 8);
      for (char& c : head) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      FUZZ_CHECK(head.rfind("mailto:", 0) == 0 || head == "https://");
    }
  }
  return 0;
}
