// socket_server_transport.cpp — the sink's real wire (server_transport.hpp): an accepted TCP
// socket with an OpenSSL server stream over it once STARTTLS is answered.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "sink/server_transport.hpp"

namespace intransit::sink {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

class SocketServerTransport final : public ServerTransport {
 public:
  explicit SocketServerTransport(tcp::socket socket) : socket_(std::move(socket)) {}

  asio::awaitable<std::size_t> read_some(std::span<char> into,
                                         boost::system::error_code& ec) override {
    const auto buffer = asio::buffer(into.data(), into.size());
    if (tls_)
      co_return co_await tls_->async_read_some(buffer,
                                               asio::redirect_error(asio::use_awaitable, ec));
    co_return co_await socket_.async_read_some(buffer,
                                               asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> write(std::string_view bytes, boost::system::error_code& ec) override {
    const auto buffer = asio::buffer(bytes.data(), bytes.size());
    if (tls_) {
      co_await asio::async_write(*tls_, buffer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await asio::async_write(socket_, buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::awaitable<void> handshake(asio::ssl::context& tls, boost::system::error_code& ec) override {
    auto stream = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, tls);
    co_await stream->async_handshake(asio::ssl::stream_base::server,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) tls_ = std::move(stream);
  }

  SSL* tls_session() override { return tls_ ? tls_->native_handle() : nullptr; }

  // Races a wait for readability against a timer of `wait`.
  asio::awaitable<bool> talks_within(std::chrono::milliseconds wait) override {
    struct Race {
      explicit Race(const asio::any_io_executor& ex) : timer(ex) {}
      asio::steady_timer timer;
      bool readable = false;
    };
    auto race = std::make_shared<Race>(socket_.get_executor());
    race->timer.expires_after(wait);
    socket_.async_wait(tcp::socket::wait_read, [race](const boost::system::error_code& ec) {
      if (ec) return;
      race->readable = true;
      race->timer.cancel();
    });
    boost::system::error_code ec;
    co_await race->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!race->readable) {
      socket_.cancel(ec);  // the wait for readability, nothing else is pending
      co_return false;
    }
    co_return socket_.available(ec) > 0 && !ec;
  }

  std::size_t read_ready(std::span<char> into) override {
    boost::system::error_code ec;
    if (socket_.available(ec) == 0 || ec) return 0;
    const std::size_t n = socket_.read_some(asio::buffer(into.data(), into.size()), ec);
    return ec ? 0 : n;
  }

  tcp::endpoint local() const override {
    boost::system::error_code ec;
    return socket_.local_endpoint(ec);
  }
  tcp::endpoint remote() const override {
    boost::system::error_code ec;
    return socket_.remote_endpoint(ec);
  }

  void close() override {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
};

}  // namespace

std::unique_ptr<ServerTransport> make_socket_server_transport(tcp::socket socket) {
  return std::make_unique<SocketServerTransport>(std::move(socket));
}

}  // namespace intransit::sink
