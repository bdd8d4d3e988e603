// fuzz_openpgp_key.cpp — fuzz target for the key inspection of `keys` (policy/openpgp_key.hpp)
// fed as an OPENPGPKEY record would be (dns/rdata.hpp decode_openpgpkey first). Properties: never
// usable without an encryption fingerprint and a user ID naming the address; at most
// kOpenPgpUserIds user IDs kept; a refused record always says why; the problem has a name.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/limits.hpp"
#include "dns/rdata.hpp"
#include "fuzz_check.hpp"
#include "policy/openpgp_key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const intransit::dns::Bytes rd(data, size);
  std::string error;
  const auto key = intransit::dns::decode_openpgpkey(rd, error);
  if (!key) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  const std::string address = "alice@keys.test";
  const auto f = intransit::policy::inspect_openpgp_key(*key, address);
  FUZZ_CHECK(intransit::policy::to_string(f.problem) != "?");
  FUZZ_CHECK(f.user_ids.size() <= intransit::limits::kOpenPgpUserIds);
  if (f.usable()) {
    FUZZ_CHECK(!f.encryption_fingerprint.empty());
    bool named = false;
    for (const auto& id : f.user_ids)
      named = named || intransit::policy::user_id_names(id, address);
    FUZZ_CHECK(named);
  }
  return 0;
}
