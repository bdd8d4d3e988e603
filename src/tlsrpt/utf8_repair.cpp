// utf8_repair.cpp — see utf8_repair.hpp. Sequence rules after RFC 3629 §4 (no overlongs, no
// surrogates, nothing past U+10FFFF).
#include "tlsrpt/utf8_repair.hpp"

namespace intransit::tlsrpt {
namespace {

// Length of the well-formed sequence at `i`, 0 when there is none.
std::size_t sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string utf8_repair(std::string_view bytes, std::size_t& replaced) {
  std::string out;
  out.reserve(bytes.size() + 16);
  replaced = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = sequence(bytes, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++replaced;
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

void utf8_trim_partial(std::string& s) {
  std::size_t i = s.size();
  std::size_t back = 0;
  while (i > 0 && back < 4 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) {
    --i;
    ++back;
  }
  if (i == 0) return;
  const auto lead = static_cast<unsigned char>(s[i - 1]);
  if (lead < 0xC0) return;  // ASCII: nothing partial
  if (sequence(s, i - 1) == 0) s.resize(i - 1);
}

}  // namespace intransit::tlsrpt
