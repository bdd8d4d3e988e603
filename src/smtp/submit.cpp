// submit.cpp — see submit.hpp. Every await goes into a local first (GCC 12 destroys a temporary
// awaited inside a condition twice: STYLE.md).
#include "smtp/submit.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <array>
#include <memory>
#include <optional>

#include "core/text.hpp"
#include "smtp/ehlo.hpp"
#include "smtp/reply.hpp"

namespace intransit::smtp {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

RelayAddress parse_relay(std::string_view relay) {
  RelayAddress out{std::string(relay), 25};
  std::string_view port;
  if (relay.starts_with('[')) {
    const auto close = relay.find(']');
    out.host = std::string(relay.substr(1, close == std::string_view::npos ? close : close - 1));
    if (close != std::string_view::npos && relay.size() > close + 1 && relay[close + 1] == ':')
      port = relay.substr(close + 2);
  } else if (const auto colon = relay.find(':');
             colon != std::string_view::npos &&
             relay.find(':', colon + 1) == std::string_view::npos) {
    out.host = std::string(relay.substr(0, colon));
    port = relay.substr(colon + 1);
  }
  if (port.empty()) return out;
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || value > 65535) return {out.host, 0};
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  out.port = static_cast<unsigned short>(value > 65535 ? 0 : value);
  return out;
}

bool plain_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  for (const char c : a)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == 0x7f) return false;
  return true;
}

std::string data_lines(std::string_view rest) {
  std::string out;
  out.reserve(rest.size() + rest.size() / 64 + 2);
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '.') out += '.';
    out += line;
    out += "\r\n";
  }
  return out;
}

namespace {

// The SMTP conversation over a TCP stream that may be upgraded to TLS in the middle.
class Conversation {
 public:
  explicit Conversation(const asio::any_io_executor& executor) : tcp_(executor) {}
  beast::tcp_stream& tcp() { return tcp_; }

  // Reads one reply; nullopt (with `error_` set) on I/O error or a malformed reply.
  asio::awaitable<std::optional<Reply>> reply() {
    parser_.reset();
    for (;;) {
      if (!pending_.empty()) {
        const auto p = parser_.feed(pending_);
        pending_.erase(0, p.consumed);
        if (p.status == ReplyParser::Status::complete) co_return parser_.reply();
        if (p.status == ReplyParser::Status::error) {
          error_ = "unreadable reply: " + std::string(to_string(parser_.error()));
          co_return std::nullopt;
        }
      }
      std::array<char, 4096> chunk{};
      boost::system::error_code ec;
      std::size_t n = 0;
      if (tls_)
        n = co_await tls_->async_read_some(asio::buffer(chunk),
                                           asio::redirect_error(asio::use_awaitable, ec));
      else
        n = co_await tcp_.async_read_some(asio::buffer(chunk),
                                          asio::redirect_error(asio::use_awaitable, ec));
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
  asio::awaitable<std::optional<Reply>> command(const std::string& line, int expect,
                                                std::string what = {}) {
    const bool sent = co_await send(line + "\r\n");
    if (!sent) co_return std::nullopt;
    auto r = co_await reply();
    if (r && r->code_class() != expect) {
      if (what.empty()) what = line.substr(0, line.find(' '));
      error_ = what + " answered " + std::to_string(r->code) + " " +
               text::printable(r->lines.empty() ? "" : r->lines.back());
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
      if (!ec) {
        if (ca_file.empty())
          ctx_->set_default_verify_paths(ec);
        else
          ctx_->load_verify_file(ca_file, ec);
      }
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
  ReplyParser parser_;
  std::string pending_;
  std::string error_;
};

SubmitResult failed(const Conversation& c) {
  return {false, c.error().empty() ? std::string("the relay closed the connection") : c.error()};
}

std::string refusal(const Submission& m) {
  if (!plain_address(m.from) || m.to.empty()) return "no usable addresses";
  for (const auto& t : m.to)
    if (!plain_address(t)) return "not a usable address: " + text::printable(t);
  return {};
}

// EHLO, and STARTTLS then EHLO again when offered; false when the conversation cannot go on.
asio::awaitable<bool> greet(Conversation& c, const std::string& ehlo, const std::string& host,
                            const SubmitOptions& o, std::string& error) {
  auto caps = co_await c.command(ehlo, 2);
  if (!caps) co_return false;
  if (!parse_ehlo(*caps).has("STARTTLS")) {
    if (o.require_tls) error = "the relay does not offer STARTTLS and TLS is required";
    co_return !o.require_tls;
  }
  const auto ready = co_await c.command("STARTTLS", 2);
  if (!ready) co_return false;
  const bool secured = co_await c.start_tls(host, o.require_tls, o.ca_file);
  if (!secured) co_return false;
  const auto again = co_await c.command(ehlo, 2);
  co_return again.has_value();
}

}  // namespace

asio::awaitable<SubmitResult> submit(RelayAddress relay, Submission m, SubmitOptions o) {
  if (relay.port == 0) co_return SubmitResult{false, "the relay's port is not a number in 1-65535"};
  if (const auto why = refusal(m); !why.empty()) co_return SubmitResult{false, why};
  const auto executor = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  tcp::resolver resolver(executor);
  const auto endpoints = co_await resolver.async_resolve(
      relay.host, std::to_string(relay.port), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return SubmitResult{false, "resolving the relay: " + text::printable(ec.message())};
  Conversation c(executor);
  c.tcp().expires_after(o.deadline);  // the whole conversation, TLS included
  co_await c.tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return SubmitResult{false, "connecting to the relay: " + text::printable(ec.message())};

  const auto greeting = co_await c.reply();
  if (!greeting || greeting->code != 220) co_return failed(c);
  std::string error;
  const bool greeted =
      co_await greet(c, "EHLO " + m.from.substr(m.from.rfind('@') + 1), relay.host, o, error);
  if (!error.empty()) co_return SubmitResult{false, error};
  if (!greeted) co_return failed(c);
  const auto mail = co_await c.command("MAIL FROM:<" + m.from + ">", 2);
  if (!mail) co_return failed(c);
  for (const auto& t : m.to) {
    const auto rcpt = co_await c.command("RCPT TO:<" + t + ">", 2);
    if (!rcpt) co_return failed(c);
  }
  const auto data = co_await c.command("DATA", 3);
  if (!data) co_return failed(c);
  const auto done = co_await c.command(m.data + ".", 2, "the end of the message");
  if (!done) co_return failed(c);
  co_await c.command("QUIT", 2);  // the mail is accepted; a rude goodbye changes nothing
  co_return SubmitResult{true, std::to_string(done->code) + " " +
                                   text::printable(done->lines.empty() ? "" : done->lines.back()) +
                                   (c.secure() ? " (TLS)" : " (no TLS)")};
}

}  // namespace intransit::smtp
