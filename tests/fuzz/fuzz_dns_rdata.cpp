// fuzz_dns_rdata.cpp — fuzz target for the DNS record-data decoders (dns/rdata.hpp). The first
// byte picks the type, the rest is the record data. Properties: a decoded name is at most 255
// octets as text-with-escapes can grow (≤ 4 × 255), contains no raw bytes outside
// [a-z0-9._-\\], and MX and SRV decoding consume the record exactly; a refusal always says why.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dns/rdata.hpp"
#include "fuzz_check.hpp"

namespace {
void check_name(const std::string& name) {
  FUZZ_CHECK(!name.empty() && name.size() <= 4 * 255);
  for (char c : name) {
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_' || c == '\\');
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const intransit::dns::Bytes rd(data + 1, size - 1);
  std::string error;
  switch (data[0] % 6) {
    case 0:
      if (const auto mx = intransit::dns::decode_mx(rd, error)) {
        check_name(mx->host);
      } else {
        FUZZ_CHECK(!error.empty());
      }
      break;
    case 1:
      if (const auto t = intransit::dns::decode_txt(rd, error)) {
        FUZZ_CHECK(t->size() < rd.size());  // at least one length octet per string
      } else {
        FUZZ_CHECK(!error.empty());
      }
      break;
    case 2:
      if (const auto t = intransit::dns::decode_tlsa(rd, error)) {
        FUZZ_CHECK(t->data.size() + 3 == rd.size());
        FUZZ_CHECK(t->to_string().size() >= 7);
      } else {
        FUZZ_CHECK(!error.empty());
      }
      break;
    case 3:
      if (!intransit::dns::decode_a(rd, error)) FUZZ_CHECK(!error.empty());
      break;
    case 5:
      if (const auto srv = intransit::dns::decode_srv(rd, error)) {
        check_name(srv->target);
        FUZZ_CHECK(rd.size() >= 7);
      } else {
        FUZZ_CHECK(!error.empty());
      }
      break;
    default: {
      std::size_t offset = 0;
      if (const auto name = intransit::dns::decode_name(rd, offset, error)) {
        check_name(*name);
        FUZZ_CHECK(offset <= rd.size());
      } else {
        FUZZ_CHECK(!error.empty());
      }
    }
  }
  return 0;
}
