// alert_mail.cpp — the mail half of alert_delivery.hpp: a small SMTP client (RFC 5321 §3.3,
// §4.1.1) for one message to a relay: EHLO, STARTTLS when offered (RFC 3207 §4, EHLO again
// after it), MAIL, RCPT for each recipient, DATA, QUIT. Replies go through the prober's bounded
// parser (smtp/reply.hpp); one deadline covers the whole conversation.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <random>

#include "core/text.hpp"
#include "serve/alert_delivery.hpp"
#include "smtp/ehlo.hpp"
#include "smtp/reply.hpp"

namespace intransit::serve {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

std::string header_value(std::string_view v) {
  std::string out;
  for (const char c : v)
    if (c != '\r' && c != '\n') out += c;
  return text::printable(out);
}

// One address for MAIL/RCPT: what is between the brackets must not break the command line.
bool plain_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  for (const char c : a)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == 0x7f) return false;
  return true;
}

}  // namespace

std::string alert_message(const std::string& from, const std::vector<std::string>& to,
                          const std::string& subject, const std::string& body, std::int64_t now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::string to_list;
  for (const auto& t : to) to_list += (to_list.empty() ? "" : ", ") + header_value(t);
  const auto at = fmt::gmtime(static_cast<std::time_t>(now));
  const auto domain = from.substr(from.rfind('@') + 1);
  std::string m;
  m += "From: " + header_value(from) + "\r\n";
  m += "To: " + to_list + "\r\n";
  m += "Subject: " + header_value(subject) + "\r\n";
  m += fmt::format("Date: {:%a, %d %b %Y %H:%M:%S} +0000\r\n", at);
  m += fmt::format("Message-ID: <intransit.{:%Y%m%d%H%M%S}.{:016x}@{}>\r\n", at, random(),
                   header_value(domain));
  m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n";
  std::string_view rest(body);
  const std::string clean = text::is_valid_utf8(rest) ? std::string(rest) : text::printable(rest);
  rest = clean;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '.') m += '.';
    m += line;
    m += "\r\n";
  }
  return m;
}

namespace {

// The SMTP conversation over a TCP stream that may be upgraded to TLS in the middle.
class Conversation {
 public:
  Conversation(asio::any_io_executor executor) : tcp_(executor) {}
  beast::tcp_stream& tcp() { return tcp_; }

  // Reads one reply; nullopt (with `error_` set) on I/O error or a malformed reply.
  asio::awaitable<std::optional<smtp::Reply>> reply() {
    parser_.reset();
    for (;;) {
      if (!pending_.empty()) {
        const auto p = parser_.feed(pending_);
        pending_.erase(0, p.consumed);
        if (p.status == smtp::ReplyParser::Status::complete) co_return parser_.reply();
        if (p.status == smtp::ReplyParser::Status::error) {
          error_ = "unreadable reply: " + std::string(smtp::to_string(parser_.error()));
          co_return std::nullopt;
        }
      }
      std::array<char, 4096> chunk{};
      boost::system::error_code ec;
      const auto n = tls_ ? co_await tls_->async_read_some(
                                asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec))
                          : co_await tcp_.async_read_some(
                                asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        error_ = "reading a reply: " + text::printable(ec.message());
        co_return std::nullopt;
      }
      pending_.append(chunk.data(), n);
    }
  }

  asio::awaitable<bool> send(const std::string& bytes) {
    boost::system::error_code ec;
    if (tls_)
      co_await asio::async_write(*tls_, asio::buffer(bytes),
                                 asio::redirect_error(asio::use_awaitable, ec));
    else
      co_await asio::async_write(tcp_, asio::buffer(bytes),
                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec) error_ = "sending: " + text::printable(ec.message());
    co_return !ec;
  }

  // Sends a command and reads its reply; the reply when its code is in class `expect`.
  // `what` names the command in an error ("" for its first word).
  asio::awaitable<std::optional<smtp::Reply>> command(const std::string& line, int expect,
                                                      std::string what = {}) {
    if (!co_await send(line + "\r\n")) co_return std::nullopt;
    auto r = co_await reply();
    if (r && r->code_class() != expect) {
      if (what.empty()) what = line.substr(0, line.find(' '));
      error_ = fmt::format("{} answered {} {}", what, r->code,
                           text::printable(r->lines.empty() ? "" : r->lines.back()));
      co_return std::nullopt;
    }
    co_return r;
  }

  asio::awaitable<bool> start_tls(const std::string& host, bool verify,
                                  const std::string& ca_file) {
    ctx_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    boost::system::error_code ec;
    if (verify) {
      ctx_->set_verify_mode(asio::ssl::verify_peer, ec);
      if (!ec)
        ca_file.empty() ? ctx_->set_default_verify_paths(ec) : ctx_->load_verify_file(ca_file, ec);
      if (ec) {
        error_ = "loading the trust anchors: " + text::printable(ec.message());
        co_return false;
      }
    }
    if (!pending_.empty()) {  // bytes before the handshake would be read as if protected
      error_ = "the relay sent bytes after its 220 to STARTTLS (CVE-2011-0411)";
      co_return false;
    }
    tls_ = std::make_unique<asio::ssl::stream<beast::tcp_stream&>>(tcp_, *ctx_);
    boost::system::error_code not_address;
    asio::ip::make_address(host, not_address);
    if (not_address) {
      SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
      if (verify) SSL_set1_host(tls_->native_handle(), host.c_str());
    } else if (verify) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls_->native_handle()), host.c_str());
    }
    co_await tls_->async_handshake(asio::ssl::stream_base::client,
                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec) error_ = "TLS handshake: " + text::printable(ec.message());
    co_return !ec;
  }

  bool secure() const { return tls_ != nullptr; }
  const std::string& error() const { return error_; }

 private:
  beast::tcp_stream tcp_;
  std::unique_ptr<asio::ssl::context> ctx_;
  std::unique_ptr<asio::ssl::stream<beast::tcp_stream&>> tls_;
  smtp::ReplyParser parser_;
  std::string pending_;
  std::string error_;
};

DeliveryResult mail_failed(const Conversation& c) {
  return {false, c.error().empty() ? std::string("the relay closed the connection") : c.error()};
}

}  // namespace

asio::awaitable<DeliveryResult> send_alert_mail(const std::string& host, unsigned short port,
                                                const std::string& from,
                                                const std::vector<std::string>& to,
                                                const std::string& subject, const std::string& body,
                                                std::chrono::steady_clock::duration deadline,
                                                bool require_tls, const std::string& ca_file) {
  if (port == 0) co_return DeliveryResult{false, "the relay's port is not a number in 1-65535"};
  if (!plain_address(from) || to.empty()) co_return DeliveryResult{false, "no usable addresses"};
  for (const auto& t : to)
    if (!plain_address(t))
      co_return DeliveryResult{false, "not a usable address: " + text::printable(t)};
  const auto executor = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  tcp::resolver resolver(executor);
  const auto endpoints = co_await resolver.async_resolve(
      host, std::to_string(port), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return DeliveryResult{false, "resolving the relay: " + text::printable(ec.message())};
  Conversation c(executor);
  c.tcp().expires_after(deadline);  // the whole conversation, TLS included
  co_await c.tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return DeliveryResult{false, "connecting to the relay: " + text::printable(ec.message())};

  const auto greeting = co_await c.reply();
  if (!greeting || greeting->code != 220) co_return mail_failed(c);
  const std::string ehlo = "EHLO " + from.substr(from.rfind('@') + 1);
  auto caps = co_await c.command(ehlo, 2);
  if (!caps) co_return mail_failed(c);
  if (smtp::parse_ehlo(*caps).has("STARTTLS")) {
    if (!co_await c.command("STARTTLS", 2) || !co_await c.start_tls(host, require_tls, ca_file))
      co_return mail_failed(c);
    if (!co_await c.command(ehlo, 2)) co_return mail_failed(c);
  } else if (require_tls) {
    co_return DeliveryResult{false, "the relay does not offer STARTTLS and TLS is required"};
  }
  if (!co_await c.command("MAIL FROM:<" + from + ">", 2)) co_return mail_failed(c);
  for (const auto& t : to)
    if (!co_await c.command("RCPT TO:<" + t + ">", 2)) co_return mail_failed(c);
  if (!co_await c.command("DATA", 3)) co_return mail_failed(c);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto done = co_await c.command(alert_message(from, to, subject, body, now) + ".", 2,
                                       "the end of the message");
  if (!done) co_return mail_failed(c);
  co_await c.command("QUIT", 2);  // the mail is accepted; a rude goodbye changes nothing
  co_return DeliveryResult{
      true, fmt::format("{} {}{}", done->code,
                        text::printable(done->lines.empty() ? "" : done->lines.back()),
                        c.secure() ? " (TLS)" : " (no TLS)")};
}

}  // namespace intransit::serve
