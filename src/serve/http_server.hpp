// http_server.hpp — the listening side of `serve` on Boost.Beast (HTTP/1.1, RFC 9112), plain or
// over TLS: one coroutine per connection, keep-alive, and every byte a stranger sends bounded in
// size and time (RELIABILITY.md): the header block, the body, the time to send a whole request,
// the number of connections at once. Requests go to one RequestHandler; an exception that leaves
// it becomes a 500 problem for that request, logged once, and the server goes on.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "serve/http.hpp"

namespace intransit::serve {

struct ServerLimits {
  std::size_t header_bytes = 16 * 1024;       // request line and header fields
  std::size_t body_bytes = 1024 * 1024;       // a pasted message header block fits easily
  std::chrono::seconds request_deadline{20};  // from the first byte to the whole request
  std::chrono::seconds idle_deadline{30};     // keep-alive: waiting for the next request
  std::chrono::seconds write_deadline{30};    // sending a response
  std::size_t max_connections = 1024;         // open at once; more are answered 503 and closed
};

struct Client {
  boost::asio::ip::address address;
  bool tls = false;
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual boost::asio::awaitable<Response> handle(Request request, Client client) = 0;
};

class HttpServer {
 public:
  // `tls` null: plain HTTP. The handler must outlive the server.
  HttpServer(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls,
             ServerLimits limits, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; false with `error` when the address cannot be used.
  bool listen(const boost::asio::ip::tcp::endpoint& endpoint, std::string& error);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting; connections in progress end with their current request.
  void stop();
  std::size_t connections() const;

  struct State;  // the acceptor and what every connection shares (http_server.cpp)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace intransit::serve
