// server_transport.hpp — the seam between the sink's SMTP server session (session.hpp) and the
// wire: a connection the server reads from and writes to, turns into TLS (the server side of RFC
// 3207 STARTTLS), and asks whether the client talks before the greeting is complete (RFC 5321
// §3.1, §4.2.1; the pregreet test of RELIABILITY item 39). In the product it is an accepted TCP
// socket (make_socket_server_transport); in tests an in-memory scripted client with a manual
// clock (tests/support/scripted_peer.hpp), without sockets or wall time.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace intransit::sink {

class ServerTransport {
 public:
  virtual ~ServerTransport() = default;
  // Some bytes (at least one unless `ec` is set), through TLS once the handshake succeeded.
  virtual boost::asio::awaitable<std::size_t> read_some(std::span<char> into,
                                                        boost::system::error_code& ec) = 0;
  // All of `bytes`, or `ec`.
  virtual boost::asio::awaitable<void> write(std::string_view bytes,
                                             boost::system::error_code& ec) = 0;
  // The server side of the TLS handshake with `tls`; after it, reads and writes go through TLS.
  virtual boost::asio::awaitable<void> handshake(boost::asio::ssl::context& tls,
                                                 boost::system::error_code& ec) = 0;
  // The session's TLS state once the handshake succeeded (version, cipher, SNI, client
  // certificate); null before.
  virtual SSL* tls_session() = 0;
  // True when the client sends something within `wait`. A client that only closes does not talk.
  virtual boost::asio::awaitable<bool> talks_within(std::chrono::milliseconds wait) = 0;
  // Bytes already received, without waiting (at most into.size()); 0 when there are none.
  virtual std::size_t read_ready(std::span<char> into) = 0;
  virtual boost::asio::ip::tcp::endpoint local() const = 0;
  virtual boost::asio::ip::tcp::endpoint remote() const = 0;
  // Ends the connection now: whatever is pending fails (the watchdog's way of ending a wait).
  virtual void close() = 0;
};

std::unique_ptr<ServerTransport> make_socket_server_transport(boost::asio::ip::tcp::socket socket);

}  // namespace intransit::sink
