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

// A hop's texts, declared once, in storage order: Hop::Texts, the accessors, texts() and
// set_texts() are made from this list.
//   raw              the field value, unfolded and sanitised (capped)
//   from, from_info  the sender's claimed name; the TCP-info comment after it
//   by, by_info      the receiving host; the comment after it (software)
//   via, with, id, for_  the clauses; `with` upper-cased: "ESMTPS", "LMTP", ...
//   date             as written after ';'
//   cipher           as written, when stated
//   evidence         the words the verdict rests on, quoted from `raw`
#define INTRANSIT_HOP_TEXTS(X) \
  X(raw)                       \
  X(from)                      \
  X(from_info)                 \
  X(by)                        \
  X(by_info)                   \
  X(via)                       \
  X(with)                      \
  X(id)                        \
  X(for_)                      \
  X(date)                      \
  X(cipher)                    \
  X(evidence)

// One hop's reading. Its texts live in one buffer (a mailbox has millions of hops; a string each
// was a fifth of `trace`'s time in allocation, moves and frees): read them with the accessors,
// set them all at once with set_texts().
class Hop {
 public:
#define INTRANSIT_HOP_TEXT_MEMBER(name) std::string_view name;
  struct Texts {
    INTRANSIT_HOP_TEXTS(INTRANSIT_HOP_TEXT_MEMBER)
  };
#undef INTRANSIT_HOP_TEXT_MEMBER

  std::optional<std::string> tls_version;  // normalised: "TLSv1.3", "TLSv1.2", ..., "SSLv3"
  bool authenticated = false;              // ESMTPA/ESMTPSA, "Authenticated sender", AUTH: comments
  HopVerdict verdict = HopVerdict::unknown;
  bool parsed = false;     // a from/by/with clause was found
  bool truncated = false;  // the value was over the cap and only its start was read

  [[nodiscard]] Texts texts() const;
  void set_texts(const Texts& texts);  // the views may point into this hop's own texts

#define INTRANSIT_HOP_TEXT_ACCESSOR(name)       \
  [[nodiscard]] std::string_view name() const { \
    return field(Index::name);                  \
  }
  INTRANSIT_HOP_TEXTS(INTRANSIT_HOP_TEXT_ACCESSOR)
#undef INTRANSIT_HOP_TEXT_ACCESSOR

 private:
#define INTRANSIT_HOP_TEXT_INDEX(name) name,
  struct Index {
    enum : std::uint8_t { INTRANSIT_HOP_TEXTS(INTRANSIT_HOP_TEXT_INDEX) count };
  };
#undef INTRANSIT_HOP_TEXT_INDEX
  static constexpr std::size_t kFields = Index::count;  // in the order of Texts
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
