// fuzz_check.hpp — FUZZ_CHECK(cond): a property every input must keep. A violation prints the
// property and aborts, which libFuzzer records as a crash and ctest's corpus replay as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

#include <string>
#include <string_view>

// True when `s` has no control bytes (C0 or DEL): text that may reach a terminal or JSON.
inline bool fuzz_no_control_bytes(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}
