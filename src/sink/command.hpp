// command.hpp — the server side of SMTP's command grammar, pure and bounded: a command line is
// split into its verb and argument (RFC 5321 §4.1.1), and the MAIL FROM / RCPT TO argument into
// a path and ESMTP parameters (RFC 5321 §4.1.2, §4.5.3.1 size limits). Hostile input — CR, LF,
// NUL or other control bytes, over-long parts, a missing "<" — gets a typed error for a 501,
// never a partial result (RELIABILITY.md item 48). Fuzzed (tests/fuzz/fuzz_sink_command.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace intransit::sink {

enum class Verb : std::uint8_t {
  helo,
  ehlo,
  mail,
  rcpt,
  data,
  bdat,
  rset,
  noop,
  quit,
  starttls,
  vrfy,
  expn,
  help,
  auth,
  unknown
};

struct Command {
  Verb verb = Verb::unknown;
  std::string_view argument;  // after the verb and one space; a view into the line
};

// `line` is one command without its CRLF.
Command parse_command(std::string_view line);

struct MailPath {
  std::string address;  // without the angle brackets; empty for the null reverse-path "<>"
  std::vector<std::pair<std::string, std::string>>
      parameters;  // keyword upper-cased, value as sent
  bool has(std::string_view keyword) const;
};

struct PathError {
  std::string
      reply;  // a complete reply line without CRLF, e.g. "501 5.1.7 Bad sender address syntax"
};

// `argument` is what follows MAIL / RCPT; `keyword` is "FROM:" or "TO:".
std::variant<MailPath, PathError> parse_path(std::string_view argument, std::string_view keyword);

// An EHLO/HELO name: a domain or an address literal; no control bytes, at most 255 octets.
bool valid_helo_name(std::string_view name);

}  // namespace intransit::sink
