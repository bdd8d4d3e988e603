// strip_proxy.cpp — see strip_proxy.hpp. Per connection two coroutines: client → upstream reads
// commands line by line (and DATA through to <CRLF>.<CRLF>, RFC 5321 §4.1.1.4), upstream →
// client reads whole replies (RFC 5321 §4.2.1) and filters EHLO's. Everything written to the
// client goes through one outbox, so the proxy's own 502 never interleaves with a relayed reply.
// Bounded: 64 KiB per line or reply, 1 MiB queued for a client that does not read, 300 s idle.
// Everything captured is made printable, valid UTF-8 here (RELIABILITY item 51), and no
// exception leaves a relay's coroutines: the relay is logged and closed, the proxy goes on (item
// 52).
#include "sink/strip_proxy.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <stdexcept>

#include "core/endpoint_text.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "sink/command.hpp"
#include "sink/coroutine_guard.hpp"
#include "sink/line_reader.hpp"
#include "sink/net_text.hpp"
#include "sink/read_line.hpp"

namespace intransit::sink {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {

// `text` with each line made printable (RFC 3629 valid UTF-8, controls escaped) and the line
// structure kept: a capture must be readable as header lines, and printable as JSON.
std::string printable_line(std::string_view text) {
  return text::printable(text) + "\n";
}

bool is_starttls_line(std::string_view line) {
  if (line.size() < 12) return false;
  return text::lower(line.substr(4, 8)) == "starttls" && (line.size() == 12 || line[12] == ' ');
}

}  // namespace

bool strip_starttls(std::vector<std::string>& lines, const std::string& replacement) {
  bool found = false;
  std::vector<std::string> kept;
  for (auto& line : lines) {
    if (!is_starttls_line(line)) {
      kept.push_back(std::move(line));
      continue;
    }
    found = true;
    if (!replacement.empty()) kept.push_back(line.substr(0, 4) + replacement + line.substr(12));
  }
  for (std::size_t i = 0; i < kept.size() && kept[i].size() >= 4; ++i)
    kept[i][3] = i + 1 == kept.size() ? ' ' : '-';
  lines = std::move(kept);
  return found;
}

struct StripProxy::State {
  State(asio::io_context& io, StripProxyOptions o, std::function<void(const Capture&)> cb)
      : acceptor(io), options(std::move(o)), on_capture(std::move(cb)) {}
  tcp::acceptor acceptor;
  StripProxyOptions options;
  std::function<void(const Capture&)> on_capture;
  bool stopped = false;
};

namespace {

class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(std::shared_ptr<StripProxy::State> state, tcp::socket client)
      : state_(std::move(state)),
        client_(std::move(client)),
        upstream_(client_.get_executor()),
        idle_(client_.get_executor()) {}

  awaitable<void> run();
  void close();

 private:
  awaitable<void> client_to_upstream();
  awaitable<void> upstream_to_client();
  awaitable<void> write_outbox();
  void to_client(std::string bytes);
  void touch();
  void finish_message(std::optional<std::string> reply);
  void spawn(awaitable<void> work, const char* what);
  // One line with its line end as received (relayed as is); false at the end, or over the limit.
  static awaitable<bool> read_line(tcp::socket& s, LineReader& reader, std::string& line);

  std::shared_ptr<StripProxy::State> state_;
  tcp::socket client_;
  tcp::socket upstream_;
  asio::steady_timer idle_;
  std::deque<std::string> outbox_;
  std::size_t outbox_bytes_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  LineReader client_lines_{limits::kRelayLineBytes, OverLong::stop};
  LineReader upstream_lines_{limits::kRelayLineBytes, OverLong::stop};
  // Shared by both directions (one thread): where the dialogue is. Replies come in the order of
  // what asked for them (RFC 2920 §3.1), so each complete reply answers the front of `pending_`.
  enum class Asked : std::uint8_t { greeting, ehlo, data, end_of_data, other };
  std::deque<Asked> pending_{Asked::greeting};
  bool in_data_ = false;
  Capture capture_;
  bool in_headers_ = true;
};

void Relay::touch() {
  idle_.expires_after(limits::kRelayIdle);
  idle_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->close();
  });
}

void Relay::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  client_.close(ignored);
  upstream_.close(ignored);
  idle_.cancel();
}

void Relay::to_client(std::string bytes) {
  outbox_bytes_ += bytes.size();
  if (outbox_bytes_ > limits::kRelayOutboxBytes) {
    close();
    return;
  }
  outbox_.push_back(std::move(bytes));
  if (!writing_) {
    writing_ = true;
    spawn([](std::shared_ptr<Relay> self) -> awaitable<void> { co_await self->write_outbox(); }(
                                              shared_from_this()),
          "writing to the client");
  }
}

awaitable<void> Relay::write_outbox() {
  while (!outbox_.empty() && !closed_) {
    std::string next = std::move(outbox_.front());
    outbox_.pop_front();
    outbox_bytes_ -= next.size();
    boost::system::error_code ec;
    co_await asio::async_write(client_, asio::buffer(next),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      close();
      break;
    }
  }
  writing_ = false;
}

awaitable<bool> Relay::read_line(tcp::socket& s, LineReader& reader, std::string& line) {
  const LineStatus status = co_await sink::read_line(
      reader, line, [&s](asio::mutable_buffer b, boost::system::error_code& ec) {
        return s.async_read_some(b, asio::redirect_error(asio::use_awaitable, ec));
      });
  if (status != LineStatus::line) co_return false;
  line += reader.last_crlf() ? "\r\n" : "\n";
  co_return true;
}

// Runs `work` on this relay's strand of execution; an exception in it is logged and closes this
// relay only (RELIABILITY item 52).
void Relay::spawn(awaitable<void> work, const char* what) {
  asio::co_spawn(client_.get_executor(), std::move(work),
                 [self = shared_from_this(), what](const std::exception_ptr& error) {
                   if (!error) return;
                   log_session_exception(error, "strip-proxy: relay from " + self->capture_.client +
                                                    " (" + what + ")");
                   self->close();
                 });
}

void Relay::finish_message(std::optional<std::string> reply) {
  capture_.upstream_reply = std::move(reply);
  capture_.time = now_rfc3339();
  try {
    state_->on_capture(capture_);
  } catch (...) {
    // The capture is the proxy's, the message is the sender's: its reply is relayed regardless.
    log_session_exception(std::current_exception(),
                          "strip-proxy: writing the capture of a message from " + capture_.client);
  }
  capture_.mail_from.clear();
  capture_.rcpt_to.clear();
  capture_.headers.clear();
  capture_.body_preview.clear();
  capture_.data_bytes = 0;
  capture_.upstream_reply.reset();
}

awaitable<void> Relay::client_to_upstream() {
  std::string line;
  for (;;) {
    const bool got = co_await read_line(client_, client_lines_, line);
    if (!got) break;
    touch();
    if (in_data_) {
      const std::string_view content =
          std::string_view(line).substr(0, line.size() - (line.ends_with("\r\n") ? 2 : 1));
      if (line == ".\r\n") {
        in_data_ = false;
        pending_.push_back(Asked::end_of_data);
      } else {
        const std::string_view unstuffed =
            !content.empty() && content.front() == '.' ? content.substr(1) : content;
        capture_.data_bytes += static_cast<std::int64_t>(unstuffed.size() + 2);
        if (in_headers_ && unstuffed.empty()) {
          in_headers_ = false;
        } else if (in_headers_) {
          if (capture_.headers.size() + unstuffed.size() < limits::kRelayCapturedHeaderBytes)
            capture_.headers += printable_line(unstuffed);
        } else if (capture_.body_preview.size() < state_->options.body_preview_bytes) {
          capture_.body_preview += printable_line(unstuffed.substr(
              0, state_->options.body_preview_bytes - capture_.body_preview.size()));
        }
      }
    } else {
      std::string_view command_line(line);
      while (!command_line.empty() && (command_line.back() == '\n' || command_line.back() == '\r'))
        command_line.remove_suffix(1);
      const Command command = parse_command(command_line);
      if (command.verb == Verb::starttls) {
        // Never forwarded: the upstream would start TLS and the proxy could read nothing.
        capture_.client_asked_starttls = true;
        to_client("502 5.5.1 Error: command not implemented\r\n");
        continue;
      }
      pending_.push_back(command.verb == Verb::ehlo   ? Asked::ehlo
                         : command.verb == Verb::data ? Asked::data
                                                      : Asked::other);
      if (command.verb == Verb::ehlo || command.verb == Verb::helo)
        capture_.ehlo = text::printable(command.argument.substr(0, 255));
      if (command.verb == Verb::mail) {
        auto parsed = parse_path(command.argument, "FROM:");
        if (const auto* p = std::get_if<MailPath>(&parsed))
          capture_.mail_from = text::printable(p->address);
      }
      if (command.verb == Verb::rcpt) {
        auto parsed = parse_path(command.argument, "TO:");
        if (const auto* p = std::get_if<MailPath>(&parsed))
          capture_.rcpt_to.push_back(text::printable(p->address));
      }
    }
    boost::system::error_code ec;
    co_await asio::async_write(upstream_, asio::buffer(line),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  close();
}

awaitable<void> Relay::upstream_to_client() {
  std::string line;
  std::vector<std::string> reply;
  for (;;) {
    const bool got = co_await read_line(upstream_, upstream_lines_, line);
    if (!got) break;
    touch();
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    reply.push_back(line);
    if (reply.size() > limits::kReplyLines) break;
    if (line.size() >= 4 && line[3] == '-') continue;  // more lines of this reply follow
    const Asked asked = pending_.empty() ? Asked::other : pending_.front();
    if (!pending_.empty()) pending_.pop_front();
    if (asked == Asked::ehlo && line.starts_with("250") &&
        strip_starttls(reply, state_->options.replacement)) {
      capture_.starttls_removed = true;
    }
    if (asked == Asked::data && line.starts_with("354")) {
      in_data_ = true;  // set before the client can see the 354 and start sending data
      in_headers_ = true;
    }
    std::string out;
    for (const auto& l : reply) out += l + "\r\n";
    reply.clear();
    to_client(std::move(out));
    // After the reply is on its way: the sender's answer never waits for (or on) the capture.
    if (asked == Asked::end_of_data) finish_message(text::printable(line));
  }
  close();
}

awaitable<void> Relay::run() {
  boost::system::error_code ec;
  capture_.client =
      net::format_endpoint(client_.remote_endpoint(ec));  // the client may have gone already
  capture_.upstream = net::format_endpoint(state_->options.upstream);
  touch();
  co_await upstream_.async_connect(state_->options.upstream,
                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    to_client("421 4.4.1 strip-proxy: upstream " + capture_.upstream + " unreachable\r\n");
    co_return;
  }
  spawn([](std::shared_ptr<Relay> r) -> awaitable<void> { co_await r->upstream_to_client(); }(
                                         shared_from_this()),
        "upstream replies");
  co_await client_to_upstream();
  const bool unanswered =
      std::find(pending_.begin(), pending_.end(), Asked::end_of_data) != pending_.end();
  if (in_data_ || unanswered) finish_message(std::nullopt);
}

}  // namespace

StripProxy::StripProxy(asio::io_context& io, StripProxyOptions options,
                       std::function<void(const Capture&)> on_capture)
    : state_(std::make_shared<State>(io, std::move(options), std::move(on_capture))) {
  boost::system::error_code ec;
  auto& a = state_->acceptor;
  a.open(state_->options.listen.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(state_->options.listen, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + net::format_endpoint(state_->options.listen) +
                             ": " + ec.message());
}

StripProxy::~StripProxy() {
  stop();
}

tcp::endpoint StripProxy::local_endpoint() const {
  boost::system::error_code ec;
  return state_->acceptor.local_endpoint(ec);
}

void StripProxy::start() {
  auto loop = [](std::shared_ptr<State> state) -> awaitable<void> {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await state->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (state->stopped || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      auto relay = std::make_shared<Relay>(state, std::move(socket));
      asio::co_spawn(
          state->acceptor.get_executor(),
          [](std::shared_ptr<Relay> r) -> awaitable<void> { co_await r->run(); }(relay),
          [relay](const std::exception_ptr& error) {
            if (!error) return;
            log_session_exception(error, "strip-proxy: a relay");
            relay->close();
          });
    }
  };
  asio::co_spawn(state_->acceptor.get_executor(), loop(state_), asio::detached);
}

void StripProxy::stop() {
  state_->stopped = true;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
}

}  // namespace intransit::sink
