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

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace intransit::trace {

enum class HopVerdict : std::uint8_t { tls, plaintext, local, unknown };
std::string_view to_string(HopVerdict verdict);

// One hop's reading. Its texts live in one buffer (a mailbox has millions of hops; a string each
// was a fifth of `trace`'s time in allocation, moves and frees): read them with the accessors,
// set them all at once with set_texts().
class Hop {
 public:
  struct Texts {
    std::string_view raw;              // the field value, unfolded and sanitised (capped)
    std::string_view from, from_info;  // the sender's claimed name; the TCP-info comment after it
    std::string_view by, by_info;      // the receiving host; the comment after it (software)
    std::string_view via, with, id, for_;  // `with` upper-cased: "ESMTPS", "LMTP", ...
    std::string_view date;                 // as written after ';'
    std::string_view cipher;               // as written, when stated
    std::string_view evidence;             // the words the verdict rests on, quoted from `raw`
  };

  std::optional<std::string> tls_version;  // normalised: "TLSv1.3", "TLSv1.2", ..., "SSLv3"
  bool authenticated = false;              // ESMTPA/ESMTPSA, "Authenticated sender", AUTH: comments
  HopVerdict verdict = HopVerdict::unknown;
  bool parsed = false;     // a from/by/with clause was found
  bool truncated = false;  // the value was over the cap and only its start was read

  [[nodiscard]] Texts texts() const;
  void set_texts(const Texts& texts);  // the views may point into this hop's own texts

  [[nodiscard]] std::string_view raw() const { return field(0); }
  [[nodiscard]] std::string_view from() const { return field(1); }
  [[nodiscard]] std::string_view from_info() const { return field(2); }
  [[nodiscard]] std::string_view by() const { return field(3); }
  [[nodiscard]] std::string_view by_info() const { return field(4); }
  [[nodiscard]] std::string_view via() const { return field(5); }
  [[nodiscard]] std::string_view with() const { return field(6); }
  [[nodiscard]] std::string_view id() const { return field(7); }
  [[nodiscard]] std::string_view for_() const { return field(8); }
  [[nodiscard]] std::string_view date() const { return field(9); }
  [[nodiscard]] std::string_view cipher() const { return field(10); }
  [[nodiscard]] std::string_view evidence() const { return field(11); }

 private:
  static constexpr std::size_t kFields = 12;  // in the order of Texts
  [[nodiscard]] std::string_view field(std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(storage_).substr(begin, ends_[i] - begin);
  }

  std::string storage_;                        // the texts back to back
  std::array<std::uint32_t, kFields> ends_{};  // where each ends in storage_
};

// `value`: the header field body (after "Received:"), possibly folded (CRLF/LF + WSP).
Hop parse_received(std::string_view value);

// "TLSv1.3", "TLS1_3", "TLS1.3", "tls 1.3", "TLSv1" → "TLSv1.3" ... "TLSv1.0"; "SSLv3" stays;
// nullopt when `text` names no version.
std::optional<std::string> normalise_tls_version(std::string_view text);

}  // namespace intransit::trace
