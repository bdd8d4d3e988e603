// fuzz_printable.cpp — fuzz target for text::printable and text::is_valid_utf8
// (src/core/text.hpp). Properties: the output is always valid UTF-8 without C0 controls or DEL;
// input that is already valid UTF-8 without controls or backslashes passes through unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string out = intransit::text::printable(in);
  FUZZ_CHECK(intransit::text::is_valid_utf8(out));
  bool plain = true;
  for (char c : out) {
    const auto b = static_cast<unsigned char>(c);
    FUZZ_CHECK(b >= 0x20 && b != 0x7F);
  }
  for (char c : in) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F || c == '\\' || b == 0xC2) plain = false;
  }
  if (plain && intransit::text::is_valid_utf8(in)) FUZZ_CHECK(out == in);
  return 0;
}
