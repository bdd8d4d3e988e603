// hex_digit.hpp — the value of one hexadecimal digit, for the percent-decoders of RFC 3986 §2.1
// (serve's form fields, a mailto: rua's address). One definition, header-only.
#pragma once

namespace intransit::text {

// 0-15 for 0-9, a-f, A-F; -1 for anything else.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace intransit::text
