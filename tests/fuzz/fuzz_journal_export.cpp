// fuzz_journal_export.cpp — fuzz target for the `journalctl -o export` reader
// (logs/journal_export.hpp). Properties: no field longer than the cap is kept; feeding the same
// bytes whole or in chunks (sized by the first byte) gives the same entries and cut count.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "logs/journal_export.hpp"

namespace {
using intransit::logs::JournalEntry;
using intransit::logs::JournalExportReader;

constexpr std::size_t kCap = 256;

struct Result {
  std::vector<std::string> fields;  // every kept field of every entry, in order
  int cuts = 0;
};

Result read(std::string_view input, std::size_t chunk) {
  Result r;
  JournalExportReader reader(
      [&](const JournalEntry& e) {
        for (const auto* f : {&e.message, &e.identifier, &e.pid, &e.host, &e.realtime}) {
          FUZZ_CHECK(f->size() <= kCap);
          r.fields.push_back(*f);
        }
      },
      [&] { ++r.cuts; }, kCap);
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    reader.push(input.data() + i, std::min(chunk, input.size() - i));
  }
  reader.finish();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto whole = read(input, input.size() + 1);
  const auto chunked = read(input, size == 0 ? 1 : 1 + data[0] % 17);
  FUZZ_CHECK(whole.fields == chunked.fields);
  FUZZ_CHECK(whole.cuts == chunked.cuts);
  return 0;
}
