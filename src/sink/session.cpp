// session.cpp — see session.hpp.
#include "sink/session.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <span>

#include "core/endpoint_text.hpp"
#include "core/text.hpp"
#include "sink/net_text.hpp"
#include "sink/read_line.hpp"

namespace intransit::sink {
namespace asio = boost::asio;
using asio::awaitable;
using Clock = Session::Clock;

namespace {

// A TLS alert record: fatal (2) handshake_failure (40), TLS 1.0 record version, as servers
// send it when no parameters match (RFC 8446 §6.2).
constexpr std::array<unsigned char, 7> kHandshakeFailureAlert{0x15, 0x03, 0x01, 0x00,
                                                              0x02, 0x02, 0x28};

// The Message-ID of a header block (RFC 5322 §3.6.4), unfolded, bounded.
std::string find_message_id(std::string_view headers) {
  std::size_t pos = 0;
  while (pos < headers.size()) {
    const auto eol = headers.find('\n', pos);
    const std::string_view line =
        headers.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (line.size() >= 11 && text::lower(line.substr(0, 11)) == "message-id:") {
      std::string value(line.substr(11));
      // continuation lines
      std::size_t next = eol == std::string_view::npos ? headers.size() : eol + 1;
      while (next < headers.size() && (headers[next] == ' ' || headers[next] == '\t')) {
        const auto e2 = headers.find('\n', next);
        value +=
            headers.substr(next, e2 == std::string_view::npos ? std::string_view::npos : e2 - next);
        next = e2 == std::string_view::npos ? headers.size() : e2 + 1;
      }
      std::string trimmed;
      for (const char c : value) {
        if (c != ' ' && c != '\t' && c != '\r') trimmed += c;
      }
      return text::printable(std::string_view(trimmed).substr(0, 998));
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return {};
}

// One read during DATA; a line without its end is kept up to twice this (data_reader.hpp).
constexpr std::size_t kDataChunkBytes = 16384;

}  // namespace

awaitable<std::size_t> Session::read_some(asio::mutable_buffer buffer,
                                          boost::system::error_code& ec) {
  const std::size_t n = co_await transport_->read_some(
      std::span<char>(static_cast<char*>(buffer.data()), buffer.size()), ec);
  co_return n;
}

awaitable<bool> Session::send(std::string_view text) {
  boost::system::error_code ec;
  co_await transport_->write(text, ec);
  co_return !ec;
}

awaitable<bool> Session::reply(std::string_view line) {
  if (!line.empty() && (line.front() == '4' || line.front() == '5')) ++record_.errors;
  std::string out(line);
  out += "\r\n";
  const bool sent = co_await send(out);
  co_return sent;
}

// The watchdog: whatever the session is waiting for, at `deadline` the socket closes and the
// pending read or write ends with an error (a per-request deadline, not per read).
void Session::arm(Clock::time_point deadline) {
  deadline_->arm(deadline, [self = weak_from_this()] {
    auto s = self.lock();
    if (!s) return;
    s->timed_out_ = true;
    s->close();
  });
}

void Session::close() {
  transport_->close();
}

void Session::stop() {
  stopping_ = true;
  if (!committing_) close();
}

void Session::record_now(std::string_view reason) {
  SessionRecord copy = record_;
  copy.end_reason = std::string(reason);
  copy.ended = now_rfc3339();
  host_->store().record_session(std::move(copy));
}

awaitable<LineStatus> Session::read_line(std::string& line) {
  co_return co_await sink::read_line(
      reader_, line,
      [this](asio::mutable_buffer b, boost::system::error_code& ec) { return read_some(b, ec); });
}

void Session::reset_transaction() {
  mail_.reset();
  rcpts_.clear();
}

void Session::note_tls(SSL* ssl) {
  record_.tls_version = SSL_get_version(ssl);
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl))
    record_.tls_cipher = SSL_CIPHER_get_name(c);
  if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) {
    record_.sni = text::printable(std::string_view(sni).substr(0, 255));
  }
  if (X509* peer = SSL_get1_peer_certificate(ssl)) {
    std::array<char, 512> subject{};
    X509_NAME_oneline(X509_get_subject_name(peer), subject.data(),
                      static_cast<int>(subject.size()));
    record_.client_certificate = text::printable(subject.data());
    X509_free(peer);
  }
}

// The reply to EHLO/HELO: lines without the final CRLF, joined by CRLF.
std::string Session::answer_ehlo(std::string_view argument, bool extended) {
  if (!valid_helo_name(argument))
    return "501 5.5.4 Syntax: " + std::string(extended ? "EHLO" : "HELO") + " hostname";
  record_.ehlo = text::printable(argument.substr(0, limits::kSmtpDomain));
  greeted_ = true;
  reset_transaction();  // RFC 5321 §4.1.4: EHLO resets the transaction
  const std::string& host = host_->options().hostname;
  if (!extended) return "250 " + host;
  std::string lines = "250-" + host + "\r\n250-PIPELINING\r\n250-SIZE " +
                      std::to_string(limits::kSinkMessageBytes) +
                      "\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n";
  if (!secure_ && offers_starttls(scenario_)) {
    lines += "250-STARTTLS\r\n";
    record_.starttls_offered = true;
  }
  // RFC 8689 §2: REQUIRETLS is advertised only on a TLS-protected session.
  if (secure_ && scenario_ == SinkScenario::requiretls) lines += "250-REQUIRETLS\r\n";
  return lines + "250 SMTPUTF8";
}

awaitable<bool> Session::on_starttls() {
  if (secure_ || !offers_starttls(scenario_)) {
    const bool sent = co_await reply("502 5.5.1 Error: command not implemented");
    co_return sent;
  }
  if (scenario_ == SinkScenario::starttls_refused) {
    record_.tls = TlsOutcome::refused;
    const bool sent = co_await reply("454 4.7.0 TLS not available due to local problem");
    co_return sent;
  }
  // RFC 3207 §4.2 and RELIABILITY item 40: plaintext sent after STARTTLS, before the handshake,
  // is an injection attempt (or a broken client); it is recorded and discarded.
  if (!reader_.pending().empty()) {
    record_.starttls_injection = true;
    reader_.clear();
  }
  const bool ready = co_await reply("220 2.0.0 Ready to start TLS");
  if (!ready) co_return false;
  arm(deadline_->now() +
      std::min<Clock::duration>(host_->request_timeout(), limits::kHandshakeDeadline));
  if (scenario_ == SinkScenario::handshake_fails) {
    std::array<char, 2048> hello{};
    boost::system::error_code ec;
    co_await transport_->read_some(hello, ec);
    co_await transport_->write(
        std::string_view(reinterpret_cast<const char*>(kHandshakeFailureAlert.data()),
                         kHandshakeFailureAlert.size()),
        ec);
    record_.tls = TlsOutcome::failed;
    record_.tls_error = "scenario handshake-fails: sent a handshake_failure alert";
    record_.end_reason = "handshake-failed";
    co_return false;
  }
  boost::system::error_code ec;
  co_await transport_->handshake(host_->tls(scenario_), ec);
  if (ec) {
    if (stopping_) co_return false;  // cut by the shutdown, not a handshake failure of the client's
    record_.tls = TlsOutcome::failed;
    record_.tls_error = timed_out_ ? "handshake deadline passed" : text::printable(ec.message());
    record_.end_reason = "handshake-failed";
    co_return false;
  }
  record_.tls = TlsOutcome::ok;
  secure_ = true;
  note_tls(transport_->tls_session());
  // RFC 3207 §4.2: the session starts over; the client must EHLO again.
  greeted_ = false;
  reset_transaction();
  co_return true;
}

std::string Session::answer_mail(std::string_view argument) {
  if (!greeted_) return "503 5.5.1 Error: send HELO/EHLO first";
  if (mail_) return "503 5.5.1 Error: nested MAIL command";
  auto parsed = parse_path(argument, "FROM:");
  if (const auto* error = std::get_if<PathError>(&parsed)) return error->reply;
  auto path = std::get<MailPath>(std::move(parsed));
  for (const auto& [key, value] : path.parameters) {
    if (key == "SIZE") {
      bool digits = !value.empty() && value.size() <= 12;
      for (const char c : value) digits = digits && c >= '0' && c <= '9';
      if (!digits) return "501 5.5.4 Bad SIZE parameter";
      if (std::stoull(value) > limits::kSinkMessageBytes)
        return "552 5.3.4 Message size exceeds fixed limit";
    } else if (key == "REQUIRETLS") {
      if (!(secure_ && scenario_ == SinkScenario::requiretls))
        return "555 5.5.4 REQUIRETLS not supported here";
    } else if (key != "BODY" && key != "SMTPUTF8" && key != "RET" && key != "ENVID" &&
               key != "AUTH") {
      return "555 5.5.4 Unsupported option: " +
             text::printable(std::string_view(key).substr(0, 64));
    }
  }
  mail_ = std::move(path);
  return "250 2.1.0 Ok";
}

std::string Session::answer_rcpt(std::string_view argument) {
  if (!mail_) return "503 5.5.1 Error: need MAIL command";
  if (rcpts_.size() >= limits::kSinkRecipients) return "452 4.5.3 Error: too many recipients";
  auto parsed = parse_path(argument, "TO:");
  if (const auto* error = std::get_if<PathError>(&parsed)) return error->reply;
  rcpts_.push_back(std::get<MailPath>(parsed).address);
  return "250 2.1.5 Ok";
}

// Waits for the store to commit `record`: the writer thread posts the result back here.
awaitable<bool> Session::commit(DeliveryRecord record) {
  struct Wait {
    explicit Wait(const asio::any_io_executor& ex) : signal(ex, Clock::time_point::max()) {}
    asio::steady_timer signal;
    bool ok = false;
  };
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  auto wait = std::make_shared<Wait>(executor);
  host_->store().record_delivery(std::move(record), [wait](bool ok) {
    asio::post(wait->signal.get_executor(), [wait, ok] {
      wait->ok = ok;
      wait->signal.cancel();
    });
  });
  boost::system::error_code ec;
  co_await wait->signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return wait->ok;
}

// DATA (RFC 5321 §4.1.1.4): read to <CRLF>.<CRLF> by a DataReader (data_reader.hpp), under a
// deadline that a slow sender extends by sending (Postfix smtpd_min_data_rate). Over the size
// limit the rest is read and dropped, then 552 (item 45). The delivery is recorded either way.
awaitable<bool> Session::on_data() {
  const std::string_view refusal = !mail_           ? "503 5.5.1 Error: need MAIL command"
                                   : rcpts_.empty() ? "554 5.5.1 Error: no valid recipients"
                                                    : "";
  if (!refusal.empty()) {
    const bool sent = co_await reply(refusal);
    co_return sent;
  }
  const bool go = co_await reply("354 End data with <CR><LF>.<CR><LF>");
  if (!go) co_return false;
  DeliveryRecord d = new_delivery();
  DataReader data(limits::kSinkStoredHeaderBytes, 2 * kDataChunkBytes);
  const bool ended = co_await read_data(data);
  d.size = static_cast<std::int64_t>(data.size());
  d.bare_line_ends = data.bare_line_ends();
  d.headers = std::move(data.headers());
  d.message_id = find_message_id(d.headers);
  d.time = now_rfc3339();
  if (!ended) {
    record_unfinished(std::move(d));
    co_return false;
  }
  arm_request();
  const bool sent = co_await answer_data(std::move(d));
  co_return sent;
}

// The delivery's context: the session's facts and the transaction's envelope.
DeliveryRecord Session::new_delivery() const {
  DeliveryRecord d;
  d.session_id = record_.id;
  d.scenario = record_.scenario;
  d.client_ip = record_.client_ip;
  d.ehlo = record_.ehlo;
  d.tls = record_.tls == TlsOutcome::ok;
  d.tls_version = record_.tls_version;
  d.tls_cipher = record_.tls_cipher;
  d.mail_from = text::printable(mail_->address);
  for (const auto& r : rcpts_) d.rcpt_to.push_back(text::printable(r));
  d.requiretls = mail_->has("REQUIRETLS");
  return d;
}

// Reads until the end of the data; false when the client left, the deadline passed or the sink
// stopped first. Each read of n bytes buys n / kSinkMinDataRate seconds, never past the
// per-request timeout from now.
awaitable<bool> Session::read_data(DataReader& data) {
  std::string& pending = reader_.pending();  // what followed DATA in the same read, then the data
  const auto timeout = std::chrono::duration_cast<Clock::duration>(host_->request_timeout());
  auto deadline = deadline_->now() + timeout;
  arm(deadline);
  std::array<char, kDataChunkBytes> chunk{};
  while (!data.consume(pending)) {
    boost::system::error_code ec;
    const std::size_t n = co_await read_some(asio::buffer(chunk), ec);
    if (ec) co_return false;
    const auto bonus = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
        static_cast<double>(n) / static_cast<double>(limits::kSinkMinDataRate)));
    deadline = std::min(deadline + bonus, deadline_->now() + timeout);
    arm(deadline);
    pending.append(chunk.data(), n);
  }
  co_return true;
}

// RELIABILITY item 46: no final dot, no 250, not accepted; the attempt is still evidence.
void Session::record_unfinished(DeliveryRecord d) {
  d.reply = stopping_    ? "none: the sink was stopped during DATA"
            : timed_out_ ? "none: the DATA deadline passed (minimum rate 500 B/s)"
                         : "none: the client left during DATA";
  host_->store().record_delivery(std::move(d), [](bool) {});
  record_.end_reason = timed_out_ ? "timeout" : "eof-in-data";
}

// The reply to the final dot: 250 only once the delivery is durable in the store (451 if it could
// not be made so), 552 over the size limit.
awaitable<bool> Session::answer_data(DeliveryRecord d) {
  std::string answer;
  if (static_cast<std::size_t>(d.size) > limits::kSinkMessageBytes) {
    d.accepted = false;
    answer = "552 5.3.4 Message size exceeds fixed limit";
  } else {
    d.accepted = true;
    answer = "250 2.0.0 Ok: queued as S" + std::to_string(record_.id) + "M" +
             std::to_string(++delivery_count_);
  }
  d.reply = answer;
  const bool accepted = d.accepted;
  // From here to the reply a shutdown waits (item 57): the record is committed, then answered.
  committing_ = true;
  const bool durable = co_await commit(std::move(d));
  reset_transaction();
  if (accepted && !durable) {
    const bool sent =
        co_await reply("451 4.3.0 Error: could not record the message, try again later");
    committing_ = false;
    co_return sent;
  }
  if (accepted) ++record_.messages_accepted;
  const bool sent = co_await reply(answer);
  committing_ = false;
  co_return sent;
}

awaitable<bool> Session::handle(std::string_view line) {
  const Command command = parse_command(line);
  std::string answer;
  switch (command.verb) {
    case Verb::starttls: {
      const bool ok = co_await on_starttls();
      co_return ok;
    }
    case Verb::data: {
      const bool ok = co_await on_data();
      co_return ok;
    }
    case Verb::quit:
      co_await reply("221 2.0.0 Bye");
      record_.end_reason = "quit";
      co_return false;
    case Verb::ehlo: answer = answer_ehlo(command.argument, true); break;
    case Verb::helo: answer = answer_ehlo(command.argument, false); break;
    case Verb::mail: answer = answer_mail(command.argument); break;
    case Verb::rcpt: answer = answer_rcpt(command.argument); break;
    case Verb::rset:
      reset_transaction();
      answer = "250 2.0.0 Ok";
      break;
    case Verb::noop: answer = "250 2.0.0 Ok"; break;
    case Verb::vrfy: answer = "252 2.0.0 Cannot VRFY user"; break;
    case Verb::help: answer = "214 2.0.0 See RFC 5321"; break;
    case Verb::expn:
    case Verb::auth:
    case Verb::bdat: answer = "502 5.5.1 Error: command not implemented"; break;
    case Verb::unknown: answer = "500 5.5.2 Error: command not recognized"; break;
  }
  // Commands that move no transaction on count towards the junk limit (item 43).
  if (command.verb == Verb::rset || command.verb == Verb::noop || command.verb == Verb::vrfy ||
      command.verb == Verb::help || command.verb == Verb::unknown) {
    ++junk_;
  }
  const bool ok = co_await reply(answer);
  co_return ok;
}

// What an early talker said, when it is an EHLO or HELO with a valid name: the sender's name for
// `sink report`. Only bytes already received are read (the socket is readable: no wait).
void Session::note_early_greeting() {
  std::array<char, 512> early{};
  const std::size_t n = transport_->read_ready(early);
  std::string_view line(early.data(), n);
  line = line.substr(0, line.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const Command command = parse_command(line);
  if ((command.verb == Verb::ehlo || command.verb == Verb::helo) &&
      valid_helo_name(command.argument)) {
    record_.ehlo = text::printable(command.argument.substr(0, limits::kSmtpDomain));
  }
}

// The banner (RFC 5321 §4.3.1 220), with the pregreet test of item 39 when greet_wait is set:
// the client must wait for the greeting (§3.1) and only its last line ends it (§4.2.1).
awaitable<bool> Session::greet() {
  const std::string text = host_->options().hostname + " ESMTP intransit sink";
  const auto wait = host_->options().greet_wait;
  const auto client = transport_->remote().address();
  if (wait.count() <= 0 || host_->passed_greet_test(client))
    co_return co_await reply("220 " + text);
  const bool first_line = co_await send("220-" + text + "\r\n");
  if (!first_line) co_return false;
  const bool early = co_await transport_->talks_within(wait);
  if (early) {
    record_.pregreet = true;
    note_early_greeting();
    record_.end_reason = "pregreet";
    co_await reply("554 5.5.0 Error: SMTP protocol synchronization (talked before the greeting)");
    co_return false;
  }
  host_->note_greet_passed(client);
  co_return co_await reply("220 " + text);
}

awaitable<void> Session::run() {
  // Item 57: listed while running, so that a shutdown can end it; unlisted however it ends.
  struct Listed {
    std::shared_ptr<SessionHost> host;  // owned: the frame may outlive the server
    Session* session;
    ~Listed() { host->leave(session); }
  } listed{host_, this};
  if (!host_->enter(this)) stopping_ = true;
  record_.id = host_->store().next_session_id();
  record_.started = now_rfc3339();
  record_.scenario = std::string(to_string(scenario_));
  const auto local = transport_->local();
  const auto remote = transport_->remote();
  record_.listener = net::format_endpoint(local);
  record_.client_ip = remote.address().to_string();
  record_.client_port = remote.port();

  arm_request();
  bool open = !stopping_ && co_await greet();
  while (open) {
    if (record_.errors >= limits::kSinkHardErrors || junk_ >= limits::kSinkJunkCommands) {
      co_await reply("421 4.7.0 " + host_->options().hostname + " Error: too many errors");
      record_.end_reason = "error-limit";
      break;
    }
    arm_request();
    std::string line;
    const LineStatus status = co_await read_line(line);
    if (status == LineStatus::closed) {
      record_.end_reason = timed_out_ ? "timeout" : "eof";
      break;
    }
    if (status == LineStatus::too_long) {
      open = co_await reply("500 5.5.0 Error: line too long");
      continue;
    }
    open = co_await handle(line);
    if (open && stopping_) {
      // A shutdown waited for this reply (a delivery being committed): now the session ends.
      co_await reply("421 4.3.2 " + host_->options().hostname + " Service shutting down");
      break;
    }
  }
  if (stopping_ && record_.end_reason != "quit") record_.end_reason = "shutdown";
  if (record_.end_reason.empty()) record_.end_reason = timed_out_ ? "timeout" : "closed";
  deadline_->cancel();
  if (SSL* ssl = transport_->tls_session()) {
    // A courtesy close_notify, not awaited: the record is what matters.
    SSL_shutdown(ssl);
  }
  close();
  record_.ended = now_rfc3339();
  host_->store().record_session(std::move(record_));
}

}  // namespace intransit::sink
