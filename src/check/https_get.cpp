// https_get.cpp — see https_get.hpp. One GET, no keep-alive, no Accept-Encoding (so a
// compressed body is a server error, not a decompression bomb: RELIABILITY.md item 34).
#include "check/https_get.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>

#include "check/address_policy.hpp"
#include "check/addresses.hpp"
#include "core/endpoint_text.hpp"
#include "core/text.hpp"
#include "tls/client_context.hpp"
#include "tls/ossl_ptr.hpp"

namespace intransit::check {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string_view to_string(FetchStatus status) {
  switch (status) {
    case FetchStatus::ok: return "ok";
    case FetchStatus::not_found: return "not-found";
    case FetchStatus::redirect: return "redirect";
    case FetchStatus::http_status: return "http-status";
    case FetchStatus::content_type: return "content-type";
    case FetchStatus::content_coding: return "content-coding";
    case FetchStatus::too_large: return "too-large";
    case FetchStatus::dns_failed: return "dns-failed";
    case FetchStatus::no_address: return "no-address";
    case FetchStatus::connect_failed: return "connect-failed";
    case FetchStatus::tls_failed: return "tls-failed";
    case FetchStatus::cert_invalid: return "cert-invalid";
    case FetchStatus::timeout: return "timeout";
    case FetchStatus::protocol_error: return "protocol-error";
    case FetchStatus::not_permitted: return "not-permitted";
  }
  return "?";
}

namespace {

// The media type without parameters, lower-cased (RFC 9110 §8.3.1: type/subtype are
// case-insensitive; "text/plain; charset=utf-8" is text/plain).
std::string media_type(std::string_view value) {
  std::string t(value.substr(0, value.find(';')));
  const auto b = t.find_first_not_of(" \t");
  const auto e = t.find_last_not_of(" \t");
  return b == std::string::npos ? std::string{} : text::lower(t.substr(b, e - b + 1));
}

// Records how the fetch ended (success included) and why, in words.
void settle(HttpsFetch& f, FetchStatus status, std::string detail) {
  f.status = status;
  f.detail = std::move(detail);
}

// A context for HTTPS: TLS 1.2 and later with OpenSSL's default suites (this is a web client,
// not a probe of what the server accepts); the certificate is verified after the handshake
// against the run's trust anchors, with the same code the SMTP probe uses.
std::shared_ptr<asio::ssl::context> https_context() {
  tls::TlsOffer offer;
  offer.min_version = TLS1_2_VERSION;
  offer.cipher_list = "DEFAULT";
  return tls::make_client_context(offer);
}

// Host (with the port when a URL gave one that is not the scheme's), User-Agent, Connection.
template <class Request>
void set_head(Request& request, const HttpsRequest& r) {
  const bool v6 = r.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + r.host + "]" : r.host;
  if (r.port_from_url && r.port != (r.tls ? 443 : 80)) host += ":" + std::to_string(r.port);
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "intransit");
  request.set(http::field::connection, "close");
}

// Sends the GET, reads and judges the response; `f` says what happened. Stream is the TLS
// stream, or the bare TCP stream of a plain-http GET.
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const HttpsRequest& r, HttpsFetch& f) {
  boost::system::error_code ec;
  if (r.post_body) {
    http::request<http::string_body> request{http::verb::post, r.path, 11};
    set_head(request, r);
    request.set(http::field::content_type, r.post_type);
    request.body() = *r.post_body;
    request.prepare_payload();
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  } else {
    http::request<http::empty_body> request{http::verb::get, r.path, 11};
    set_head(request, r);
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) {
    settle(f, ec == beast::error::timeout ? FetchStatus::timeout : FetchStatus::protocol_error,
           "sending the request: " + ec.message());
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits::kHttpHeaderBytes));
  parser.body_limit(r.body_cap);
  co_await http::async_read_header(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec == http::error::body_limit) {  // a Content-Length over the cap is refused at the header
    settle(f, FetchStatus::too_large,
           r.noun + " body announced over " + std::to_string(r.body_cap) +
               " bytes: refused, not read");
    co_return;
  }
  if (ec) {
    settle(f, ec == beast::error::timeout ? FetchStatus::timeout : FetchStatus::protocol_error,
           "reading the response header: " + ec.message());
    co_return;
  }
  const auto& head = parser.get();
  f.http_status = static_cast<int>(head.result_int());
  f.content_type = text::printable(std::string(head[http::field::content_type]));
  if (f.http_status >= 300 && f.http_status < 400) {
    settle(f, FetchStatus::redirect,
           "answered " + std::to_string(f.http_status) + " (Location: " +
               text::printable(std::string(head[http::field::location])) + "); " + r.redirect_rule);
    co_return;
  }
  if (r.post_body) {  // delivered or not: the answer's body says nothing more
    settle(f, f.http_status / 100 == 2 ? FetchStatus::ok : FetchStatus::http_status,
           "answered " + std::to_string(f.http_status));
    co_return;
  }
  if (f.http_status == 404) {
    settle(f, FetchStatus::not_found, "answered 404: no " + r.noun + " file");
    co_return;
  }
  if (f.http_status != 200) {
    settle(f, FetchStatus::http_status,
           "answered " + std::to_string(f.http_status) + ", only 200 is a " + r.noun);
    co_return;
  }
  const std::string type = media_type(std::string(head[http::field::content_type]));
  if (!r.content_types.empty() &&
      std::find(r.content_types.begin(), r.content_types.end(), type) == r.content_types.end()) {
    settle(f, FetchStatus::content_type,
           "Content-Type is '" + f.content_type + "', " + r.type_rule);
    co_return;
  }
  if (!head[http::field::content_encoding].empty() &&
      text::lower(std::string(head[http::field::content_encoding])) != "identity") {
    settle(f, FetchStatus::content_coding,
           "Content-Encoding '" +
               text::printable(std::string(head[http::field::content_encoding])) +
               "' was not asked for");
    co_return;
  }
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == http::error::body_limit) {
    settle(f, FetchStatus::too_large,
           r.noun + " body over " + std::to_string(r.body_cap) + " bytes: refused, not truncated");
    co_return;
  }
  if (ec) {
    settle(f, ec == beast::error::timeout ? FetchStatus::timeout : FetchStatus::protocol_error,
           "reading the body: " + ec.message());
    co_return;
  }
  f.body = parser.get().body();
  settle(f, FetchStatus::ok, "200 " + type + ", " + std::to_string(f.body.size()) + " bytes");
}

}  // namespace

std::string_view to_string(AddressFamily family) {
  switch (family) {
    case AddressFamily::ipv4: return "IPv4";
    case AddressFamily::ipv6: return "IPv6";
    case AddressFamily::any: break;
  }
  return "any";
}

// The first address that answers gets the GET; a refused connection tries the next one, a
// timeout or a TLS failure ends the fetch (the deadline is shared).
asio::awaitable<HttpsFetch> https_get(dns::Resolver& resolver, HttpsRequest r) {
  const auto started = Clock::now();
  const std::string& host = r.host;
  HttpsFetch f;
  // The URL a user would type: the port is the protocol's, a test port is not shown.
  f.url = std::string(r.tls ? "https://" : "http://") + host + r.path;
  HostAddresses addresses = co_await lookup_addresses(resolver, host);
  const std::size_t all_families = addresses.ips.size();
  if (r.family != AddressFamily::any) {
    std::erase_if(addresses.ips, [&](const std::string& ip) {
      return asio::ip::make_address(ip).is_v6() != (r.family == AddressFamily::ipv6);
    });
  }
  if (addresses.ips.empty() && all_families > 0) {
    settle(f, FetchStatus::no_address,
           host + " has no " + std::string(to_string(r.family)) + " address");
    f.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    co_return f;
  }
  if (addresses.ips.empty()) {
    if (!addresses.conclusive()) {
      const auto& bad = addresses.a.conclusive() ? addresses.aaaa : addresses.a;
      settle(f, FetchStatus::dns_failed,
             host + " " + std::string(dns::to_string(bad.type)) +
                 " lookup: " + std::string(dns::to_string(bad.status)) + " " + bad.why);
    } else {
      settle(f, FetchStatus::no_address, host + " has no address");
    }
    f.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    co_return f;
  }
  const auto ex = co_await asio::this_coro::executor;
  const auto context = https_context();
  const auto deadline = Clock::now() + r.deadline;
  for (const auto& ip : addresses.ips) {
    beast::ssl_stream<beast::tcp_stream> stream(ex, *context);
    beast::get_lowest_layer(stream).expires_at(deadline);  // one deadline for the whole fetch
    const tcp::endpoint endpoint(asio::ip::make_address(ip), r.port);
    f.address = net::format_endpoint(endpoint);
    if (const auto range =
            r.allow_private ? std::nullopt : special_purpose_range(endpoint.address())) {
      settle(f, FetchStatus::not_permitted,
             "not fetched: " + ip + " is " + std::string(*range) +
                 "; this service does not connect to special-purpose addresses");
      continue;  // the next address may be an ordinary one
    }
    boost::system::error_code ec;
    co_await beast::get_lowest_layer(stream).async_connect(
        endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      settle(f, ec == beast::error::timeout ? FetchStatus::timeout : FetchStatus::connect_failed,
             "connecting to " + f.address + ": " + ec.message());
      if (ec == beast::error::timeout) break;
      continue;  // the next address may answer
    }
    if (!r.tls) {  // plain http: only to report that the document is served in clear
      co_await exchange(beast::get_lowest_layer(stream), r, f);
      break;
    }
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    co_await stream.async_handshake(asio::ssl::stream_base::client,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      settle(f, ec == beast::error::timeout ? FetchStatus::timeout : FetchStatus::tls_failed,
             "TLS handshake with " + f.address + ": " + ec.message());
      break;
    }
    tls::X509Ptr leaf(SSL_get1_peer_certificate(stream.native_handle()));
    if (r.trust) {
      f.certificate =
          tls::verify(leaf.get(), SSL_get_peer_cert_chain(stream.native_handle()), *r.trust, host);
    } else {
      f.certificate.error = "no trust anchors";
    }
    if (!f.certificate.trusted || !f.certificate.name_matches.value_or(false)) {
      settle(
          f, FetchStatus::cert_invalid,
          "certificate of " + host + " is not valid for it: " +
              (!f.certificate.trusted ? f.certificate.error : std::string("name does not match")));
      break;
    }
    co_await exchange(stream, r, f);
    break;
  }
  f.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  co_return f;
}

}  // namespace intransit::check
