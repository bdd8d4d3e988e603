// alert_webhook.cpp — the webhook half of alert_delivery.hpp: one HTTP/1.1 POST over Beast,
// plain or TLS (OpenSSL verifying the chain and the host name, RFC 6125), with one deadline
// for connect, handshake, write and read, and the answer bounded (16 KiB header, 64 KiB body).
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <fmt/format.h>

#include "core/text.hpp"
#include "intransit_version.hpp"
#include "serve/alert_delivery.hpp"

namespace intransit::serve {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint32_t kAnswerHeaderBytes = 16 * 1024;
constexpr std::uint64_t kAnswerBodyBytes = 64 * 1024;

DeliveryResult failed(std::string what, const boost::system::error_code& ec) {
  return {false, what + ": " + text::printable(ec.message())};
}

template <class Stream>
asio::awaitable<DeliveryResult> exchange(Stream& stream, const WebhookUrl& u,
                                         const std::string& body) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, u.target, 11};
  const bool default_port = u.port == (u.tls ? "443" : "80");
  const bool v6 = u.host.find(':') != std::string::npos;
  req.set(bhttp::field::host,
          (v6 ? "[" + u.host + "]" : u.host) + (default_port ? "" : ":" + u.port));
  req.set(bhttp::field::user_agent, std::string("intransit/") + kVersion);
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::connection, "close");
  req.body() = body;
  req.prepare_payload();
  boost::system::error_code ec;
  co_await bhttp::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("webhook: sending the request", ec);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(kAnswerHeaderBytes);
  parser.body_limit(kAnswerBodyBytes);
  co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("webhook: reading the answer", ec);
  const auto status = parser.get().result_int();
  co_return DeliveryResult{status / 100 == 2, fmt::format("HTTP {}", status)};
}

std::shared_ptr<asio::ssl::context> webhook_tls(const std::string& ca_file,
                                                boost::system::error_code& ec) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_verify_mode(asio::ssl::verify_peer, ec);
  if (!ec) {
    if (ca_file.empty())
      ctx->set_default_verify_paths(ec);
    else
      ctx->load_verify_file(ca_file, ec);
  }
  return ctx;
}

}  // namespace

asio::awaitable<DeliveryResult> post_webhook(const std::string& url, const std::string& body,
                                             const std::string& ca_file,
                                             std::chrono::steady_clock::duration deadline) {
  const auto u = parse_webhook_url(url);
  if (!u) co_return DeliveryResult{false, "webhook: not an http(s) URL"};
  const auto executor = co_await asio::this_coro::executor;
  const auto until = std::chrono::steady_clock::now() + deadline;
  boost::system::error_code ec;
  tcp::resolver resolver(executor);
  const auto endpoints = co_await resolver.async_resolve(
      u->host, u->port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("webhook: resolving " + text::printable(u->host), ec);
  beast::tcp_stream tcp_stream(executor);
  tcp_stream.expires_at(until);
  co_await tcp_stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("webhook: connecting", ec);
  if (!u->tls) co_return co_await exchange(tcp_stream, *u, body);

  const auto ctx = webhook_tls(ca_file, ec);
  if (ec) co_return failed("webhook: loading the trust anchors", ec);
  beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp_stream), *ctx);
  boost::system::error_code address_ec;
  asio::ip::make_address(u->host, address_ec);
  SSL* ssl = tls.native_handle();
  if (address_ec) {  // a name: send it (SNI) and check the certificate is for it
    SSL_set_tlsext_host_name(ssl, u->host.c_str());
    SSL_set1_host(ssl, u->host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), u->host.c_str());
  }
  co_await tls.async_handshake(asio::ssl::stream_base::client,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("webhook: TLS handshake", ec);
  co_return co_await exchange(tls, *u, body);
}

}  // namespace intransit::serve
