// text.cpp — see text.hpp. RFC 3629 §4 (UTF-8 syntax).
#include "core/text.hpp"
#include "core/utf8.hpp"

#include "core/swar.hpp"

#include <algorithm>

#include <cstdint>

namespace intransit::text {

// Table 3-7 of the Unicode standard, which RFC 3629 §4 restates as ABNF.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<std::uint8_t>(bytes[i + k]); };
  const std::size_t left = bytes.size() - i;
  const std::uint8_t b0 = at(0);
  const auto cont = [&](std::size_t k, std::uint8_t lo = 0x80, std::uint8_t hi = 0xBF) {
    return k < left && at(k) >= lo && at(k) <= hi;
  };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;  // no UTF-16 surrogates
  if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;  // <= U+10FFFF
  return 0;
}

namespace {

// U+0080..U+009F: valid UTF-8, but terminals act on some of them (U+009B is a CSI).
bool is_c1_control(std::string_view bytes, std::size_t i, std::size_t n) {
  return n == 2 && static_cast<std::uint8_t>(bytes[i]) == 0xC2 &&
         static_cast<std::uint8_t>(bytes[i + 1]) <= 0x9F;
}

void append_escaped(std::string& out, std::uint8_t byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = utf8_sequence_length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool is_plain_printable(std::string_view bytes) {
  // Eight bytes at a time: `trace` asks this of every Received field of a mailbox.
  const char* p = bytes.data();
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    const std::uint64_t x = swar::load(p + i);
    if ((swar::below(x, 0x20) | (x & swar::kHigh) | swar::equal(x, 0x7f) | swar::equal(x, '\\')) !=
        0)
      return false;
  }
  return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.end(), [](char c) {
    const auto b = static_cast<std::uint8_t>(c);
    return b >= 0x20 && b < 0x7F && b != '\\';
  });
}

namespace {

// Length of one of the report's own colour codes at bytes[i] (an ESC), or 0.
std::size_t colour_code_length(std::string_view bytes, std::size_t i) {
  static constexpr std::string_view kCodes[] = {"\033[0m",  "\033[1m",  "\033[2m", "\033[31m",
                                                "\033[32m", "\033[33m", "\033[36m"};
  for (const auto code : kCodes) {
    if (bytes.substr(i, code.size()) == code) return code.size();
  }
  return 0;
}

// What passes unescaped besides printable ASCII and valid non-control UTF-8: printable() lets
// nothing else through and escapes the backslash; terminal_text() keeps a report's layout.
struct EscapeRules {
  bool escape_backslash = false;
  bool layout = false;           // LF and TAB
  bool carriage_return = false;  // CR
  bool colour = false;           // the report's own colour codes
};

std::string escape(std::string_view bytes, EscapeRules rules) {
  const auto passes = [&](std::uint8_t b) {
    if (b == '\\') return !rules.escape_backslash;
    if (b >= 0x20 && b < 0x7F) return true;
    return rules.layout && (b == '\n' || b == '\t' || (b == '\r' && rules.carriage_return));
  };
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<std::uint8_t>(bytes[i]);
    if (passes(byte)) {  // a run of text, copied at once (nearly all of it)
      std::size_t j = i + 1;
      while (j < bytes.size() && passes(static_cast<std::uint8_t>(bytes[j]))) ++j;
      out.append(bytes.substr(i, j - i));
      i = j;
    } else if (byte == '\\') {
      out += "\\\\";
      ++i;
    } else if (const std::size_t c =
                   byte == 0x1B && rules.colour ? colour_code_length(bytes, i) : 0;
               c > 0) {
      out.append(bytes.substr(i, c));
      i += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      append_escaped(out, byte);
      ++i;
    } else if (const std::size_t n = utf8_sequence_length(bytes, i);
               n > 0 && !is_c1_control(bytes, i, n)) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      append_escaped(out, byte);
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string printable(std::string_view bytes) {
  // Fast path: plain printable ASCII without backslashes (nearly all header text) is returned
  // as it is; `trace` calls this for every field of every Received header of a mailbox.
  if (is_plain_printable(bytes)) return std::string(bytes);
  return escape(bytes, {.escape_backslash = true});
}

std::string terminal_text(std::string_view bytes, bool colour, bool carriage_return) {
  return escape(bytes, {.layout = true, .carriage_return = carriage_return, .colour = colour});
}

std::size_t incomplete_tail(std::string_view bytes) {
  // A colour code is at most 5 bytes, a UTF-8 sequence 4: look at the last 4 bytes for an ESC or
  // a lead byte whose sequence runs past the end.
  const std::size_t from = bytes.size() > 4 ? bytes.size() - 4 : 0;
  for (std::size_t i = from; i < bytes.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(bytes[i]);
    const std::size_t left = bytes.size() - i;
    if (b == 0x1B) return left;
    const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (need > left) return left;
  }
  return 0;
}

void make_printable(std::string& s) {
  if (!is_plain_printable(s)) s = printable(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view strip_trailing_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace intransit::text
