// header_scan.hpp — the fast path of `trace` over an mbox: message boundaries (lines that start
// "From ", the separator GMime itself splits on) and, per message, the header fields trace needs
// (Received, From, Message-ID, Content-Type, Content-Transfer-Encoding) as slices of the file,
// without building a GMime object per header (RFC 5322 §2.2 field syntax, §2.2.3 folding). Pure
// and fuzzed, and deliberately strict: a header block that is anything but plain — a NUL, a line
// that is neither a field nor a continuation, an over-long block or line, no end, a second From,
// Message-ID, Content-Type or Content-Transfer-Encoding — is reported "not plain", and the reader
// hands that message to GMime instead. So the fast path only ever sees messages on which it and
// GMime agree (tests/fuzz/fuzz_trace_message.cpp checks exactly that).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace intransit::trace {

// The offset just past the end of the message that starts at `begin` (the start of the next
// line beginning "From ", or the end of `mbox`).
std::size_t next_mbox_message(std::string_view mbox, std::size_t begin);

struct HeaderScan {
  bool plain = false;  // false: hand the message to GMime; nothing else below is meaningful
  std::vector<std::string_view> received;  // raw values after the colon, top-down, folds kept
  std::optional<std::string_view> from, message_id, content_type, transfer_encoding;  // raw values
  std::string_view body;   // after the empty line that ends the header block
  std::size_t fields = 0;  // header fields in the block
};

// `message` starts with its From_ line.
HeaderScan scan_headers(std::string_view message);

// What GMime makes of the two commonest header value forms, without GMime (nullopt for any other
// form, which GMime then reads). tests/unit/trace/header_values_test.cpp checks both against
// GMime on random values.
// A Message-ID that is exactly `<dot-atom@domain>` (RFC 5322 §3.6.4, no comments, no folding):
// what g_mime_utils_decode_message_id returns, the part between the angle brackets.
std::optional<std::string_view> simple_message_id(std::string_view value);
// An unstructured value of printable ASCII and tabs with no encoded-word ("=?") and no folding:
// what g_mime_utils_header_unfold + g_mime_utils_header_decode_text return, the value without
// leading and trailing blanks.
std::optional<std::string_view> simple_unstructured(std::string_view value);

}  // namespace intransit::trace
