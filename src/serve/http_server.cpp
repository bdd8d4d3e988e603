// http_server.cpp — see http_server.hpp.
#include "serve/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <boost/asio/steady_timer.hpp>

#include <array>
#include <iostream>
#include <optional>

#include "core/text.hpp"

namespace intransit::serve {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct HttpServer::State {
  State(asio::io_context& io, std::shared_ptr<asio::ssl::context> t, ServerLimits l,
        RequestHandler& h)
      : acceptor(io), tls(std::move(t)), limits(l), handler(h) {}
  tcp::acceptor acceptor;
  std::shared_ptr<asio::ssl::context> tls;
  ServerLimits limits;
  RequestHandler& handler;
  std::size_t open = 0;
};

namespace {

void log_error(std::string_view where, const std::exception_ptr& error) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  std::cerr << "intransit serve: " << text::printable(where)
            << ": ended by an internal error: " << text::printable(what) << std::endl;
}

// What a request the parser refused gets, or nothing when the peer just went away.
std::optional<Response> refusal(const boost::system::error_code& ec) {
  if (ec == beast::http::error::header_limit)
    return problem(http::status::request_header_fields_too_large, "the header block is too large");
  if (ec == beast::http::error::body_limit)
    return problem(http::status::payload_too_large, "the request body is too large");
  if (ec == beast::error::timeout || ec == beast::http::error::end_of_stream) return std::nullopt;
  if (ec.category() == beast::http::make_error_code(beast::http::error::bad_method).category())
    return problem(http::status::bad_request, "the request could not be parsed: " + ec.message());
  return std::nullopt;
}

template <class Stream>
asio::awaitable<void> write_response(Stream& stream, Response& response,
                                     std::chrono::seconds deadline, boost::system::error_code& ec) {
  beast::get_lowest_layer(stream).expires_after(deadline);
  co_await beast::http::async_write(stream, response,
                                    asio::redirect_error(asio::use_awaitable, ec));
}

// Requests on one connection until it closes, an error, or a response that ends it. True when
// it ended with a refusal written while the client may still be sending (413, 431, 400).
template <class Stream>
asio::awaitable<bool> serve_requests(Stream& stream, HttpServer::State& s, Client client) {
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  for (bool first = true;; first = false) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(s.limits.header_bytes));
    parser.body_limit(s.limits.body_bytes);
    auto& socket = beast::get_lowest_layer(stream);
    socket.expires_after(first ? s.limits.request_deadline : s.limits.idle_deadline);
    co_await beast::http::async_read_header(stream, buffer, parser,
                                            asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !parser.is_done()) {
      socket.expires_after(s.limits.request_deadline);  // the body, in the request's own time
      co_await beast::http::async_read(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      auto r = refusal(ec);
      if (!r) co_return false;
      r->keep_alive(false);
      co_await write_response(stream, *r, s.limits.write_deadline, ec);
      co_return !ec;
    }
    Request request = parser.release();
    const bool keep_alive = request.keep_alive();
    const unsigned version = request.version();
    Response response;
    try {
      response = co_await s.handler.handle(std::move(request), client);
    } catch (...) {
      log_error("request from " + client.address.to_string(), std::current_exception());
      response = problem(http::status::internal_server_error, "internal error (logged)");
    }
    response.version(version);
    response.keep_alive(keep_alive && response.keep_alive());
    const bool again = response.keep_alive();
    co_await write_response(stream, response, s.limits.write_deadline, ec);
    if (ec || !again) co_return false;
  }
}

// A lingering close after a refusal: the client may still be sending the body we refused, and
// closing with unread bytes makes the kernel send a reset that can destroy our answer before the
// client reads it. So stop sending, then read and discard what comes, bounded in bytes and time.
asio::awaitable<void> linger(beast::tcp_stream& stream, std::size_t max_bytes) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::seconds(5));
  std::array<char, 16384> sink{};
  for (std::size_t total = 0; !ec && total < max_bytes;) {
    total += co_await stream.async_read_some(asio::buffer(sink),
                                             asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> serve_plain(tcp::socket socket, std::shared_ptr<HttpServer::State> s,
                                  Client client) {
  beast::tcp_stream stream(std::move(socket));
  const bool refused = co_await serve_requests(stream, *s, client);
  if (refused) {
    co_await linger(stream, 4 * s->limits.body_bytes);
    co_return;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> serve_tls(tcp::socket socket, std::shared_ptr<HttpServer::State> s,
                                Client client) {
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *s->tls);
  beast::get_lowest_layer(stream).expires_after(s->limits.request_deadline);
  boost::system::error_code ec;
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  co_await serve_requests(stream, *s, client);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

// Over the connection cap: one short answer, then close (a flood gets a refusal, not a queue).
asio::awaitable<void> refuse_busy(tcp::socket socket, std::chrono::seconds deadline) {
  beast::tcp_stream stream(std::move(socket));
  Response r = problem(http::status::service_unavailable, "too many connections; try again");
  r.set(http::field::retry_after, "5");
  r.keep_alive(false);
  boost::system::error_code ec;
  co_await write_response(stream, r, deadline, ec);
}

asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer::State> s) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await s->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !s->acceptor.is_open()) co_return;
    if (ec) {
      // EMFILE and friends (RELIABILITY.md item 49): wait a little instead of spinning.
      asio::steady_timer pause(s->acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (s->open >= s->limits.max_connections) {
      asio::co_spawn(s->acceptor.get_executor(),
                     refuse_busy(std::move(socket), s->limits.write_deadline), asio::detached);
      continue;
    }
    Client client{socket.remote_endpoint(ec).address(), s->tls != nullptr};
    ++s->open;
    auto done = [s](const std::exception_ptr& error) {
      --s->open;
      if (error) log_error("connection", error);
    };
    if (s->tls) {
      asio::co_spawn(s->acceptor.get_executor(), serve_tls(std::move(socket), s, client), done);
    } else {
      asio::co_spawn(s->acceptor.get_executor(), serve_plain(std::move(socket), s, client), done);
    }
  }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls,
                       ServerLimits limits, RequestHandler& handler)
    : state_(std::make_shared<State>(io, std::move(tls), limits, handler)) {}

HttpServer::~HttpServer() {
  stop();
}

bool HttpServer::listen(const tcp::endpoint& endpoint, std::string& error) {
  boost::system::error_code ec;
  auto& a = state_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + endpoint.address().to_string() + ":" +
            std::to_string(endpoint.port()) + ": " + ec.message();
    a.close(ec);
    return false;
  }
  asio::co_spawn(a.get_executor(), accept_loop(state_), [](const std::exception_ptr& e) {
    if (e) log_error("accept loop", e);
  });
  return true;
}

tcp::endpoint HttpServer::local_endpoint() const {
  boost::system::error_code ec;
  return state_->acceptor.local_endpoint(ec);
}

void HttpServer::stop() {
  boost::system::error_code ec;
  state_->acceptor.close(ec);
}

std::size_t HttpServer::connections() const {
  return state_->open;
}

}  // namespace intransit::serve
