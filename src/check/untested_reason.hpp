// untested_reason.hpp — why a domain's verdict is `untested` (DESIGN.md §3: "we could not find
// out, and we say why"): a closed enum with one catalogue of its JSON words (the closed list of
// `untested_reason` in docs/schema/check.schema.json) and the words the summary uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace intransit::check {

enum class UntestedReason : std::uint8_t {
  dns_failure,        // a lookup the verdict needs failed (SERVFAIL, timeout): never "no record"
  unreachable,        // no MX address accepted a connection on port 25
  rate_limited,       // every server answered 421 (busy, or rate-limiting us)
  rejected,           // every server refused to talk to us (5xx greeting or EHLO)
  tarpit,             // every server was too slow to answer
  protocol_error,     // the answers could not be understood (or the reasons differ)
  no_address_tested,  // addresses were found but none was probed
  no_network,         // this machine reached no nameserver at all (RELIABILITY item 58)
  not_permitted,      // every address (or the MTA-STS host) is special-purpose: not connected to
};

std::string_view to_string(UntestedReason reason);
std::optional<UntestedReason> untested_reason_from_string(std::string_view text);

// The end of "Could not find out whether mail to <domain> is protected: ...".
std::string_view summary_words(UntestedReason reason);

}  // namespace intransit::check
