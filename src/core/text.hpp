// text.hpp — turning bytes from strangers (SMTP replies, headers) into text that is safe to show
// in a terminal, a log line or a JSON string: every byte keeps an explicit length (no strlen),
// controls and invalid UTF-8 are escaped, and the result is always valid UTF-8
// (RELIABILITY.md item 9). UTF-8 validity follows RFC 3629 §4 (no overlongs, no surrogates).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace intransit::text {

// True when `bytes` is well-formed UTF-8 (RFC 3629 §4).
bool is_valid_utf8(std::string_view bytes);

// Copy of `bytes` where each C0 or C1 control, DEL, backslash and each byte that is not part of a
// well-formed UTF-8 sequence is written as "\xNN" (backslash as "\\"). Printable ASCII and valid
// multi-byte UTF-8 pass through unchanged. The result is valid UTF-8 with no control characters.
std::string printable(std::string_view bytes);
// The text form for a terminal or a log file (RELIABILITY.md item 51): like printable(), but a
// report's own layout passes: line feeds, tabs and backslashes (already-escaped fields must not be
// escaped twice), and, when `colour` is true, the report's own colour codes (ESC '['
// 0|1|2|31|32|33|36 'm', nothing else: a stranger's ESC[8m would hide text, ESC[2J clear the
// screen), and when `carriage_return` is true a CR (progress counters on a terminal's stderr).
std::string terminal_text(std::string_view bytes, bool colour, bool carriage_return = false);
// How many bytes at the end of `bytes` may be the start of a UTF-8 sequence or a colour code that
// the next write completes (0-5): a stream filter keeps them back instead of escaping them early.
std::size_t incomplete_tail(std::string_view bytes);
// True when printable(bytes) == bytes: printable ASCII only, no backslash.
bool is_plain_printable(std::string_view bytes);
// `s = printable(s)`, with no copy when `s` is plain printable ASCII already (nearly always).
void make_printable(std::string& s);

// ASCII lower case (DNS names, protocol keywords, media types: RFC 4343, RFC 9110 §8.3.1);
// other bytes unchanged.
std::string lower(std::string_view s);
// True when `s` is `lower` (an all-lower-case ASCII word: a keyword, a header name) in any ASCII
// case. Inline: parsers call it for every word and header line of a mailbox.
inline bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != lower[i]) return false;
  }
  return true;
}
// RFC 3986 §2.1, §2.3: every byte but the unreserved characters (ALPHA DIGIT - . _ ~) as %XX,
// upper-case hex: a query value or a path segment (WKD's ?l=, autoconfig's ?emailaddress=,
// serve's links).
std::string percent_encode(std::string_view s);
// "example.org." -> "example.org" (one trailing dot, the DNS root label).
std::string_view strip_trailing_dot(std::string_view s);

}  // namespace intransit::text
