// Unit tests for core/swar.hpp: every eight-bytes-at-a-time test against its byte-at-a-time
// definition, for every byte value at every position (the parser's output depends on each flag
// being exact, not only the first).
#include "core/swar.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace swar = intransit::swar;

namespace {

std::uint64_t word_of(const unsigned char (&bytes)[8]) {
  std::uint64_t x = 0;
  std::memcpy(&x, bytes, 8);
  return x;
}

}  // namespace

TEST(Swar, BelowEqualAndLowerAreExactForEveryByteAtEveryPosition) {
  std::mt19937 rng(7);
  for (unsigned value = 0; value < 256; ++value) {
    for (int pos = 0; pos < 8; ++pos) {
      for (int round = 0; round < 8; ++round) {  // different neighbours each time
        unsigned char bytes[8];
        for (auto& b : bytes) b = static_cast<unsigned char>(rng());
        bytes[pos] = static_cast<unsigned char>(value);
        const std::uint64_t x = word_of(bytes);
        const std::uint64_t below_0x21 = swar::below(x, 0x21);
        const std::uint64_t below_0x80 = swar::below(x, 0x80);
        const std::uint64_t eq = swar::equal(x, static_cast<unsigned char>(value));
        const std::uint64_t low = swar::lower(x);
        for (int i = 0; i < 8; ++i) {
          const auto flag = [&](std::uint64_t m) { return ((m >> (8 * i + 7)) & 1U) != 0; };
          EXPECT_EQ(flag(below_0x21), bytes[i] < 0x21) << value << " at " << pos;
          EXPECT_EQ(flag(below_0x80), bytes[i] < 0x80);
          EXPECT_EQ(flag(eq), bytes[i] == value);
          const unsigned char b = bytes[i];
          const unsigned char expected =
              b >= 'A' && b <= 'Z' ? static_cast<unsigned char>(b - 'A' + 'a') : b;
          EXPECT_EQ(static_cast<unsigned char>(low >> (8 * i)), expected);
        }
      }
    }
  }
}

TEST(Swar, FindAnyMatchesAByteLoopAtEveryOffset) {
  std::mt19937 rng(11);
  const std::string alphabet = "ab ();\\)x";
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 40, 'a');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    for (std::size_t from = 0; from <= s.size(); ++from) {
      std::size_t expected = from;
      while (expected < s.size() && s[expected] != '(' && s[expected] != ')' && s[expected] != '\\')
        ++expected;
      EXPECT_EQ(swar::find_any(s, from, '(', ')', '\\'), expected) << s << " from " << from;
    }
  }
}
