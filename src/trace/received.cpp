// received.cpp — see received.hpp. The clause reader follows RFC 5321 §4.4 (Stamp) and RFC 5322
// §3.2.2 (comments nest, `\` quotes); the TLS evidence reader looks for the annotation formats
// listed in received.hpp. Plain substring searches on a lower-cased copy: this runs once per
// Received field over whole mailboxes, so no regular expressions.
#include "trace/received.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/limits.hpp"
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

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
std::string uppered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  return out;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// Unfolds (RFC 5322 §2.2.3), turns control bytes into spaces and collapses whitespace runs.
std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool space = false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (is_space(c) || u < 0x20 || u == 0x7f) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct Token {
  std::string text;
  bool comment = false;
  std::string lower;  // comments only: lower-cased once, searched several times
};

// Words and comments up to the top-level ';' (the date follows it).
std::vector<Token> tokenise(std::string_view s, std::string& date) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ') {
      ++i;
    } else if (c == ';') {
      date = std::string(s.substr(i + 1));
      const auto b = date.find_first_not_of(' ');
      date = b == std::string::npos ? std::string{} : date.substr(b);
      break;
    } else if (c == '(') {
      int depth = 0;
      std::string text;
      for (; i < s.size(); ++i) {
        const char d = s[i];
        if (d == '\\' && i + 1 < s.size()) {
          text += s[++i];
          continue;
        }
        if (d == '(') {
          if (depth++ > 0 && depth <= limits::kCommentDepth) text += d;
          continue;
        }
        if (d == ')') {
          if (--depth == 0) {
            ++i;
            break;
          }
          if (depth < limits::kCommentDepth) text += d;
          continue;
        }
        text += d;
      }
      std::string low = text::lower(text);
      tokens.push_back({std::move(text), true, std::move(low)});
    } else {
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != '(' && s[j] != ';') ++j;
      tokens.push_back({std::string(s.substr(i, j - i)), false, {}});
      i = j;
    }
  }
  return tokens;
}

enum class Clause { none, from, by, via, with, id, for_, tls };

bool equals_ci(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() &&
         std::equal(a.begin(), a.end(), lower_b.begin(), [](char x, char y) { return lower(x) == y; });
}

Clause keyword(std::string_view w) {
  if (w.size() < 2 || w.size() > 4) return Clause::none;  // no allocation for ordinary words
  if (equals_ci(w, "from")) return Clause::from;
  if (equals_ci(w, "by")) return Clause::by;
  if (equals_ci(w, "via")) return Clause::via;
  if (equals_ci(w, "with")) return Clause::with;
  if (equals_ci(w, "id")) return Clause::id;
  if (equals_ci(w, "for")) return Clause::for_;
  if (equals_ci(w, "tls")) return Clause::tls;  // RFC 8314 §4.3, and Exim ≥ 4.92 "tls <cipher>"
  return Clause::none;
}


// RFC 3848 and RFC 6531 §3.7.3 protocol types.
// "SMTPS" is not in RFC 3848 but Google and others write it for TLS (implicit or STARTTLS).
constexpr std::array<std::string_view, 9> kTlsProtocols{"ESMTPS", "ESMTPSA", "LMTPS", "LMTPSA", "UTF8SMTPS",
                                                         "UTF8SMTPSA", "UTF8LMTPS", "UTF8LMTPSA", "SMTPS"};
constexpr std::array<std::string_view, 5> kPlainProtocols{"SMTP", "ESMTP", "ESMTPA", "UTF8SMTP", "UTF8SMTPA"};
constexpr std::array<std::string_view, 6> kAuthProtocols{"ESMTPA", "ESMTPSA", "LMTPA", "LMTPSA", "UTF8SMTPA", "UTF8SMTPSA"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

std::string first_word(std::string_view s) { return std::string(s.substr(0, s.find(' '))); }

// A word ends at whitespace or one of the separators annotation formats use.
std::string word_at(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end < s.size() && !is_space(s[end]) && s[end] != ',' && s[end] != ')' && s[end] != ';' && s[end] != '(') ++end;
  return std::string(s.substr(pos, end - pos));
}

bool loopback_or_localhost(std::string_view lowered_text) {
  return contains(lowered_text, "localhost") || contains(lowered_text, "[127.") ||
         contains(lowered_text, "(127.") || contains(lowered_text, " 127.") || contains(lowered_text, "::1]") ||
         lowered_text.rfind("127.", 0) == 0;
}

// The cipher named by an annotation, in the order of how explicit the format is. `low` is
// `text` lower-cased (the caller has it already).
std::string find_cipher(const Hop& hop, const std::vector<Token>& tokens, const std::string& text,
                        const std::string& low) {
  std::size_t p = low.find("with cipher ");  // Postfix
  if (p != std::string::npos) return word_at(text, p + 12);
  p = low.find("cipher=");  // Sendmail, Microsoft, Google, Haraka
  if (p != std::string::npos) return word_at(text, p + 7);
  if (!hop.cipher.empty()) return hop.cipher;  // the `tls` clause
  for (const auto& t : tokens) {
    if (!t.comment) continue;
    const std::string& lc = t.lower;
    // Exim ≤ 4.91 and OpenSMTPD: "(TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256)", "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)"
    const auto colon = t.text.find(':');
    if (colon != std::string::npos && normalise_tls_version(t.text.substr(0, colon)) && colon + 1 < t.text.size()) {
      const auto next = t.text.find(':', colon + 1);
      return t.text.substr(colon + 1, next == std::string::npos ? std::string::npos : next - colon - 1);
    }
    // Courier: "TLS: TLSv1/SSLv3,256bits,AES256-SHA"
    const auto courier = lc.find("tls: ");
    if (courier != std::string::npos) {
      const auto comma = t.text.rfind(',');
      if (comma != std::string::npos && comma > courier) return word_at(t.text, comma + 1);
    }
    // qmail TLS patches: "(DHE-RSA-AES256-SHA encrypted)"
    const auto enc = lc.find(" encrypted");
    if (enc != std::string::npos) return first_word(t.text);
  }
  return {};
}

// A comment (or the whole text) that carries a TLS annotation: the evidence to quote.
std::optional<std::string> tls_annotation(const std::vector<Token>& tokens) {
  static constexpr std::array<std::string_view, 8> kMarkers{"using tls",   "using ssl", "version=tls",
                                                            "version=ssl", "cipher=",   "tls: ",
                                                            " encrypted",  "google transport security"};
  for (const auto& t : tokens) {
    if (!t.comment) continue;
    const std::string& lc = t.lower;
    const bool marker = std::any_of(kMarkers.begin(), kMarkers.end(), [&](std::string_view m) { return contains(lc, m); });
    const auto colon = t.text.find(':');
    const bool colon_format = colon != std::string::npos && normalise_tls_version(t.text.substr(0, colon)).has_value();
    const bool bare_version = normalise_tls_version(t.text).has_value() && t.text.size() <= 12;  // Exim "(TLS1.3)"
    if (marker || colon_format || bare_version) return "(" + t.text + ")";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> normalise_tls_version(std::string_view s) {
  for (std::size_t p = s.find_first_of("tTsS"); p != std::string_view::npos && p + 3 <= s.size();
       p = s.find_first_of("tTsS", p + 1)) {
    const auto at = [&](std::size_t i) { return i < s.size() ? lower(s[i]) : '\0'; };
    if (at(p) == 's' && at(p + 1) == 's' && at(p + 2) == 'l' && at(p + 3) == 'v' && at(p + 4) == '3') {
      return std::string("SSLv3");
    }
    if (at(p) != 't' || at(p + 1) != 'l' || at(p + 2) != 's') continue;
    if (p > 0 && std::isalnum(static_cast<unsigned char>(s[p - 1])) != 0) continue;  // inside a word
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

Hop parse_received(std::string_view value) {
  Hop hop;
  if (value.size() > limits::kReceivedBytes) {
    value = value.substr(0, limits::kReceivedBytes);
    hop.truncated = true;
  }
  const std::string text = unfold(value);
  hop.raw = text::printable(text);
  const auto tokens = tokenise(text, hop.date);

  Clause current = Clause::none;
  auto append = [](std::string& field, const std::string& word) {
    if (!field.empty()) field += ' ';
    field += word;
  };
  for (const auto& t : tokens) {
    if (t.comment) {
      if (current == Clause::from) append(hop.from_info, t.text);
      if (current == Clause::by) append(hop.by_info, t.text);
      continue;
    }
    const Clause k = keyword(t.text);
    if (k != Clause::none) {
      current = k;
      continue;
    }
    switch (current) {
      case Clause::from: if (hop.from.empty()) hop.from = t.text; else append(hop.from_info, t.text); break;
      case Clause::by: if (hop.by.empty()) hop.by = t.text; else append(hop.by_info, t.text); break;
      case Clause::via: append(hop.via, t.text); break;
      case Clause::with: append(hop.with, uppered(t.text)); break;
      case Clause::id: if (hop.id.empty()) hop.id = t.text; break;
      case Clause::for_: if (hop.for_.empty()) hop.for_ = t.text; break;
      case Clause::tls: if (hop.cipher.empty()) hop.cipher = t.text; break;
      case Clause::none: break;
    }
  }
  for (std::string* f : {&hop.from, &hop.from_info, &hop.by, &hop.by_info, &hop.via, &hop.with, &hop.id, &hop.for_,
                         &hop.date, &hop.cipher}) {
    *f = text::printable(*f);
  }
  hop.parsed = !hop.from.empty() || !hop.by.empty() || !hop.with.empty();

  const std::string low = text::lower(text);
  const std::string protocol = first_word(hop.with);
  const bool tls_clause = !hop.cipher.empty();
  const auto annotation = tls_annotation(tokens);
  const bool tls_protocol = one_of(kTlsProtocols, protocol);

  // Local first: an LMTP or loopback handoff is inside one host whatever it says about TLS.
  const bool lmtp = protocol.find("LMTP") != std::string::npos;
  const bool local_protocol = lmtp || protocol == "LOCAL" || protocol.rfind("LOCAL-", 0) == 0 || protocol == "MAPI";
  const std::string from_low = text::lower(hop.from + " " + hop.from_info);
  const bool loopback = !hop.from.empty() && loopback_or_localhost(from_low);
  const std::string by_low = text::lower(hop.by_info);
  // amavisd-new's own header; Postfix pickup ("from userid"); qmail-inject ("invoked by uid").
  const bool content_filter = contains(by_low, "amavis") || contains(by_low, "from userid") ||
                              contains(low, "invoked by uid") ||
                              contains(low, "invoked by alias");
  // Cisco Secure Email (IronPort): "with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384".
  const auto slash_tls = hop.with.find("/TLS");
  if (local_protocol) {
    hop.verdict = HopVerdict::local;
    hop.evidence = "with " + hop.with;
  } else if (loopback || content_filter) {
    hop.verdict = HopVerdict::local;
    hop.evidence = loopback ? "from " + hop.from + (hop.from_info.empty() ? "" : " (" + hop.from_info + ")")
                            : "by " + hop.by + " (" + hop.by_info + ")";
  } else if (tls_protocol || tls_clause || annotation || slash_tls != std::string::npos) {
    hop.verdict = HopVerdict::tls;
    std::string e;
    if (!hop.with.empty()) e = "with " + hop.with;
    if (tls_clause) e += std::string(e.empty() ? "" : "; ") + "tls " + hop.cipher;
    if (annotation) e += (e.empty() ? "" : "; ") + *annotation;
    hop.evidence = text::printable(e);
  } else if (one_of(kPlainProtocols, protocol) || hop.with.rfind("MICROSOFT SMTP SERVER", 0) == 0) {
    hop.verdict = HopVerdict::plaintext;
    hop.evidence = "with " + hop.with + " and no TLS annotation";
  } else {
    hop.verdict = HopVerdict::unknown;
    hop.evidence = hop.with.empty() ? "no protocol stated" : "with " + hop.with + ": not a mail transfer protocol we know";
  }
  // A local hop keeps TLS facts only when it states TLS itself (an LMTPS or TLS-annotated handoff).
  const bool stated_tls = tls_protocol || tls_clause || annotation.has_value();
  if (hop.verdict == HopVerdict::tls || (hop.verdict == HopVerdict::local && stated_tls)) {
    std::string where;
    if (annotation) where = *annotation;
    where += " " + hop.cipher;
    hop.tls_version = normalise_tls_version(where);
    if (!hop.tls_version) hop.tls_version = normalise_tls_version(text);
    std::string cipher = find_cipher(hop, tokens, text, low);
    if (cipher.empty() && slash_tls != std::string::npos && hop.with.compare(slash_tls, 5, "/TLS/") == 0) {
      cipher = first_word(hop.with.substr(slash_tls + 5));
    }
    hop.cipher = text::printable(cipher);
  }
  hop.authenticated = one_of(kAuthProtocols, protocol) || contains(low, "authenticated sender") ||
                      contains(low, "(authenticated") || contains(low, "auth: ") || contains(low, "authenticated as") ||
                      contains(low, "authenticated user") || contains(low, " and auth");
  return hop;
}

}  // namespace intransit::trace
