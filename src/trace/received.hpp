// received.hpp — one Received header field (RFC 5321 §4.4) read for transport security: the
// clauses (from, by, via, with, id, for; RFC 5321 §4.4 Stamp grammar, in any order, with
// comments, RFC 5322 §3.2.2), the date after the ';', and the TLS evidence real MTAs write:
// RFC 3848 protocol types (ESMTPS, ESMTPSA, LMTPS, UTF8SMTPS, ...), the RFC 8314 §4.3 `tls`
// clause, and the comment formats of Postfix, Exim, Sendmail, Microsoft Exchange / 365,
// Google, OpenSMTPD, qmail TLS patches, Courier and others (examples and where each format is
// documented: tests/unit/trace/received_test.cpp). Pure, bounded, fuzzed: a header that does
// not parse yields a hop with `parsed == false` and the raw text, never an exception.
// RFC 2047 encoded-words are left as written: in a Received field they may stand only in
// comments (RFC 2047 §5), no MTA writes its TLS evidence that way, and evidence is quoted as the
// MTA wrote it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace intransit::trace {

enum class HopVerdict : std::uint8_t { tls, plaintext, local, unknown };
std::string_view to_string(HopVerdict verdict);

struct Hop {
  std::string raw;                  // the field value, unfolded and sanitised (capped)
  std::string from, from_info;      // the sender's claimed name; the TCP-info comment after it
  std::string by, by_info;          // the receiving host; the comment after it (software)
  std::string via, with, id, for_;  // `with` upper-cased: "ESMTPS", "LMTP", ...
  std::string date;                 // as written after ';'
  std::optional<std::string> tls_version;  // normalised: "TLSv1.3", "TLSv1.2", ..., "SSLv3"
  std::string cipher;               // as written, when stated
  bool authenticated = false;       // ESMTPA/ESMTPSA, "Authenticated sender", AUTH: comments
  HopVerdict verdict = HopVerdict::unknown;
  std::string evidence;             // the words the verdict rests on, quoted from `raw`
  bool parsed = false;              // a from/by/with clause was found
  bool truncated = false;           // the value was over the cap and only its start was read
};

// `value`: the header field body (after "Received:"), possibly folded (CRLF/LF + WSP).
Hop parse_received(std::string_view value);

// "TLSv1.3", "TLS1_3", "TLS1.3", "tls 1.3", "TLSv1" → "TLSv1.3" ... "TLSv1.0"; "SSLv3" stays;
// nullopt when `text` names no version.
std::optional<std::string> normalise_tls_version(std::string_view text);

}  // namespace intransit::trace
