// outcome.hpp — the one typed outcome every started probe ends in (STYLE.md habit 1,
// RELIABILITY.md "every started probe ends in exactly one typed outcome"). The names are the
// JSON contract's `outcome` values: change them only with a new schema version.
#pragma once

#include <cstdint>
#include <string_view>

namespace intransit {

enum class ProbeOutcome : std::uint8_t {
  ok,                    // dialogue completed (with or without TLS, see the facts)
  connect_refused,       // RST / port closed (item 2)
  connect_timeout,       // no answer to SYN (item 1)
  connect_failed,        // other socket error (no route, address unusable)
  banner_timeout,        // accepted, but no complete banner in time (item 3)
  reply_deadline,        // a reply did not complete in time, e.g. 1 byte/s drip (item 5)
  reply_too_large,       // multi-line reply over the line or byte cap (item 6)
  line_too_long,         // reply line with no end in sight (item 7)
  read_limit,            // per-connection byte budget spent (item 8)
  protocol_error,        // malformed reply codes, unexpected replies (item 11)
  rate_limited,          // 421 or other 4xx to the greeting or EHLO (item 24)
  rejected,              // 5xx greeting or EHLO: the server will not talk to us
  no_starttls,           // STARTTLS not offered (item 15)
  starttls_refused,      // STARTTLS answered 454/5xx (item 15)
  tls_handshake_failed,  // alert, version or cipher mismatch, non-TLS bytes (items 17, 19)
  tls_timeout,           // handshake did not finish in time (item 16)
  connection_lost,       // EOF or reset in the middle of the dialogue (item 20)
  not_permitted,         // not connected: a special-purpose address serve refuses (issue 18)
};

std::string_view to_string(ProbeOutcome outcome);

// True when the probe learned what the server does about TLS (the facts are usable), even if
// the answer is "no TLS": ok, no_starttls, starttls_refused, tls_handshake_failed.
bool is_conclusive(ProbeOutcome outcome);

}  // namespace intransit
