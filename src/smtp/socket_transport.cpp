// socket_transport.cpp — see socket_transport.hpp.
#include "smtp/socket_transport.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace intransit::smtp {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

class SocketTransport final : public Transport {
 public:
  SocketTransport(const asio::any_io_executor& ex, asio::ssl::context& tls)
      : socket_(ex), tls_(socket_, tls) {}

  asio::awaitable<void> connect(const tcp::endpoint& endpoint,
                                boost::system::error_code& ec) override {
    co_await socket_.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<std::size_t> read_some(std::span<char> into,
                                         boost::system::error_code& ec) override {
    const auto buffer = asio::buffer(into.data(), into.size());
    if (secure_)
      co_return co_await tls_.async_read_some(buffer,
                                              asio::redirect_error(asio::use_awaitable, ec));
    co_return co_await socket_.async_read_some(buffer,
                                               asio::redirect_error(asio::use_awaitable, ec));
  }

  std::size_t available() override {
    if (secure_) return 0;
    boost::system::error_code ec;
    const std::size_t n = socket_.available(ec);  // FIONREAD: already in the kernel's buffer
    return ec ? 0 : n;
  }

  asio::awaitable<void> write(std::string_view bytes, boost::system::error_code& ec) override {
    const auto buffer = asio::buffer(bytes.data(), bytes.size());
    if (secure_) {
      co_await asio::async_write(tls_, buffer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await asio::async_write(socket_, buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  SSL* tls_session() override { return tls_.native_handle(); }

  asio::awaitable<void> handshake(boost::system::error_code& ec) override {
    co_await tls_.async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) secure_ = true;
  }

  void close() override {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
  asio::ssl::stream<tcp::socket&> tls_;
  bool secure_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_socket_transport(const asio::any_io_executor& executor,
                                                 asio::ssl::context& tls) {
  return std::make_unique<SocketTransport>(executor, tls);
}

}  // namespace intransit::smtp
