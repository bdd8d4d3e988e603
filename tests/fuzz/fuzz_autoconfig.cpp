// fuzz_autoconfig.cpp — fuzz target for policy::parse_autoconfig (Thunderbird's
// config-v1.1.xml, parsed with libexpat). Properties: never more than the server cap; every
// accepted server has a known type for its direction, a port in 1-65535 and a non-empty
// hostname within 253 bytes; a refusal always says why; a document with a DOCTYPE is refused.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/limits.hpp"
#include "fuzz_check.hpp"
#include "policy/autoconfig.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string xml(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto c = intransit::policy::parse_autoconfig(xml, error);
  if (!c) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  FUZZ_CHECK(xml.find("<!DOCTYPE") == std::string::npos);
  FUZZ_CHECK(c->servers.size() <= intransit::limits::kAutoconfigServers);
  for (const auto& s : c->servers) {
    FUZZ_CHECK(s.port != 0);
    FUZZ_CHECK(!s.hostname.empty() && s.hostname.size() <= 253);
    FUZZ_CHECK(s.incoming ? (s.type == "imap" || s.type == "pop3") : s.type == "smtp");
  }
  return 0;
}
