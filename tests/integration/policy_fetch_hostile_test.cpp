// policy_fetch_hostile_test.cpp — the MTA-STS policy fetch (check/policy_fetch.hpp) against a
// hostile HTTPS server on loopback (port 0), one scenario per RELIABILITY.md item 29-34: a
// redirect (not followed), text/html, 404 and 500, a body over 64 KiB and an endless chunked
// body (refused, never truncated), a gzip body nobody asked for, a drip and a stall (the
// fetch's one deadline), a certificate for another name or from an unknown issuer. The
// policy host's address comes from a fake resolver (unit-level fake; the lab test uses the
// real one). Also the same client's POST (a TLS-RPT report, RFC 8460 §5.4).
#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <filesystem>

#include "check/policy_fetch.hpp"
#include "sink/test_certificate.hpp"

namespace intransit::check {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Answers every A lookup with 127.0.0.1 (or fails them all), AAAA with "no data".
class FakeResolver : public dns::Resolver {
 public:
  explicit FakeResolver(dns::Status a_status = dns::Status::answer) : a_status_(a_status) {}
  asio::awaitable<dns::Answer> lookup(std::string name, dns::RrType type) override {
    ++lookups_;
    dns::Answer a;
    a.name = name;
    a.type = type;
    a.status = type == dns::RrType::a ? a_status_ : dns::Status::nodata;
    if (a.status == dns::Status::answer) a.rdata.push_back({127, 0, 0, 1});
    co_return a;
  }
  std::size_t lookups() const override { return lookups_; }

 private:
  dns::Status a_status_;
  std::size_t lookups_ = 0;
};

enum class Reply {
  ok,
  ok_charset,
  redirect,
  html,
  not_found,
  server_error,
  huge,
  endless_chunked,
  gzip,
  drip,
  stall
};

constexpr std::string_view kPolicy =
    "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n";

std::string response(Reply r) {
  const auto with = [](std::string_view status, std::string_view headers, std::string_view body) {
    return std::string("HTTP/1.1 ") + std::string(status) + "\r\n" + std::string(headers) +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           std::string(body);
  };
  switch (r) {
    case Reply::ok: return with("200 OK", "Content-Type: text/plain\r\n", kPolicy);
    case Reply::ok_charset:
      return with("200 OK", "Content-Type: Text/Plain; charset=utf-8\r\n", kPolicy);
    case Reply::redirect:
      return with("301 Moved Permanently", "Location: https://evil.test/policy\r\n", "");
    case Reply::html: return with("200 OK", "Content-Type: text/html\r\n", kPolicy);
    case Reply::not_found: return with("404 Not Found", "Content-Type: text/plain\r\n", "no");
    case Reply::server_error: return with("500 Oops", "Content-Type: text/plain\r\n", "no");
    case Reply::huge:
      return with("200 OK", "Content-Type: text/plain\r\n", std::string(70 * 1024, 'x'));
    case Reply::gzip:
      return with("200 OK", "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n", "\x1f\x8b");
    default: return with("200 OK", "Content-Type: text/plain\r\n", kPolicy);
  }
}

// One connection: handshake, read the request head, misbehave as told.
asio::awaitable<void> serve(tcp::acceptor& acceptor, asio::ssl::context& tls, Reply reply) {
  boost::system::error_code ec;
  tcp::socket socket =
      co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  asio::ssl::stream<tcp::socket> stream(std::move(socket), tls);
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  std::string request;
  co_await asio::async_read_until(stream, asio::dynamic_buffer(request, 16 * 1024), "\r\n\r\n",
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  asio::steady_timer timer(stream.get_executor());
  if (reply == Reply::stall) {
    char byte = 0;
    co_await stream.async_read_some(asio::buffer(&byte, 1),
                                    asio::redirect_error(asio::use_awaitable, ec));
    co_return;  // ends when the client gives up and closes
  }
  if (reply == Reply::drip) {
    for (char c : response(Reply::ok)) {
      co_await asio::async_write(stream, asio::buffer(&c, 1),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      timer.expires_after(200ms);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return;
  }
  if (reply == Reply::endless_chunked) {
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
    co_await asio::async_write(stream, asio::buffer(head),
                               asio::redirect_error(asio::use_awaitable, ec));
    const std::string chunk = "1000\r\n" + std::string(0x1000, 'm') + "\r\n";
    while (!ec)
      co_await asio::async_write(stream, asio::buffer(chunk),
                                 asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  const std::string text = response(reply);
  co_await asio::async_write(stream, asio::buffer(text),
                             asio::redirect_error(asio::use_awaitable, ec));
  co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> fetch_into(dns::Resolver& resolver, FetchOptions options, PolicyFetch& out) {
  out = co_await fetch_sts_policy(resolver, "example.test", options);
}

class PolicyFetchHostile : public ::testing::Test {
 protected:
  // The server's certificate is for `cert_name`; the client trusts `trusted` (the server's own
  // certificate unless told otherwise).
  PolicyFetch run(Reply reply, const std::string& cert_name = "mta-sts.example.test",
                  bool trust_server = true, dns::Status a_status = dns::Status::answer,
                  std::chrono::milliseconds deadline = 5s) {
    asio::io_context io;
    auto server_cert = sink::make_self_signed(cert_name);
    asio::ssl::context tls(asio::ssl::context::tls_server);
    SSL_CTX_use_certificate(tls.native_handle(), server_cert.certificate.get());
    SSL_CTX_use_PrivateKey(tls.native_handle(), server_cert.key.get());
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto anchor = trust_server ? std::move(server_cert) : sink::make_self_signed(cert_name);
    const auto pem = std::filesystem::temp_directory_path() /
                     ("intransit-fetch-" + std::to_string(getpid()) + ".pem");
    FILE* f = std::fopen(pem.c_str(), "w");
    PEM_write_X509(f, anchor.certificate.get());
    std::fclose(f);
    std::string error;
    FetchOptions options;
    options.trust = tls::TrustStore::load(pem, error);
    std::filesystem::remove(pem);
    EXPECT_TRUE(options.trust) << error;
    options.port = acceptor.local_endpoint().port();
    options.deadline = deadline;
    FakeResolver resolver(a_status);
    PolicyFetch out;
    asio::co_spawn(io, serve(acceptor, tls, reply), asio::detached);
    asio::co_spawn(io, fetch_into(resolver, options, out),
                   [&](std::exception_ptr) { acceptor.close(); });
    io.run();
    return out;
  }
};

TEST_F(PolicyFetchHostile, ValidPolicy) {
  const auto f = run(Reply::ok);
  EXPECT_EQ(f.status, FetchStatus::ok) << f.detail;
  EXPECT_EQ(f.body, kPolicy);
  EXPECT_EQ(f.url, "https://mta-sts.example.test/.well-known/mta-sts.txt");
  EXPECT_TRUE(f.certificate.trusted);
}

TEST_F(PolicyFetchHostile, MediaTypeIsCaseInsensitiveWithParameters) {
  EXPECT_EQ(run(Reply::ok_charset).status, FetchStatus::ok);
}

TEST_F(PolicyFetchHostile, RedirectIsNotFollowed) {  // item 29
  const auto f = run(Reply::redirect);
  EXPECT_EQ(f.status, FetchStatus::redirect);
  EXPECT_EQ(f.http_status, 301);
  EXPECT_NE(f.detail.find("evil.test"), std::string::npos);
  EXPECT_TRUE(f.body.empty());
}

TEST_F(PolicyFetchHostile, HtmlRefused) {  // item 32
  const auto f = run(Reply::html);
  EXPECT_EQ(f.status, FetchStatus::content_type);
  EXPECT_EQ(f.content_type, "text/html");
}

TEST_F(PolicyFetchHostile, NotFoundAndServerError) {  // item 32
  EXPECT_EQ(run(Reply::not_found).status, FetchStatus::not_found);
  const auto f = run(Reply::server_error);
  EXPECT_EQ(f.status, FetchStatus::http_status);
  EXPECT_EQ(f.http_status, 500);
}

TEST_F(PolicyFetchHostile, BodyOverCapRefusedNotTruncated) {  // item 30
  const auto f = run(Reply::huge);
  EXPECT_EQ(f.status, FetchStatus::too_large);
  EXPECT_TRUE(f.body.empty());
}

TEST_F(PolicyFetchHostile, EndlessChunkedBodyRefused) {  // item 30
  const auto f = run(Reply::endless_chunked);
  EXPECT_EQ(f.status, FetchStatus::too_large) << f.detail;
  EXPECT_TRUE(f.body.empty());
}

TEST_F(PolicyFetchHostile, UnaskedContentCodingRefused) {  // item 34
  EXPECT_EQ(run(Reply::gzip).status, FetchStatus::content_coding);
}

TEST_F(PolicyFetchHostile, DripEndsAtTheDeadline) {  // item 31
  const auto f = run(Reply::drip, "mta-sts.example.test", true, dns::Status::answer, 1s);
  EXPECT_EQ(f.status, FetchStatus::timeout) << f.detail;
  EXPECT_GE(f.elapsed, 1s);
  EXPECT_LT(f.elapsed, 5s);  // the deadline, not the drip, ended it
}

TEST_F(PolicyFetchHostile, StallEndsAtTheDeadline) {  // item 31
  const auto f = run(Reply::stall, "mta-sts.example.test", true, dns::Status::answer, 1s);
  EXPECT_EQ(f.status, FetchStatus::timeout) << f.detail;
}

TEST_F(PolicyFetchHostile, CertificateForAnotherNameRefused) {  // item 32
  const auto f = run(Reply::ok, "www.example.test");
  EXPECT_EQ(f.status, FetchStatus::cert_invalid);
  EXPECT_TRUE(f.body.empty());
}

TEST_F(PolicyFetchHostile, UntrustedCertificateRefused) {  // item 32
  const auto f = run(Reply::ok, "mta-sts.example.test", false);
  EXPECT_EQ(f.status, FetchStatus::cert_invalid);
  EXPECT_FALSE(f.certificate.trusted);
}

TEST_F(PolicyFetchHostile, DnsFailureIsNotNoAddress) {
  EXPECT_EQ(run(Reply::ok, "mta-sts.example.test", true, dns::Status::servfail).status,
            FetchStatus::dns_failed);
  EXPECT_EQ(run(Reply::ok, "mta-sts.example.test", true, dns::Status::nxdomain).status,
            FetchStatus::no_address);
}

// A TLS-RPT report POSTed (RFC 8460 §5.4) through the same client: the server keeps the request
// (head and body, by Content-Length) and answers `status`.
asio::awaitable<void> serve_post(tcp::acceptor& acceptor, asio::ssl::context& tls,
                                 std::string status, std::string& request) {
  boost::system::error_code ec;
  tcp::socket socket =
      co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  asio::ssl::stream<tcp::socket> stream(std::move(socket), tls);
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  auto buffer = asio::dynamic_buffer(request, 64 * 1024);
  const auto head = co_await asio::async_read_until(stream, buffer, "\r\n\r\n",
                                                    asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  const auto at = request.find("Content-Length: ");
  const std::size_t length = at == std::string::npos ? 0 : std::stoul(request.substr(at + 16));
  if (request.size() < head + length)
    co_await asio::async_read(stream, buffer,
                              asio::transfer_exactly(head + length - request.size()),
                              asio::redirect_error(asio::use_awaitable, ec));
  const std::string answer = "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n";
  co_await asio::async_write(stream, asio::buffer(answer),
                             asio::redirect_error(asio::use_awaitable, ec));
  co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> get_into(dns::Resolver& resolver, HttpsRequest request, HttpsFetch& out) {
  out = co_await https_get(resolver, std::move(request));
}

HttpsFetch post(const std::string& status, std::string& request, const std::string& body) {
  asio::io_context io;
  auto cert = sink::make_self_signed("reports.example.test");
  asio::ssl::context tls(asio::ssl::context::tls_server);
  SSL_CTX_use_certificate(tls.native_handle(), cert.certificate.get());
  SSL_CTX_use_PrivateKey(tls.native_handle(), cert.key.get());
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto pem = std::filesystem::temp_directory_path() /
                   ("intransit-post-" + std::to_string(getpid()) + ".pem");
  FILE* f = std::fopen(pem.c_str(), "w");
  PEM_write_X509(f, cert.certificate.get());
  std::fclose(f);
  std::string error;
  HttpsRequest r;
  r.trust = tls::TrustStore::load(pem, error);
  std::filesystem::remove(pem);
  EXPECT_TRUE(r.trust) << error;
  r.host = "reports.example.test";
  r.path = "/tlsrpt?k=1";
  r.port = acceptor.local_endpoint().port();
  r.port_from_url = true;
  r.post_body = body;
  r.post_type = "application/tlsrpt+gzip";
  r.content_types = {};
  r.deadline = 5s;
  FakeResolver resolver;
  HttpsFetch out;
  asio::co_spawn(io, serve_post(acceptor, tls, status, request), asio::detached);
  asio::co_spawn(io, get_into(resolver, r, out), [&](std::exception_ptr) { acceptor.close(); });
  io.run();
  return out;
}

TEST(HttpsPost, ReportIsPostedWithItsMediaType) {
  std::string request;
  const std::string body("\x1f\x8b\x08\0binary\r\n.\r\n", 15);
  const auto f = post("202 Accepted", request, body);
  EXPECT_EQ(f.status, FetchStatus::ok) << f.detail;
  EXPECT_EQ(f.http_status, 202);
  EXPECT_TRUE(request.starts_with("POST /tlsrpt?k=1 HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("Content-Type: application/tlsrpt+gzip\r\n"), std::string::npos);
  EXPECT_NE(request.find("Host: reports.example.test:"), std::string::npos) << request;
  EXPECT_TRUE(request.ends_with("\r\n\r\n" + body)) << "the body, byte for byte";
}

TEST(HttpsPost, RefusalAndRedirectAreFailures) {
  std::string request;
  auto f = post("500 Oops", request, "x");
  EXPECT_EQ(f.status, FetchStatus::http_status);
  EXPECT_EQ(f.detail, "answered 500");
  request.clear();
  f = post("307 Temporary Redirect", request, "x");
  EXPECT_EQ(f.status, FetchStatus::redirect);
}

}  // namespace
}  // namespace intransit::check
