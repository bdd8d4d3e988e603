// fuzz_smimea.cpp — fuzz target for the SMIMEA judgement of `keys` (policy/smime_cert.hpp), fed
// whole SMIMEA record data (dns/rdata.hpp decode_smimea first). Properties: usable only with a
// full end-entity certificate (usage 1/3, selector 0, matching 0) naming the address; a refused
// record always says why; at most 32 addresses kept; the problem has a name.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dns/rdata.hpp"
#include "fuzz_check.hpp"
#include "policy/smime_cert.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const intransit::dns::Bytes rd(data, size);
  std::string error;
  const auto rec = intransit::dns::decode_smimea(rd, error);
  if (!rec) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  const std::string address = "erin@keys.test";
  const auto f = intransit::policy::inspect_smimea(rec->usage, rec->selector, rec->matching,
                                                   rec->data, address);
  FUZZ_CHECK(intransit::policy::to_string(f.problem) != "?");
  FUZZ_CHECK(f.addresses.size() <= 32);
  if (f.usable()) {
    FUZZ_CHECK((rec->usage == 1 || rec->usage == 3) && rec->selector == 0 && rec->matching == 0);
    bool named = false;
    for (const auto& a : f.addresses) named = named || a.size() == address.size();
    FUZZ_CHECK(named);
  }
  return 0;
}
