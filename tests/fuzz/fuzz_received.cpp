// fuzz_received.cpp — fuzz target for the Received parser (trace/received.hpp). Properties:
// `raw` and every clause are free of control bytes (they reach terminals and JSON); a version,
// when found, is one of the normalised names; every verdict carries evidence; the value is
// read up to the cap and `truncated` says so exactly when it was longer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/limits.hpp"
#include "fuzz_check.hpp"
#include "trace/received.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const auto hop = intransit::trace::parse_received(value);
  const auto t = hop.texts();
  for (const auto s : {t.raw, t.from, t.from_info, t.by, t.by_info, t.via, t.with, t.id, t.for_,
                       t.date, t.cipher, t.evidence}) {
    FUZZ_CHECK(fuzz_no_control_bytes(s));
  }
  if (hop.tls_version) {
    const auto& v = *hop.tls_version;
    FUZZ_CHECK(v == "TLSv1.0" || v == "TLSv1.1" || v == "TLSv1.2" || v == "TLSv1.3" ||
               v == "SSLv3");
  }
  FUZZ_CHECK(!hop.evidence().empty());
  FUZZ_CHECK(hop.truncated == (size > intransit::limits::kReceivedBytes));
  return 0;
}
