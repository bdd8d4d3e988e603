// delivery.hpp — one delivery attempt as a sending MTA's log records it: when, which message,
// to which destination domain and relay, with what result, and how the transfer was protected
// (the TLS connection the same process logged for it, or its absence). Shared by the Postfix,
// Exim and Sendmail readers (logs/postfix.hpp, logs/exim.hpp, logs/sendmail.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::logs {

// How the transfer to the relay was protected, as far as the log says.
// verified: TLS with the server's certificate authenticated (Postfix "Verified", Exim CV=yes or
//           CV=dane, Sendmail verify=OK);
// encrypted_unverified: TLS, but any certificate would have been accepted (Postfix "Trusted",
//           "Untrusted", "Anonymous"; Exim CV=no; Sendmail verify=NO/FAIL/NONE...);
// plaintext: the log records the delivery and the MTA logs TLS, but not for this transfer;
// unknown: the log cannot say (no connection was made, or this MTA logs no TLS at all).
enum class Protection : std::uint8_t { verified, encrypted_unverified, plaintext, unknown };
inline constexpr std::size_t kProtectionCount = 4;
std::string_view to_string(Protection p);

enum class Result : std::uint8_t { sent, deferred, bounced };
std::string_view to_string(Result r);

enum class Mta : std::uint8_t { postfix, exim, sendmail };
std::string_view to_string(Mta m);

// Lines kept as evidence per delivery, and the bytes kept of each (the rest is cut; a log line
// is at most limits::kLogLineBytes already, but a JSON Lines record should stay small).
inline constexpr std::size_t kEvidenceLines = 3;
inline constexpr std::size_t kEvidenceLineBytes = 1024;

struct Delivery {
  std::int64_t time = 0;    // seconds since the epoch, UTC (see logs/syslog_line.hpp)
  std::int32_t micros = 0;  // fraction of the second, when the log has it
  bool time_known = false;
  Mta mta = Mta::postfix;
  std::string host;  // the syslog host field (which server logged it), may be empty
  std::string queue_id;
  std::string recipient_domain;  // lower case
  std::string relay_host;        // as logged, lower case, no trailing dot; "" when none
  std::string relay_address;     // IP literal; "" when none
  std::uint16_t relay_port = 0;  // 0 when not logged
  Result result = Result::sent;
  Protection protection = Protection::unknown;
  std::string tls_version;  // "TLSv1.3", "" when none
  std::string tls_cipher;
  std::string tls_trust;  // the MTA's own word: "Verified", "CV=yes", "verify=OK", ...
  std::vector<std::string>
      lines;  // evidence, at most kEvidenceLines, raw bytes (escaped on output)
};

// Appends `line` to `d.lines`, cut to kEvidenceLineBytes, unless the list is full.
void add_evidence(Delivery& d, std::string_view line);

// The domain part of an address ("user@Example.COM" -> "example.com"), without angle brackets
// or a trailing dot; "" when there is no '@'.
std::string recipient_domain(std::string_view address);

// "host[addr]:port" or "host[addr]" (Postfix's relay= and TLS lines) split into its parts.
// False when there is no bracketed address (relay=none, relay=local, a unix socket).
bool split_host_addr_port(std::string_view s, std::string& host, std::string& addr,
                          std::uint16_t& port);

// TLS version names normalised to "TLSv1.3" ("TLS1.3" from Exim, "TLSv1.3" from the others).
std::string normalise_tls_version(std::string_view v);

// True for a relay address that is this host's own loopback interface (127.0.0.1, ::1): a
// handoff to a content filter (amavis, rspamd proxy) is not mail leaving the host.
bool is_local_handoff(std::string_view addr);

}  // namespace intransit::logs
