// swar.hpp — byte tests eight bytes at a time in one 64-bit word ("SIMD within a register"),
// for loops that run over every byte of a mailbox's header text (trace's Received parser,
// text::is_plain_printable): lower-casing, finding the end of a word or the next of a few
// delimiters, spotting bytes to escape. Every flag is exact, not only the first (unfolding
// combines flags of neighbouring bytes). Little-endian only (byte i is bits 8i..8i+7).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace intransit::swar {

static_assert(std::endian::native == std::endian::little,
              "byte indexes are counted from the low end");

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

inline std::uint64_t load(const char* p) {
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  return x;
}

// The high bit of each byte of `x` that is below `n` (n <= 0x80), exactly for every byte: the
// seven low bits are compared by an addition that cannot carry into the next byte.
inline std::uint64_t below(std::uint64_t x, unsigned n) {
  const std::uint64_t at_least = (x & ~kHigh) + (0x80 - n) * kOnes;  // high bit set where low7 >= n
  return ~(at_least | x) & kHigh;
}

// The same for bytes equal to `b`.
inline std::uint64_t equal(std::uint64_t x, unsigned char b) {
  return below(x ^ (b * kOnes), 1);
}

// The index of the byte the lowest flag stands for.
inline std::size_t first(std::uint64_t flags) {
  return static_cast<std::size_t>(std::countr_zero(flags)) / 8;
}

// The index of the first byte of `s` at or after `from` that is `a`, `b` or `c`; s.size() if none.
inline std::size_t find_any(std::string_view s, std::size_t from, char a, char b, char c) {
  const char* p = s.data();
  std::size_t i = from;
  for (; i + 8 <= s.size(); i += 8) {
    const std::uint64_t x = load(p + i);
    const std::uint64_t hits = equal(x, static_cast<unsigned char>(a)) |
                               equal(x, static_cast<unsigned char>(b)) |
                               equal(x, static_cast<unsigned char>(c));
    if (hits != 0) return i + first(hits);
  }
  while (i < s.size() && p[i] != a && p[i] != b && p[i] != c) ++i;
  return i;
}

// ASCII upper case lower-cased; every other byte as it is.
inline std::uint64_t lower(std::uint64_t x) {
  const std::uint64_t low7 = x & ~kHigh;
  const std::uint64_t above_z = low7 + (0x7f - 'Z') * kOnes;  // high bit set where > 'Z'
  const std::uint64_t from_a = low7 + (0x80 - 'A') * kOnes;   // high bit set where >= 'A'
  return x | ((~x & (from_a ^ above_z) & kHigh) >> 2U);
}

}  // namespace intransit::swar
