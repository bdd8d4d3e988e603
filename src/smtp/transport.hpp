// transport.hpp — the seam between the SMTP client dialogue (probe.cpp) and the wire: a
// connection that can read some bytes, write, and turn into TLS (RFC 3207 STARTTLS, RFC 8314
// implicit TLS), and a deadline source that says the time and fires the watchdog. The probe runs
// on a TCP socket and a steady timer (socket_transport.hpp); its tests run on an in-memory
// scripted peer and a manual clock (tests/support/scripted_peer.hpp), without sockets or wall
// time.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

#include "core/deadline_source.hpp"

namespace intransit::smtp {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual boost::asio::awaitable<void> connect(const boost::asio::ip::tcp::endpoint& endpoint,
                                               boost::system::error_code& ec) = 0;
  // Some bytes (at least one unless `ec` is set), through TLS once the handshake succeeded.
  virtual boost::asio::awaitable<std::size_t> read_some(std::span<char> into,
                                                        boost::system::error_code& ec) = 0;
  // How many bytes have already arrived before TLS, so that a read would return them without
  // waiting (0 once TLS is up, or when it cannot tell). The probe asks at two points where an
  // honest server has sent nothing: before its STARTTLS and before its ClientHello.
  virtual std::size_t available() = 0;
  // All of `bytes`, or `ec`.
  virtual boost::asio::awaitable<void> write(std::string_view bytes,
                                             boost::system::error_code& ec) = 0;
  // The client's TLS session: set up before the handshake (SNI, DANE), examined after it.
  virtual SSL* tls_session() = 0;
  // The client side of the TLS handshake; after it, reads and writes go through TLS.
  virtual boost::asio::awaitable<void> handshake(boost::system::error_code& ec) = 0;
  // Ends the connection now: whatever is pending fails (the watchdog's way of stopping a phase).
  virtual void close() = 0;
};

// The time and the watchdog (core/deadline_source.hpp), shared with the sink's server session.
using intransit::DeadlineSource;

}  // namespace intransit::smtp
