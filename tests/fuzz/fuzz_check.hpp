// fuzz_check.hpp — FUZZ_CHECK(cond): a property every input must keep. A violation prints the
// property and aborts, which libFuzzer records as a crash and ctest's corpus replay as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                             \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)
