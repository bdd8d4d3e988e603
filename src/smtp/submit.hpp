// submit.hpp — hands one message to an SMTP relay (RFC 5321 §3.3, §4.1.1): EHLO, STARTTLS when
// the relay offers it (RFC 3207 §4, EHLO again after it) and, on request, required with the
// relay's certificate verified, MAIL, RCPT for each recipient, DATA, QUIT. Replies go through the
// prober's bounded parser (smtp/reply.hpp); one deadline covers the whole conversation. Used by
// serve's alert mail and `tlsrpt generate --submit` (RFC 8460 §5.3). Failure is a sentence,
// never an exception.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::smtp {

// "HOST", "HOST:PORT", "[IPv6]" or "[IPv6]:PORT" (a bare IPv6 literal has no port); port 25 when
// absent. A port that is not a number in 1..65535 gives port 0, which submit() reports.
struct RelayAddress {
  std::string host;  // without brackets
  unsigned short port = 25;
};
RelayAddress parse_relay(std::string_view relay);

struct Submission {
  std::string from;             // envelope sender (MAIL FROM), also names the EHLO domain
  std::vector<std::string> to;  // envelope recipients (RCPT TO)
  std::string data;             // the message in wire form (data_lines): CRLF, dot-stuffed
};

struct SubmitOptions {
  std::chrono::steady_clock::duration deadline = std::chrono::seconds(30);
  bool require_tls = false;  // no STARTTLS, no mail; the relay's certificate is then verified
  std::string ca_file;       // trust anchors for that check; empty: the system's store
};

struct SubmitResult {
  bool ok = false;
  std::string detail;  // "250 2.0.0 Ok: queued as ABC (TLS)", or why it failed
};

boost::asio::awaitable<SubmitResult> submit(RelayAddress relay, Submission message,
                                            SubmitOptions options);

// A message's text in DATA's wire form (RFC 5321 §4.5.2): every line ending in CRLF (a lone LF
// or CR-LF both become CRLF), a line starting with "." gets one more; no final ".".
std::string data_lines(std::string_view message);

// One address for MAIL/RCPT: non-empty, at most 254 bytes, no controls, spaces or angle brackets
// (nothing that could end the command line).
bool plain_address(std::string_view address);

}  // namespace intransit::smtp
