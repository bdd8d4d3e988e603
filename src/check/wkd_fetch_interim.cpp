// wkd_fetch_interim.cpp — see wkd_fetch_interim.hpp (INTERIM until check/https_get lands).
#include "check/wkd_fetch_interim.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "check/address_policy.hpp"
#include "check/addresses.hpp"
#include "core/endpoint_text.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "tls/certificate.hpp"
#include "tls/client_context.hpp"
#include "tls/ossl_ptr.hpp"

namespace intransit::check {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

WkdResponse failed(std::string detail) {
  return WkdResponse{SourceStatus::failed, 0, "", std::move(detail)};
}

// One GET on an established TLS stream.
asio::awaitable<WkdResponse> exchange(beast::ssl_stream<beast::tcp_stream>& stream,
                                      const std::string& host, const std::string& target,
                                      std::size_t max_body) {
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "intransit");
  request.set(http::field::connection, "close");
  boost::system::error_code ec;
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("sending the request: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits::kHttpHeaderBytes));
  parser.body_limit(max_body);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == http::error::body_limit) {
    co_return failed("body over " + std::to_string(max_body) + " bytes: refused, not truncated");
  }
  if (ec) co_return failed("reading the response: " + ec.message());
  const auto& res = parser.get();
  WkdResponse r;
  r.http_status = static_cast<int>(res.result_int());
  const std::string type = text::printable(std::string(res[http::field::content_type]));
  if (r.http_status == 404) {
    r.status = SourceStatus::absent;
    r.detail = "answered 404";
  } else if (r.http_status != 200) {
    r.status = SourceStatus::failed;
    r.detail = "answered " + std::to_string(r.http_status) +
               (r.http_status >= 300 && r.http_status < 400 ? " (redirects are not followed)" : "");
  } else if (!res[http::field::content_encoding].empty() &&
             text::lower(std::string(res[http::field::content_encoding])) != "identity") {
    r.status = SourceStatus::failed;
    r.detail = "a Content-Encoding that was not asked for";
  } else {
    r.status = SourceStatus::found;
    r.body = res.body();
    r.detail =
        "200, " + std::to_string(r.body.size()) + " bytes" + (type.empty() ? "" : ", " + type);
  }
  co_return r;
}

}  // namespace

asio::awaitable<WkdResponse> fetch_wkd_interim(dns::Resolver& resolver, std::string host,
                                               std::string target, std::size_t max_body,
                                               WkdFetchOptions options) {
  const HostAddresses addresses = co_await lookup_addresses(resolver, host);
  if (addresses.ips.empty()) {
    // A host that certainly has no address publishes nothing (the direct method's domain may
    // be mail-only); only a failed lookup leaves the answer unknown.
    if (addresses.conclusive()) {
      co_return WkdResponse{SourceStatus::absent, 0, "", host + " has no address"};
    }
    co_return failed(host + ": address lookup failed");
  }
  tls::TlsOffer offer;
  offer.min_version = TLS1_2_VERSION;
  offer.cipher_list = "DEFAULT";
  const auto context = tls::make_client_context(offer);
  const auto ex = co_await asio::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + limits::kMtaStsFetchDeadline;
  WkdResponse last = failed("no address of " + host + " was tried");
  for (const auto& ip : addresses.ips) {
    beast::ssl_stream<beast::tcp_stream> stream(ex, *context);
    beast::get_lowest_layer(stream).expires_at(deadline);  // one deadline for the whole fetch
    const tcp::endpoint endpoint(asio::ip::make_address(ip), options.port);
    const std::string where = net::format_endpoint(endpoint);
    const auto range =
        options.allow_private ? std::nullopt : special_purpose_range(endpoint.address());
    if (range) {
      last = failed("not fetched: " + ip + " is " + std::string(*range));
      continue;
    }
    boost::system::error_code ec;
    co_await beast::get_lowest_layer(stream).async_connect(
        endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      last = failed("connecting to " + where + ": " + ec.message());
      if (ec == beast::error::timeout) break;
      continue;  // the next address may answer
    }
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    co_await stream.async_handshake(asio::ssl::stream_base::client,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed("TLS handshake with " + where + ": " + ec.message());
    const tls::X509Ptr leaf(SSL_get1_peer_certificate(stream.native_handle()));
    tls::Verification v;
    if (options.trust) {
      v = tls::verify(leaf.get(), SSL_get_peer_cert_chain(stream.native_handle()), *options.trust,
                      host);
    } else {
      v.error = "no trust anchors";
    }
    if (!v.trusted || !v.name_matches.value_or(false)) {
      co_return failed("certificate of " + host + " is not valid for it: " +
                       (!v.trusted ? v.error : std::string("name does not match")));
    }
    WkdResponse r = co_await exchange(stream, host, target, max_body);
    co_return r;
  }
  co_return last;
}

}  // namespace intransit::check
