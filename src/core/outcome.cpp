// outcome.cpp — see outcome.hpp.
#include "core/outcome.hpp"

namespace intransit {

std::string_view to_string(ProbeOutcome outcome) {
  switch (outcome) {
    case ProbeOutcome::ok: return "ok";
    case ProbeOutcome::connect_refused: return "connect-refused";
    case ProbeOutcome::connect_timeout: return "connect-timeout";
    case ProbeOutcome::connect_failed: return "connect-failed";
    case ProbeOutcome::banner_timeout: return "banner-timeout";
    case ProbeOutcome::reply_deadline: return "reply-deadline";
    case ProbeOutcome::reply_too_large: return "reply-too-large";
    case ProbeOutcome::line_too_long: return "line-too-long";
    case ProbeOutcome::read_limit: return "read-limit";
    case ProbeOutcome::protocol_error: return "protocol-error";
    case ProbeOutcome::rate_limited: return "rate-limited";
    case ProbeOutcome::rejected: return "rejected";
    case ProbeOutcome::no_starttls: return "no-starttls";
    case ProbeOutcome::starttls_refused: return "starttls-refused";
    case ProbeOutcome::tls_handshake_failed: return "tls-handshake-failed";
    case ProbeOutcome::tls_timeout: return "tls-timeout";
    case ProbeOutcome::connection_lost: return "connection-lost";
    case ProbeOutcome::not_permitted: return "not-permitted";
  }
  return "unknown";
}

bool is_conclusive(ProbeOutcome outcome) {
  return outcome == ProbeOutcome::ok || outcome == ProbeOutcome::no_starttls ||
         outcome == ProbeOutcome::starttls_refused || outcome == ProbeOutcome::tls_handshake_failed;
}

}  // namespace intransit
