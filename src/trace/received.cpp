// received.cpp — see received.hpp. The clause reader follows RFC 5321 §4.4 (Stamp) and RFC 5322
// §3.2.2 (comments nest, `\` quotes); the TLS evidence reader looks for the annotation formats
// listed in received.hpp. Plain substring searches on a lower-cased copy, no regular
// expressions: this runs once per Received field over whole mailboxes, so the unfolded text,
// its lower case, the tokens and the hop's texts being built live in per-thread scratch buffers
// (views, no allocation per token or field; the Hop gets its texts in one allocation) and the
// byte loops go eight bytes at a time (core/swar.hpp).
#include "trace/received.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <vector>

#include "core/limits.hpp"
#include "core/swar.hpp"
#include "core/text.hpp"

namespace intransit::trace {

std::string_view to_string(HopVerdict verdict) {
  switch (verdict) {
    case HopVerdict::tls: return "tls";
    case HopVerdict::plaintext: return "plaintext";
    case HopVerdict::local: return "local";
    case HopVerdict::unknown: return "unknown";
  }
  return "?";
}

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// `needle` in `hay` at or after `from`, looked for by its byte at `rare`: one seldom in Received
// text ('u' of "auth", 'k' of "invoked"), so that memchr stops seldom. string_view::find stops
// at every match of the first byte ('a' of "auth" is in nearly every host name).
std::size_t find_by(std::string_view hay, std::string_view needle, std::size_t rare,
                    std::size_t from = 0) {
  const std::size_t n = needle.size();
  for (std::size_t pos = from + rare; pos < hay.size();) {
    const void* hit = std::memchr(hay.data() + pos, needle[rare], hay.size() - pos);
    if (hit == nullptr) break;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - hay.data()) - rare;
    if (at + n <= hay.size() && std::memcmp(hay.data() + at, needle.data(), n) == 0) return at;
    pos = at + rare + 1;
  }
  return std::string_view::npos;
}

struct Token {
  std::string_view text;
  std::string_view lower;  // comments only: lower-cased once, searched several times
  bool comment = false;
};

// What parse_received needs for one field, kept per thread and reused: a mailbox has millions
// of Received fields, and allocating for every token was most of trace's time (bench/README.md).
// Tokens are views into `text` (words) or `comments` / `comments_low` (unescaped comment text),
// which are reserved to the field's size first so that appending never moves them.
// Raw bytes that keep their capacity; growing writes no zeros (unlike std::string::resize).
class Buffer {
 public:
  char* room(std::size_t n) {
    if (n > capacity_) {
      capacity_ = std::max(n, 2 * capacity_);
      bytes_ = std::make_unique_for_overwrite<char[]>(capacity_);
    }
    return bytes_.get();
  }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t capacity_ = 0;
};

// A hop's texts while they are being read, reused from field to field for their capacity; the
// Hop gets them in one buffer at the end.
struct Draft {
  std::string raw, from, from_info, by, by_info, via, with, id, for_, date, cipher, evidence;
  void clear() {
    for (std::string* f : {&raw, &from, &from_info, &by, &by_info, &via, &with, &id, &for_, &date,
                           &cipher, &evidence})
      f->clear();
  }
};

struct Scratch {
  Draft draft;
  Buffer text;                    // the value unfolded
  Buffer low;                     // `text` lower-cased
  Buffer comments, comments_low;  // comment texts that needed unescaping, back to back
  std::string by_low, where;
  std::vector<Token> tokens;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

bool blank(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;  // whitespace and control bytes alike
}

// ASCII lower case of `n` bytes, eight at a time.
void lower_ascii(const char* in, char* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t x = swar::lower(swar::load(in + i));
    std::memcpy(out + i, &x, 8);
  }
  for (; i < n; ++i) out[i] = lower(in[i]);
}

std::string_view lower_in_place(std::string& s) {
  lower_ascii(s.data(), s.data(), s.size());
  return s;
}

// `out` = `s` lower-cased, in a buffer the caller reuses.
std::string_view lowered(std::string& out, std::string_view s) {
  out.assign(s);
  return lower_in_place(out);
}

void store(char* p, std::uint64_t x) {
  std::memcpy(p, &x, 8);
}

struct Unfolded {
  std::size_t size = 0;
  bool plain = true;  // no byte >= 0x80 and no backslash: nothing in it needs escaping
};

// Unfolds (RFC 5322 §2.2.3), turns control bytes into spaces and collapses whitespace runs, into
// `o`, and the same lower-cased into `l` (both at least value.size() + 8 long: eight-byte stores
// may run past the end). This runs over every byte of every Received field of a mailbox, so it
// goes eight bytes at a time and stops only where the text is not already unfolded: a blank
// byte (blank()) other than a single space, which is where folds are (a few per field).
Unfolded unfold(std::string_view value, char* o, char* l) {
  const char* p = value.data();
  const std::size_t size = value.size();
  std::uint64_t special = 0;  // flags of 8-bit bytes and backslashes copied
  std::size_t n = 0;
  std::size_t i = 0;
  // Where a copy stops: a blank that is not a space, or a space before a blank or the end.
  const auto irregular_at = [&](std::size_t j) {
    return blank(p[j]) && (p[j] != ' ' || j + 1 == size || blank(p[j + 1]));
  };
  while (i < size && blank(p[i])) ++i;  // leading blanks are dropped
  while (i < size) {
    // Copy up to the next irregular byte.
    std::size_t k = 0;
    for (; i + 9 <= size; i += 8, n += 8) {
      const std::uint64_t x = swar::load(p + i);
      const std::uint64_t next = swar::load(p + i + 1);
      const std::uint64_t space = swar::equal(x, ' ');
      const std::uint64_t blanks = swar::below(x, 0x21) | swar::equal(x, 0x7f);
      const std::uint64_t next_blanks = swar::below(next, 0x21) | swar::equal(next, 0x7f);
      const std::uint64_t irregular = (blanks & ~space) | (space & next_blanks);
      k = irregular == 0 ? 8 : swar::first(irregular);
      store(o + n, x);  // bytes past an irregular one are overwritten next, or lie past the end
      store(l + n, swar::lower(x));
      // Bytes past an irregular one are blanks or copied later: flagging them too changes nothing.
      special |= (x & swar::kHigh) | swar::equal(x, '\\');
      if (k < 8) break;
    }
    if (k < 8 && i + 9 <= size) {
      i += k;
      n += k;
    } else {
      // The last few bytes, one at a time.
      for (; i < size && !irregular_at(i); ++i, ++n) {
        o[n] = p[i];
        l[n] = lower(p[i]);
        special |= static_cast<unsigned char>(p[i]) >= 0x80 || p[i] == '\\' ? 1 : 0;
      }
      if (i >= size) break;
    }
    // A blank run: one space, unless it ends the value.
    while (i < size && blank(p[i])) ++i;
    if (i < size) {
      o[n] = ' ';
      l[n++] = ' ';
    }
  }
  return {n, special == 0};
}

// Words and comments up to the top-level ';'; returns the date that follows it.
std::string_view tokenise(std::string_view s, std::string_view s_low, Scratch& sc) {
  sc.tokens.clear();
  // Comment text is never longer than the field: sized once, so the views below stay valid.
  char* text = sc.comments.room(s.size());
  char* low = sc.comments_low.room(s.size());
  std::size_t used = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ') {
      ++i;
    } else if (c == ';') {
      const std::string_view date = s.substr(i + 1);
      const auto b = date.find_first_not_of(' ');
      return b == std::string_view::npos ? std::string_view{} : date.substr(b);
    } else if (c == '(') {
      // Nearly every comment has no escape and nests shallowly: then its text is the slice
      // between its parentheses (nested ones included), and the lower case is the same slice of
      // `s_low`. Only other comments are copied, unescaped, into the scratch buffers.
      std::size_t end = i + 1;
      int depth = 1;
      int deepest = 1;
      bool escaped = false;
      for (; (end = swar::find_any(s, end, '(', ')', '\\')) < s.size(); ++end) {
        const char d = s[end];
        if (d == '\\') escaped = true;
        if (d == '(') deepest = std::max(deepest, ++depth);
        if (d == ')' && --depth == 0) break;
      }
      if (!escaped && deepest <= limits::kCommentDepth) {
        sc.tokens.push_back({s.substr(i + 1, end - i - 1), s_low.substr(i + 1, end - i - 1), true});
        i = std::min(end + 1, s.size());
        continue;
      }
      depth = 0;
      const std::size_t start = used;
      const auto keep = [&](char d) {
        text[used] = d;
        low[used++] = lower(d);
      };
      for (; i < s.size(); ++i) {
        const char d = s[i];
        if (d == '\\' && i + 1 < s.size()) {
          keep(s[++i]);
          continue;
        }
        if (d == '(') {
          if (depth++ > 0 && depth <= limits::kCommentDepth) keep(d);
          continue;
        }
        if (d == ')') {
          if (--depth == 0) {
            ++i;
            break;
          }
          if (depth < limits::kCommentDepth) keep(d);
          continue;
        }
        keep(d);
      }
      sc.tokens.push_back({std::string_view(text + start, used - start),
                           std::string_view(low + start, used - start), true});
    } else {
      const std::size_t j = swar::find_any(s, i, ' ', '(', ';');
      sc.tokens.push_back({s.substr(i, j - i), {}, false});
      i = j;
    }
  }
  return {};
}

enum class Clause { none, from, by, via, with, id, for_, tls };

Clause keyword(std::string_view w) {
  if (w.size() < 2 || w.size() > 4) return Clause::none;
  if (text::equals_lower(w, "from")) return Clause::from;
  if (text::equals_lower(w, "by")) return Clause::by;
  if (text::equals_lower(w, "via")) return Clause::via;
  if (text::equals_lower(w, "with")) return Clause::with;
  if (text::equals_lower(w, "id")) return Clause::id;
  if (text::equals_lower(w, "for")) return Clause::for_;
  if (text::equals_lower(w, "tls"))
    return Clause::tls;  // RFC 8314 §4.3, and Exim ≥ 4.92 "tls <cipher>"
  return Clause::none;
}

// RFC 3848 and RFC 6531 §3.7.3 protocol types.
// "SMTPS" is not in RFC 3848 but Google and others write it for TLS (implicit or STARTTLS).
constexpr std::array<std::string_view, 9> kTlsProtocols{"ESMTPS",    "ESMTPSA",    "LMTPS",
                                                        "LMTPSA",    "UTF8SMTPS",  "UTF8SMTPSA",
                                                        "UTF8LMTPS", "UTF8LMTPSA", "SMTPS"};
// qmail's QMQP and QMTP (cr.yp.to/proto/qmqp.html, qmtp.html) have no TLS at all.
constexpr std::array<std::string_view, 7> kPlainProtocols{
    "SMTP", "ESMTP", "ESMTPA", "UTF8SMTP", "UTF8SMTPA", "QMQP", "QMTP"};
constexpr std::array<std::string_view, 6> kAuthProtocols{"ESMTPA", "ESMTPSA",   "LMTPA",
                                                         "LMTPSA", "UTF8SMTPA", "UTF8SMTPSA"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

std::string_view first_word(std::string_view s) {
  return s.substr(0, s.find(' '));
}

// A word ends at whitespace or one of the separators annotation formats use.
std::string_view word_at(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end < s.size() && !is_space(s[end]) && s[end] != ',' && s[end] != ')' && s[end] != ';' &&
         s[end] != '(')
    ++end;
  return s.substr(pos, end - pos);
}

// What the connecting address of a from-clause says about where the hop came from (RFC 5321
// §4.4: the TCP-info is the receiver's own record of the connection; the names around it are
// the sender's claim and prove nothing).
enum class Origin : std::uint8_t { same_host, network, not_stated };

// An address literal as MTAs write it: "[192.0.2.1]", "[IPv6:2001:db8::1]", "[::1]:25", bare
// "192.0.2.1" (qmail) or "2603:10a6:20b:1::11" (Microsoft), "[fe80::1%5]"; "[local]" (OpenSMTPD,
// a local socket) and "[unix socket]" (Cyrus). nullopt when `word` is no literal. Addresses are
// parsed with inet_pton(3), never matched by their text: "2001:db8:1::1" merely ends in "::1".
std::optional<Origin> literal_origin(std::string_view word) {
  bool bracketed = false;
  if (!word.empty() && word.front() == '[') {
    const auto close = word.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = word.substr(close + 1);  // nothing, or ":port"
    if (!after.empty() &&
        (after.front() != ':' || !std::all_of(after.begin() + 1, after.end(), is_digit)))
      return std::nullopt;
    word = word.substr(1, close - 1);
    bracketed = true;
  }
  if (bracketed && (text::equals_lower(word, "local") || text::equals_lower(word, "unix socket")))
    return Origin::same_host;
  if (word.size() > 5 && text::equals_lower(word.substr(0, 5), "ipv6:")) word.remove_prefix(5);
  word = word.substr(0, word.find('%'));  // an IPv6 zone
  // Most words are host names: only hex digits, dots and colons can make an address.
  const auto address_char = [](char c) {
    return is_digit(c) || c == '.' || c == ':' || (lower(c) >= 'a' && lower(c) <= 'f');
  };
  if (word.empty() || word.size() >= INET6_ADDRSTRLEN ||
      !std::all_of(word.begin(), word.end(), address_char))
    return std::nullopt;
  std::array<char, INET6_ADDRSTRLEN> address{};
  std::memcpy(address.data(), word.data(), word.size());  // NUL-terminated for inet_pton
  in_addr v4{};
  if (inet_pton(AF_INET, address.data(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24U) == 127 ? Origin::same_host : Origin::network;  // 127.0.0.0/8
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.data(), &v6) != 1) return std::nullopt;
  const bool loopback =
      IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  return loopback ? Origin::same_host : Origin::network;
}

// The words of a from-clause's TCP-info; a bracketed literal is one word even with a space in it.
template <typename Each>
void info_words(std::string_view s, Each each) {
  const auto separator = [](char c) {
    return is_space(c) || c == ',' || c == ';' || c == '(' || c == ')';
  };
  for (std::size_t i = 0; i < s.size();) {
    if (separator(s[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && !separator(s[end])) {
      if (s[end] == '[') {
        const auto close = s.find(']', end);
        end = close == std::string_view::npos ? s.size() : close + 1;
      } else {
        ++end;
      }
    }
    each(s.substr(i, end - i));
    i = end;
  }
}

// Where the connection came from, by the address literals the receiver wrote (RELIABILITY.md
// item 61). Literals in the TCP-info (the comments after `from`) come first: Postfix and
// Sendmail write the sender's HELO as the from word and the real address in the comment, so a
// HELO of "[127.0.0.1]" is not the address. HELO claims in comments are skipped (Exim's
// "helo=NAME", qmail's "HELO NAME"). With no literal there, the from word counts when it is one
// (Exim writes "from [192.0.2.1] (helo=...)"). Names never count: a sender chooses its HELO and
// the PTR record of its address, "localhost" included.
Origin connection_origin(std::string_view from, std::string_view from_info) {
  bool any = false;
  bool all_same_host = true;
  bool helo_next = false;
  info_words(from_info, [&](std::string_view w) {
    const bool claim =
        helo_next || (w.size() >= 5 && (text::equals_lower(w.substr(0, 5), "helo=") ||
                                        text::equals_lower(w.substr(0, 5), "ehlo=")));
    helo_next = text::equals_lower(w, "helo") || text::equals_lower(w, "ehlo");
    if (claim) return;
    if (const auto origin = literal_origin(w)) {
      any = true;
      all_same_host = all_same_host && *origin == Origin::same_host;
    }
  });
  if (any) return all_same_host ? Origin::same_host : Origin::network;
  return literal_origin(from).value_or(Origin::not_stated);
}

// "<cipher> ENCRYPTED <protocol>" (upper-cased `with`): WP-SMTPD's and MessageLabs' form. A
// cipher name has a '-' or '_' between its parts ("ECDHE-RSA-AES256-GCM-SHA384").
bool cipher_in_protocol_slot(std::string_view with) {
  const std::string_view cipher = first_word(with);
  if (cipher.size() == with.size() || with.substr(cipher.size() + 1).rfind("ENCRYPTED", 0) != 0)
    return false;
  return cipher.find_first_of("-_") != std::string_view::npos &&
         std::all_of(cipher.begin(), cipher.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '_';
         });
}

// The first word of the `with` clause as the MTA wrote it (Draft::with is upper-cased).
std::string_view with_word_as_written(const std::vector<Token>& tokens) {
  bool after_with = false;
  for (const auto& t : tokens) {
    if (t.comment) continue;
    if (after_with) return t.text;
    after_with = keyword(t.text) == Clause::with;
  }
  return {};
}

// The cipher named by an annotation, in the order of how explicit the format is. `low` is
// `text` lower-cased (the caller has it already).
std::string_view find_cipher(const Draft& d, const std::vector<Token>& tokens,
                             std::string_view text, std::string_view low) {
  std::size_t p = low.find("with cipher ");  // Postfix
  if (p != std::string_view::npos) return word_at(text, p + 12);
  p = find_by(low, "cipher=", 6);  // Sendmail, Microsoft, Google, Haraka
  if (p != std::string_view::npos) return word_at(text, p + 7);
  if (!d.cipher.empty()) return d.cipher;  // the `tls` clause
  for (const auto& t : tokens) {
    if (!t.comment) continue;
    // Exim ≤ 4.91 and OpenSMTPD: "(TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256)",
    // "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)"
    const auto colon = t.text.find(':');
    if (colon != std::string_view::npos && normalise_tls_version(t.text.substr(0, colon)) &&
        colon + 1 < t.text.size()) {
      const auto next = t.text.find(':', colon + 1);
      return t.text.substr(
          colon + 1, next == std::string_view::npos ? std::string_view::npos : next - colon - 1);
    }
    // Courier: "TLS: TLSv1/SSLv3,256bits,AES256-SHA"
    const auto courier = t.lower.find("tls: ");
    if (courier != std::string_view::npos) {
      const auto comma = t.text.rfind(',');
      if (comma != std::string_view::npos && comma > courier) return word_at(t.text, comma + 1);
    }
    // qmail TLS patches: "(DHE-RSA-AES256-SHA encrypted)"
    if (t.lower.find(" encrypted") != std::string_view::npos) return first_word(t.text);
  }
  return {};
}

// The text of a comment that carries a TLS annotation: the evidence to quote.
std::optional<std::string_view> tls_annotation(const std::vector<Token>& tokens) {
  static constexpr std::array<std::string_view, 8> kMarkers{
      "using tls", "using ssl", "version=tls", "version=ssl",
      "cipher=",   "tls: ",     " encrypted",  "google transport security"};
  for (const auto& t : tokens) {
    if (!t.comment) continue;
    // Every marker holds "tls", "ssl", "cipher=", "encrypted" or "google": most comments (host
    // names, addresses, software) hold none, and are done after these few searches.
    const bool candidate = contains(t.lower, "tls") || contains(t.lower, "ssl") ||
                           contains(t.lower, "cipher=") || contains(t.lower, "encrypted") ||
                           contains(t.lower, "google");
    if (!candidate) continue;  // nor can it name a version (that needs "tls" or "ssl")
    const bool marker = std::any_of(kMarkers.begin(), kMarkers.end(),
                                    [&](std::string_view m) { return contains(t.lower, m); });
    const auto colon = t.text.find(':');
    const bool colon_format = colon != std::string_view::npos &&
                              normalise_tls_version(t.text.substr(0, colon)).has_value();
    // Exim's "(helo=NAME)" holds the sender's own word: "helo=TLS1.3" is a claim, not evidence.
    const bool helo = t.lower.rfind("helo=", 0) == 0;
    const bool bare_version = !helo && t.text.size() <= 12 &&
                              normalise_tls_version(t.text).has_value();  // Exim "(TLS1.3)"
    // Exchange 2013 and later: "with Microsoft SMTP Server (TLS)", no version stated.
    const bool bare_tls = t.lower == "tls";
    if (marker || colon_format || bare_version || bare_tls) return t.text;
  }
  return std::nullopt;
}

// "authenticated sender", "(authenticated", "auth: ", "authenticated as", "authenticated user",
// " and auth": every form starts with "auth", so one search finds the candidates.
bool mentions_authentication(std::string_view low) {
  for (auto p = find_by(low, "auth", 1); p != std::string_view::npos;
       p = find_by(low, "auth", 1, p + 4)) {
    const std::string_view rest = low.substr(p);
    if (rest.rfind("auth: ", 0) == 0) return true;
    if (p >= 5 && low.compare(p - 5, 5, " and ") == 0) return true;
    if (rest.rfind("authenticated", 0) != 0) continue;
    if (p > 0 && low[p - 1] == '(') return true;
    const std::string_view after = rest.substr(13);
    if (after.rfind(" sender", 0) == 0 || after.rfind(" as", 0) == 0 ||
        after.rfind(" user", 0) == 0)
      return true;
  }
  return false;
}

// qmail-inject's "invoked by uid" / "invoked by alias".
bool invoked_locally(std::string_view low) {
  for (auto p = find_by(low, "invoked by ", 4); p != std::string_view::npos;
       p = find_by(low, "invoked by ", 4, p + 1)) {
    const std::string_view rest = low.substr(p + 11);
    if (rest.rfind("uid", 0) == 0 || rest.rfind("alias", 0) == 0) return true;
  }
  return false;
}

// `out` = the parts joined (its capacity is reused).
void assign_concat(std::string& out, std::initializer_list<std::string_view> parts) {
  out.clear();
  for (const auto part : parts) out += part;
}

// Fills the clause fields (from, by, via, with, id, for, the `tls` clause) from the tokens.
void read_clauses(const std::vector<Token>& tokens, Draft& d) {
  Clause current = Clause::none;
  const auto append = [](std::string& field, std::string_view word) {
    if (!field.empty()) field += ' ';
    field += word;
  };
  for (const auto& t : tokens) {
    if (t.comment) {
      if (current == Clause::from) append(d.from_info, t.text);
      if (current == Clause::by) append(d.by_info, t.text);
      continue;
    }
    const Clause k = keyword(t.text);
    if (k != Clause::none) {
      current = k;
      continue;
    }
    switch (current) {
      case Clause::from:
        if (d.from.empty())
          d.from = t.text;
        else
          append(d.from_info, t.text);
        break;
      case Clause::by:
        if (d.by.empty())
          d.by = t.text;
        else
          append(d.by_info, t.text);
        break;
      case Clause::via: append(d.via, t.text); break;
      case Clause::with: {
        const std::size_t at = d.with.empty() ? 0 : d.with.size() + 1;
        append(d.with, t.text);
        for (std::size_t i = at; i < d.with.size(); ++i) d.with[i] = upper(d.with[i]);
        break;
      }
      case Clause::id:
        if (d.id.empty()) d.id = t.text;
        break;
      case Clause::for_:
        if (d.for_.empty()) d.for_ = t.text;
        break;
      case Clause::tls:
        if (d.cipher.empty()) d.cipher = t.text;
        break;
      case Clause::none: break;
    }
  }
}

}  // namespace

std::optional<std::string> normalise_tls_version(std::string_view s) {
  const auto at = [&](std::size_t i) { return i < s.size() ? lower(s[i]) : '\0'; };
  for (std::size_t p = 0; p + 3 <= s.size(); ++p) {
    if (at(p) != 't' && at(p) != 's') continue;
    if (at(p) == 's' && at(p + 1) == 's' && at(p + 2) == 'l' && at(p + 3) == 'v' &&
        at(p + 4) == '3') {
      return std::string("SSLv3");
    }
    if (at(p) != 't' || at(p + 1) != 'l' || at(p + 2) != 's') continue;
    if (p > 0 && std::isalnum(static_cast<unsigned char>(s[p - 1])) != 0)
      continue;  // inside a word
    std::size_t q = p + 3;
    if (at(q) == 'v') ++q;
    if (q < s.size() && (s[q] == ' ' || s[q] == '_')) ++q;
    if (q >= s.size() || s[q] != '1') continue;
    ++q;
    if (q + 1 < s.size() && (s[q] == '.' || s[q] == '_') && is_digit(s[q + 1])) {
      const char minor = s[q + 1];
      if (q + 2 < s.size() && is_digit(s[q + 2])) continue;  // "TLS1_10"? not a version
      if (minor > '3') continue;
      return std::string("TLSv1.") + minor;
    }
    if (q >= s.size() || !is_digit(s[q])) return std::string("TLSv1.0");  // "TLSv1", "TLSv1/SSLv3"
  }
  return std::nullopt;
}

#define INTRANSIT_HOP_TEXT_GET(name) name(),
Hop::Texts Hop::texts() const {
  return {INTRANSIT_HOP_TEXTS(INTRANSIT_HOP_TEXT_GET)};
}
#undef INTRANSIT_HOP_TEXT_GET

#define INTRANSIT_HOP_TEXT_PART(name) t.name,
void Hop::set_texts(const Texts& t) {
  const std::array<std::string_view, kFields> parts{INTRANSIT_HOP_TEXTS(INTRANSIT_HOP_TEXT_PART)};
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  std::string storage;  // a new buffer first: the views may point into the old one
  storage.reserve(size);
  for (std::size_t i = 0; i < kFields; ++i) {
    storage += parts[i];
    ends_[i] = static_cast<std::uint32_t>(storage.size());
  }
  storage_ = std::move(storage);
}
#undef INTRANSIT_HOP_TEXT_PART

namespace {

// What a field says about its hop, gathered once from the parsed clauses; the verdict and the
// TLS facts are read from it.
struct Signals {
  std::string_view protocol;                   // the first word of `with`, upper case
  bool tls_clause = false;                     // a `tls` clause (RFC 8314 §7.1 style)
  std::optional<std::string_view> annotation;  // a TLS comment, e.g. "(using TLSv1.3 with ...)"
  bool tls_protocol = false;                   // ESMTPS, ESMTPSA, UTF8SMTPS, LMTPS, ...
  bool mapi = false;
  bool local_protocol = false;                // LMTP, LOCAL, MAPI inside one host
  bool loopback = false;                      // from a loopback address or the host itself
  bool content_filter = false;                // amavisd-new, Postfix pickup, qmail-inject
  std::size_t slash_tls = std::string::npos;  // Cisco's "ESMTP/TLS/<cipher>"
  std::string_view slot_cipher;               // a cipher written where the protocol goes

  bool states_tls() const {
    return tls_protocol || tls_clause || annotation || slash_tls != std::string::npos ||
           !slot_cipher.empty();
  }
};

// The field unfolded (RFC 5322 §3.2.2) and tokenised into its clauses (RFC 5321 §4.4) in `d`;
// `raw` is its printable text. Plain: printable ASCII without a backslash throughout, so every
// part of it is too (the clauses are its words, comments lose nothing but escapes).
struct Field {
  std::string_view text, low, raw;
  bool plain = false;
};

Field read_field(std::string_view value, Scratch& sc, Draft& d) {
  char* unfolded = sc.text.room(value.size() + 8);
  char* unfolded_low = sc.low.room(value.size() + 8);
  const Unfolded u = unfold(value, unfolded, unfolded_low);
  Field f{std::string_view(unfolded, u.size), std::string_view(unfolded_low, u.size), {}, u.plain};
  if (!f.plain) d.raw = text::printable(f.text);
  f.raw = f.plain ? f.text : std::string_view(d.raw);
  d.date.assign(tokenise(f.text, f.low, sc));
  read_clauses(sc.tokens, d);
  if (!f.plain) {
    for (std::string* field : {&d.from, &d.from_info, &d.by, &d.by_info, &d.via, &d.with, &d.id,
                               &d.for_, &d.date, &d.cipher}) {
      text::make_printable(*field);
    }
  }
  return f;
}

Signals gather_signals(const Draft& d, Scratch& sc, std::string_view low) {
  Signals g;
  g.protocol = first_word(d.with);
  g.tls_clause = !d.cipher.empty();
  g.annotation = tls_annotation(sc.tokens);
  g.tls_protocol = one_of(kTlsProtocols, g.protocol);
  // Local first: an LMTP or loopback handoff is inside one host whatever it says about TLS.
  const bool lmtp = g.protocol.find("LMTP") != std::string_view::npos;
  // Exchange's MAPI is a mailbox server's own store when `from` and `by` name one host; between
  // two hosts it is a client's submission, whose protection the field does not say.
  g.mapi = g.protocol == "MAPI";
  const bool mapi_same_host = g.mapi && !d.from.empty() &&
                              text::equals_lower(text::strip_trailing_dot(d.from),
                                                 text::lower(text::strip_trailing_dot(d.by)));
  g.local_protocol =
      lmtp || g.protocol == "LOCAL" || g.protocol.rfind("LOCAL-", 0) == 0 || mapi_same_host;
  g.loopback = !d.from.empty() && connection_origin(d.from, d.from_info) == Origin::same_host;
  const std::string_view by_low = lowered(sc.by_low, d.by_info);
  // amavisd-new's own header; Postfix pickup ("from userid"); qmail-inject ("invoked by uid").
  g.content_filter =
      contains(by_low, "amavis") || contains(by_low, "from userid") || invoked_locally(low);
  // Cisco Secure Email (IronPort): "with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384".
  g.slash_tls = d.with.find("/TLS");
  // WP-SMTPD and Symantec/MessageLabs: the cipher in the protocol slot,
  // "with ECDHE-RSA-AES256-GCM-SHA384 encrypted SMTP".
  g.slot_cipher =
      cipher_in_protocol_slot(d.with) ? with_word_as_written(sc.tokens) : std::string_view{};
  return g;
}

// The TLS evidence of a hop that states TLS: its protocol, `tls` clause and TLS comment.
void tls_evidence(Draft& d, const Signals& g, bool plain) {
  const std::string_view with_part = d.with.empty() ? "" : "with ";
  const std::string_view tls_sep = !g.tls_clause ? "" : d.with.empty() ? "tls " : "; tls ";
  const std::string_view comment_sep = !g.annotation                     ? ""
                                       : d.with.empty() && !g.tls_clause ? "("
                                                                         : "; (";
  assign_concat(d.evidence,
                {with_part, d.with, tls_sep, g.tls_clause ? std::string_view(d.cipher) : "",
                 comment_sep, g.annotation.value_or(""), g.annotation ? ")" : ""});
  if (!plain) text::make_printable(d.evidence);
}

// The hop's verdict and the words that show it, in precedence order: local (by protocol, by
// origin, content filters), TLS, plaintext, unknown.
HopVerdict judge_hop(Draft& d, const Signals& g, bool plain) {
  if (g.local_protocol) {
    assign_concat(d.evidence, {"with ", d.with});
    return HopVerdict::local;
  }
  if (g.loopback) {
    if (d.from_info.empty()) {
      assign_concat(d.evidence, {"from ", d.from});
    } else {
      assign_concat(d.evidence, {"from ", d.from, " (", d.from_info, ")"});
    }
    return HopVerdict::local;
  }
  if (g.content_filter) {
    assign_concat(d.evidence, {"by ", d.by, " (", d.by_info, ")"});
    return HopVerdict::local;
  }
  if (g.states_tls()) {
    tls_evidence(d, g, plain);
    return HopVerdict::tls;
  }
  if (one_of(kPlainProtocols, g.protocol) || d.with.rfind("MICROSOFT SMTP SERVER", 0) == 0) {
    assign_concat(d.evidence, {"with ", d.with, " and no TLS annotation"});
    return HopVerdict::plaintext;
  }
  if (d.with.empty()) {
    d.evidence = "no protocol stated";
  } else if (g.mapi) {
    assign_concat(d.evidence,
                  {"with ", d.with,
                   " from another host: a client's submission, not stated as TLS or plaintext"});
  } else {
    assign_concat(d.evidence, {"with ", d.with, ": not a mail transfer protocol we know"});
  }
  return HopVerdict::unknown;
}

// The TLS version and cipher of a hop that stated TLS, from its TLS comment and `tls` clause
// first, then from anywhere in the field.
void read_tls_facts(Hop& hop, Draft& d, Scratch& sc, const Signals& g, const Field& f) {
  sc.where.clear();
  if (g.annotation) sc.where.append("(").append(*g.annotation).append(")");
  sc.where.append(" ").append(d.cipher);
  hop.tls_version = normalise_tls_version(sc.where);
  if (!hop.tls_version) hop.tls_version = normalise_tls_version(f.text);
  std::string_view cipher = find_cipher(d, sc.tokens, f.text, f.low);
  if (cipher.empty() && g.slash_tls != std::string::npos &&
      d.with.compare(g.slash_tls, 5, "/TLS/") == 0) {
    cipher = first_word(std::string_view(d.with).substr(g.slash_tls + 5));
  }
  if (cipher.empty()) cipher = g.slot_cipher;
  if (cipher.data() != d.cipher.data()) d.cipher.assign(cipher);  // else it is the `tls` clause
  if (!f.plain) text::make_printable(d.cipher);
}

}  // namespace

Hop parse_received(std::string_view value) {
  Hop hop;
  if (value.size() > limits::kReceivedBytes) {
    value = value.substr(0, limits::kReceivedBytes);
    hop.truncated = true;
  }
  Scratch& sc = scratch();
  Draft& d = sc.draft;
  d.clear();
  const Field f = read_field(value, sc, d);
  hop.parsed = !d.from.empty() || !d.by.empty() || !d.with.empty();
  const Signals g = gather_signals(d, sc, f.low);
  hop.verdict = judge_hop(d, g, f.plain);
  // A local hop keeps TLS facts only when it states TLS itself (an LMTPS or TLS-annotated handoff).
  const bool stated_tls = g.tls_protocol || g.tls_clause || g.annotation.has_value();
  if (hop.verdict == HopVerdict::tls || (hop.verdict == HopVerdict::local && stated_tls)) {
    read_tls_facts(hop, d, sc, g, f);
  }
  hop.authenticated = one_of(kAuthProtocols, g.protocol) || mentions_authentication(f.low);
  hop.set_texts({f.raw, d.from, d.from_info, d.by, d.by_info, d.via, d.with, d.id, d.for_, d.date,
                 d.cipher, d.evidence});
  return hop;
}

}  // namespace intransit::trace
