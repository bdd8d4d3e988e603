// hostile_server.hpp — a test tool, not part of the product: an SMTP server that misbehaves on
// purpose, one scenario per listening socket: the hostile peers of RELIABILITY.md items 3-20
// (silence, 1-byte drips, endless replies, NUL bytes, bare LF, malformed codes, 421, STARTTLS
// missing or refused, plaintext injected after the 220 to STARTTLS, stalled or reset handshakes,
// garbage instead of TLS, a huge certificate chain, EOF mid-reply). The probe's tests run against
// it on loopback; the scenarios are data (hostile_script.hpp). Asio coroutines; TLS with an
// in-memory certificate.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::test {

enum class HostileScenario : std::uint8_t {
  valid,                   // a correct server with STARTTLS (baseline)
  silent,                  // accepts, never says anything (item 3)
  drip_banner,             // the banner at one byte per 100 ms, forever (item 5)
  endless_multiline,       // "250-x" lines forever after EHLO (item 6)
  long_line,               // 3 MiB banner line without CRLF (item 7)
  nul_banner,              // NUL, ESC and invalid UTF-8 in the banner, then no STARTTLS (item 9)
  lf_only,                 // every reply ends in bare LF, no STARTTLS (item 10)
  malformed_code,          // "2500" as the banner code (item 11)
  inconsistent_codes,      // EHLO reply lines with different codes, no STARTTLS (item 11)
  unsolicited_data,        // a second reply after the banner, unasked, no STARTTLS (item 12)
  rate_limited,            // 421 greeting (item 24)
  no_starttls,             // EHLO without STARTTLS (item 15)
  starttls_refused,        // STARTTLS answered 454 (item 15)
  starttls_injection,      // "220 go" plus forged "250-" lines in one segment, then TLS (item 13)
  handshake_stall,         // 220 to STARTTLS, then silence (item 16)
  handshake_reset,         // 220, reads the ClientHello, then RST (item 17)
  garbage_after_starttls,  // 220, then an HTTP error instead of a ServerHello (item 19)
  huge_chain,              // a certificate chain well over 100 kB (item 18)
  eof_mid_reply,           // EOF in the middle of the multi-line EHLO reply (item 20)
  quit_ignored,            // no STARTTLS, and QUIT is never answered (item 22)
  implicit_tls,            // a correct server with implicit TLS, as on port 465 (RFC 8314 §3)
  slow_banner,             // a correct server that waits 1 s before each banner (item 55)
};

std::string_view to_string(HostileScenario scenario);
std::optional<HostileScenario> hostile_scenario_from_string(std::string_view name);
const std::vector<HostileScenario>& all_hostile_scenarios();

class HostileServer {
 public:
  // Listens on `endpoint` (port 0 picks a free one). `server_name` is the banner's name and the
  // certificate's CN/SAN.
  HostileServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                HostileScenario scenario, std::string server_name = "hostile.test");
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Starts accepting; every connection runs the scenario until the peer leaves or io stops.
  void start();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace intransit::test
