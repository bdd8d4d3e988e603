// ehlo.hpp — parses the capability list of a positive EHLO reply (RFC 5321 §4.1.1.1, the
// ehlo-line grammar of §4.1.1.1 / RFC 1869) into keywords and parameters. Pure, no I/O.
// Lines that break the grammar are kept verbatim in `malformed` rather than dropped, so a report
// can show them; keywords are case-insensitive and stored upper-cased.
// Extensions intransit reads: STARTTLS (RFC 3207), REQUIRETLS (RFC 8689), SIZE (RFC 1870),
// AUTH (RFC 4954), PIPELINING (RFC 2920), SMTPUTF8 (RFC 6531), CHUNKING (RFC 3030).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtp/reply.hpp"

namespace intransit::smtp {

struct Capabilities {
  // First word of the first line: the name the server gives itself.
  std::string server_name;
  // Upper-cased keyword -> its parameters, in the order the server listed them.
  std::map<std::string, std::vector<std::string>, std::less<>> keywords;
  // Lines after the first that are not an ehlo-line (raw bytes; sanitise before display).
  std::vector<std::string> malformed;
  // A keyword was listed more than once (the first listing is kept).
  bool duplicates = false;

  bool has(std::string_view keyword) const;
  // The SIZE limit in octets: nullopt when SIZE is absent, has no number or a malformed one;
  // 0 means "no fixed limit" (RFC 1870 §4).
  std::optional<std::uint64_t> size_limit() const;
};

// Capabilities from a complete EHLO reply. Replies other than 250 yield an empty set.
Capabilities parse_ehlo(const Reply& reply);

}  // namespace intransit::smtp
