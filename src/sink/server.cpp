// server.cpp — see server.hpp. One Session per connection: a line reader with a per-request
// deadline (a watchdog timer closes the socket), the command dialogue of RFC 5321 §4.1 with
// STARTTLS (RFC 3207 §4) and the DATA reader (§4.1.4, §4.5.2 dot-stuffing). The scenario decides
// only what is offered around TLS; everything else is one well-behaved receiver.
// Around the sessions: the pregreet test before the banner (RELIABILITY item 39), accept() at the
// descriptor limit answered 421 from a spare descriptor with a back-off (item 56), an exception
// ending only its session (item 52), and a shutdown that records every open session (item 57).
#include "sink/server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <set>
#include <stdexcept>

#include "core/endpoint_text.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "sink/command.hpp"
#include "sink/coroutine_guard.hpp"
#include "sink/data_reader.hpp"
#include "sink/line_reader.hpp"
#include "sink/net_text.hpp"
#include "sink/read_line.hpp"
#include "sink/test_certificate.hpp"

namespace intransit::sink {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;
using Clock = std::chrono::steady_clock;

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

// Accepts any client certificate: the sink only records it (RFC 8446 §4.3.2 CertificateRequest
// is sent so clients with a certificate present it).
int accept_any_client_certificate(int /*preverified*/, X509_STORE_CTX* /*ctx*/) {
  return 1;
}

int open_spare_descriptor() {
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

class Session;

}  // namespace

struct SinkServer::State {
  State(asio::io_context& io_context, Store& s, SinkOptions o)
      : io(io_context),
        store(s),
        options(std::move(o)),
        spare_fd(open_spare_descriptor()),
        drain_deadline(io_context) {}
  ~State() {
    if (spare_fd >= 0) ::close(spare_fd);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  asio::io_context& io;
  Store& store;
  SinkOptions options;
  std::vector<std::pair<SinkScenario, std::unique_ptr<tcp::acceptor>>> acceptors;
  std::map<SinkScenario, std::shared_ptr<asio::ssl::context>> tls;
  std::size_t active = 0;
  bool stopped = false;
  // Item 56: a descriptor kept in reserve, given up for a moment to answer 421 at the limit.
  int spare_fd = -1;
  // Item 57: the sessions running now, and what to do once they have all ended.
  std::set<Session*> sessions;
  bool draining = false;
  std::function<void()> drained;
  asio::steady_timer drain_deadline;
  // Item 39: clients that passed the pregreet test lately are not made to wait again (as
  // postscreen_greet_ttl): a sender's later sessions, and a load test, run at full speed.
  std::map<asio::ip::address, Clock::time_point> greet_passed;

  bool passed_greet_test(const asio::ip::address& client) const {
    const auto it = greet_passed.find(client);
    return it != greet_passed.end() && Clock::now() - it->second < kGreetPassTtl;
  }
  void note_greet_passed(const asio::ip::address& client) {
    if (greet_passed.size() >= kGreetPassEntries) greet_passed.clear();  // bounded; all retested
    greet_passed[client] = Clock::now();
  }
  static constexpr std::chrono::hours kGreetPassTtl{24};
  static constexpr std::size_t kGreetPassEntries = 100'000;

  void session_ended() {
    --active;
    if (draining && active == 0) finish_drain();
  }
  void finish_drain() {
    drain_deadline.cancel();
    if (auto done = std::exchange(drained, nullptr)) done();
  }

  bool under_stress() const { return active * 4 >= limits::kSinkConnections * 3; }
  std::chrono::seconds request_timeout() const {
    return under_stress() ? std::min(limits::kSinkStressTimeout, options.request_timeout)
                          : options.request_timeout;
  }
};

namespace {

using StatePtr = std::shared_ptr<SinkServer::State>;

// One read during DATA; a line without its end is kept up to twice this (data_reader.hpp).
constexpr std::size_t kDataChunkBytes = 16384;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(StatePtr state, SinkScenario scenario, tcp::socket socket)
      : state_(std::move(state)),
        scenario_(scenario),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()) {}

  awaitable<void> run();
  // Shutdown (item 57): end the session at its next wait; a reply being committed is sent first.
  void stop();
  // Queue the session row as it stands (shutdown deadline, internal error); idempotent in the
  // store (INSERT OR REPLACE by id).
  void record_now(std::string_view reason);

 private:
  // --- transport ---
  awaitable<std::size_t> read_some(asio::mutable_buffer buffer, boost::system::error_code& ec);
  awaitable<bool> send(std::string_view text);
  awaitable<bool> reply(std::string_view line);  // adds CRLF, counts errors
  awaitable<LineStatus> read_line(std::string& line);
  void arm(Clock::time_point deadline);
  void arm_request() { arm(Clock::now() + state_->request_timeout()); }
  void close();

  // --- dialogue ---
  awaitable<bool> handle(std::string_view line);  // false: the session is over
  std::string answer_ehlo(std::string_view argument, bool extended);
  std::string answer_mail(std::string_view argument);
  std::string answer_rcpt(std::string_view argument);
  awaitable<bool> on_starttls();
  awaitable<bool> on_data();
  DeliveryRecord new_delivery() const;
  awaitable<bool> read_data(DataReader& data);
  void record_unfinished(DeliveryRecord d);
  awaitable<bool> answer_data(DeliveryRecord d);
  awaitable<bool> commit(DeliveryRecord record);
  awaitable<bool> greet();
  awaitable<bool> talks_before(std::chrono::milliseconds wait);
  void note_early_greeting();
  void reset_transaction();
  void note_tls(SSL* ssl);

  StatePtr state_;
  SinkScenario scenario_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
  unsigned generation_ = 0;
  bool timed_out_ = false;
  bool stopping_ = false;
  bool committing_ = false;  // a delivery is being made durable and answered: not to be cut
  LineReader reader_{limits::kSinkCommandLine, OverLong::skip};  // items 38, 40
  SessionRecord record_;
  int junk_ = 0;
  std::size_t delivery_count_ = 0;
  // The transaction in progress (RFC 5321 §3.3).
  bool greeted_ = false;
  std::optional<MailPath> mail_;
  std::vector<std::string> rcpts_;
};

awaitable<std::size_t> Session::read_some(asio::mutable_buffer buffer,
                                          boost::system::error_code& ec) {
  if (tls_)
    co_return co_await tls_->async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
  co_return co_await socket_.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
}

awaitable<bool> Session::send(std::string_view text) {
  boost::system::error_code ec;
  if (tls_) {
    co_await asio::async_write(*tls_, asio::buffer(text.data(), text.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
  } else {
    co_await asio::async_write(socket_, asio::buffer(text.data(), text.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
  }
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
  timer_.expires_at(deadline);
  timer_.async_wait(
      [self = weak_from_this(), gen = ++generation_](const boost::system::error_code& ec) {
        if (ec) return;
        auto s = self.lock();
        if (!s || gen != s->generation_) return;
        s->timed_out_ = true;
        s->close();
      });
}

void Session::close() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  socket_.close(ignored);
}

void Session::stop() {
  stopping_ = true;
  if (!committing_) close();
}

void Session::record_now(std::string_view reason) {
  SessionRecord copy = record_;
  copy.end_reason = std::string(reason);
  copy.ended = now_rfc3339();
  state_->store.record_session(std::move(copy));
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
  const std::string& host = state_->options.hostname;
  if (!extended) return "250 " + host;
  std::string lines = "250-" + host + "\r\n250-PIPELINING\r\n250-SIZE " +
                      std::to_string(limits::kSinkMessageBytes) +
                      "\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n";
  if (!tls_ && offers_starttls(scenario_)) {
    lines += "250-STARTTLS\r\n";
    record_.starttls_offered = true;
  }
  // RFC 8689 §2: REQUIRETLS is advertised only on a TLS-protected session.
  if (tls_ && scenario_ == SinkScenario::requiretls) lines += "250-REQUIRETLS\r\n";
  return lines + "250 SMTPUTF8";
}

awaitable<bool> Session::on_starttls() {
  if (tls_ || !offers_starttls(scenario_)) {
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
  arm(Clock::now() +
      std::min<Clock::duration>(state_->request_timeout(), limits::kHandshakeDeadline));
  if (scenario_ == SinkScenario::handshake_fails) {
    std::array<char, 2048> hello{};
    boost::system::error_code ec;
    co_await socket_.async_read_some(asio::buffer(hello),
                                     asio::redirect_error(asio::use_awaitable, ec));
    co_await asio::async_write(socket_, asio::buffer(kHandshakeFailureAlert),
                               asio::redirect_error(asio::use_awaitable, ec));
    record_.tls = TlsOutcome::failed;
    record_.tls_error = "scenario handshake-fails: sent a handshake_failure alert";
    record_.end_reason = "handshake-failed";
    co_return false;
  }
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *state_->tls.at(scenario_));
  boost::system::error_code ec;
  co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (stopping_) co_return false;  // cut by the shutdown, not a handshake failure of the client's
    record_.tls = TlsOutcome::failed;
    record_.tls_error = timed_out_ ? "handshake deadline passed" : text::printable(ec.message());
    record_.end_reason = "handshake-failed";
    co_return false;
  }
  record_.tls = TlsOutcome::ok;
  note_tls(tls_->native_handle());
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
      if (!(tls_ && scenario_ == SinkScenario::requiretls))
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
  auto wait = std::make_shared<Wait>(socket_.get_executor());
  state_->store.record_delivery(std::move(record), [wait](bool ok) {
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
  const auto timeout = std::chrono::duration_cast<Clock::duration>(state_->request_timeout());
  auto deadline = Clock::now() + timeout;
  arm(deadline);
  std::array<char, kDataChunkBytes> chunk{};
  while (!data.consume(pending)) {
    boost::system::error_code ec;
    const std::size_t n = co_await read_some(asio::buffer(chunk), ec);
    if (ec) co_return false;
    const auto bonus = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
        static_cast<double>(n) / static_cast<double>(limits::kSinkMinDataRate)));
    deadline = std::min(deadline + bonus, Clock::now() + timeout);
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
  state_->store.record_delivery(std::move(d), [](bool) {});
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

// True when the client sends something within `wait` (it talks before the greeting is done).
// A client that only closes is not an early talker: it is readable, with nothing to read.
awaitable<bool> Session::talks_before(std::chrono::milliseconds wait) {
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

// What an early talker said, when it is an EHLO or HELO with a valid name: the sender's name for
// `sink report`. Only bytes already received are read (the socket is readable: no wait).
void Session::note_early_greeting() {
  std::array<char, 512> early{};
  boost::system::error_code ec;
  const std::size_t n = socket_.read_some(asio::buffer(early), ec);
  if (ec) return;
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
  const std::string text = state_->options.hostname + " ESMTP intransit sink";
  const auto wait = state_->options.greet_wait;
  boost::system::error_code ec;
  const auto client = socket_.remote_endpoint(ec).address();
  if (wait.count() <= 0 || ec || state_->passed_greet_test(client))
    co_return co_await reply("220 " + text);
  if (!co_await send("220-" + text + "\r\n")) co_return false;
  if (co_await talks_before(wait)) {
    record_.pregreet = true;
    note_early_greeting();
    record_.end_reason = "pregreet";
    co_await reply("554 5.5.0 Error: SMTP protocol synchronization (talked before the greeting)");
    co_return false;
  }
  state_->note_greet_passed(client);
  co_return co_await reply("220 " + text);
}

awaitable<void> Session::run() {
  auto& s = *state_;
  // Item 57: listed while running, so that a shutdown can end it; unlisted however it ends.
  struct Listed {
    StatePtr state;  // owned: the frame may outlive the server when the io_context is torn down
    Session* session;
    ~Listed() { state->sessions.erase(session); }
  } listed{state_, this};
  s.sessions.insert(this);
  if (s.draining) stopping_ = true;
  record_.id = s.store.next_session_id();
  record_.started = now_rfc3339();
  record_.scenario = std::string(to_string(scenario_));
  boost::system::error_code ec;
  const auto local = socket_.local_endpoint(ec);
  const auto remote = socket_.remote_endpoint(ec);
  record_.listener = net::format_endpoint(local);
  record_.client_ip = remote.address().to_string();
  record_.client_port = remote.port();

  arm_request();
  bool open = !stopping_ && co_await greet();
  while (open) {
    if (record_.errors >= limits::kSinkHardErrors || junk_ >= limits::kSinkJunkCommands) {
      co_await reply("421 4.7.0 " + s.options.hostname + " Error: too many errors");
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
      co_await reply("421 4.3.2 " + s.options.hostname + " Service shutting down");
      break;
    }
  }
  if (stopping_ && record_.end_reason != "quit") record_.end_reason = "shutdown";
  if (record_.end_reason.empty()) record_.end_reason = timed_out_ ? "timeout" : "closed";
  timer_.cancel();
  ++generation_;
  if (tls_) {
    // A courtesy close_notify, not awaited: the record is what matters.
    SSL_shutdown(tls_->native_handle());
  }
  close();
  record_.ended = now_rfc3339();
  s.store.record_session(std::move(record_));
}

void configure_tls(asio::ssl::context& context, SinkScenario scenario, const SinkOptions& options) {
  SSL_CTX* ctx = context.native_handle();
  const CertificateFiles* files = nullptr;
  if (const auto it = options.scenario_certificates.find(scenario);
      it != options.scenario_certificates.end()) {
    files = &it->second;
  } else if (certificate_source(scenario) == CertificateSource::configured && options.certificate) {
    files = &*options.certificate;
  }
  if (files != nullptr) {
    if (SSL_CTX_use_certificate_chain_file(ctx, files->certificate.c_str()) != 1) {
      throw std::runtime_error("cannot load certificate chain " + files->certificate);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, files->key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
      throw std::runtime_error("cannot load private key " + files->key +
                               " (or it does not match the certificate)");
    }
  } else {
    const bool expired = certificate_source(scenario) == CertificateSource::expired;
    const auto made = expired ? make_self_signed(options.hostname, -400, -30)
                              : make_self_signed(options.hostname);
    SSL_CTX_use_certificate(ctx, made.certificate.get());
    SSL_CTX_use_PrivateKey(ctx, made.key.get());
  }
  if (scenario == SinkScenario::tls10_only) {
    // TLS 1.0 needs security level 0 in OpenSSL 3 (its PRF and signatures use SHA-1/MD5).
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_VERSION);
  } else {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_client_certificate);
}

// accept() failed for want of a descriptor or memory: the connection stays in the backlog, so
// accepting again at once fails again at once (a busy loop; item 56).
bool out_of_resources(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

// The classic spare-descriptor answer to EMFILE (libevent, Envoy): give up the spare, take one
// waiting connection off the backlog, tell it 421, close it, take the spare back; until the
// backlog is empty or no descriptor comes free. A client that is told 421 retries later; one
// left in the backlog hears nothing until it times out.
void refuse_backlog(SinkServer::State& state, tcp::acceptor& acceptor) {
  static constexpr std::string_view kNoDescriptors =
      "421 4.3.2 Service busy (out of descriptors), try again later\r\n";
  for (int i = 0; i < 64; ++i) {  // bounded: the loop must get back to the sessions
    if (state.spare_fd >= 0) ::close(state.spare_fd);
    const int fd =
        ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      (void)::send(fd, kNoDescriptors.data(), kNoDescriptors.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
    }
    state.spare_fd = open_spare_descriptor();
    if (fd < 0 || state.spare_fd < 0) return;
  }
}

awaitable<void> accept_loop(StatePtr state, SinkScenario scenario, tcp::acceptor* acceptor) {
  using namespace std::chrono_literals;
  constexpr Clock::duration kFirstBackOff = 10ms;
  constexpr Clock::duration kLongestBackOff = 1s;
  Clock::duration back_off = kFirstBackOff;
  asio::steady_timer pause(acceptor->get_executor());
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (state->stopped || ec == asio::error::operation_aborted) co_return;
      if (out_of_resources(ec)) refuse_backlog(*state, *acceptor);
      // Whatever the error, wait before the next accept, longer each time it fails again.
      pause.expires_after(back_off);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      back_off = std::min(back_off * 2, kLongestBackOff);
      continue;
    }
    back_off = kFirstBackOff;
    if (state->active >= limits::kSinkConnections) {
      // RELIABILITY item 42: over the cap, a clear 421 and nothing more.
      static constexpr std::string_view kBusy =
          "421 4.3.2 Too many connections, try again later\r\n";
      socket.write_some(asio::buffer(kBusy.data(), kBusy.size()), ec);
      socket.close(ec);
      continue;
    }
    auto session = std::make_shared<Session>(state, scenario, std::move(socket));
    ++state->active;
    // Item 52: an exception ends this session only: logged, its row recorded, the sink goes on.
    asio::co_spawn(acceptor->get_executor(), session->run(),
                   [session, state](const std::exception_ptr& error) {
                     if (error) {
                       log_session_exception(error, "intransit sink: a session");
                       session->record_now("internal-error");
                     }
                     state->session_ended();
                   });
  }
}

}  // namespace

SinkServer::SinkServer(asio::io_context& io, Store& store, SinkOptions options,
                       const std::vector<Listener>& listeners)
    : state_(std::make_shared<State>(io, store, std::move(options))) {
  for (const auto& l : listeners) {
    if (!state_->tls.contains(l.scenario)) {
      auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
      configure_tls(*context, l.scenario, state_->options);
      state_->tls[l.scenario] = std::move(context);
    }
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    boost::system::error_code ec;
    acceptor->open(l.endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(l.endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + net::format_endpoint(l.endpoint) + " for " +
                               std::string(to_string(l.scenario)) + ": " + ec.message());
    }
    state_->acceptors.emplace_back(l.scenario, std::move(acceptor));
  }
}

SinkServer::~SinkServer() {
  stop();
}

std::vector<Listener> SinkServer::bound() const {
  std::vector<Listener> out;
  for (const auto& [scenario, acceptor] : state_->acceptors) {
    boost::system::error_code ec;
    out.push_back({scenario, acceptor->local_endpoint(ec)});
  }
  return out;
}

void SinkServer::start() {
  for (auto& [scenario, acceptor] : state_->acceptors) {
    asio::co_spawn(state_->io, accept_loop(state_, scenario, acceptor.get()), asio::detached);
  }
}

void SinkServer::stop() {
  state_->stopped = true;
  for (auto& [scenario, acceptor] : state_->acceptors) {
    boost::system::error_code ec;
    acceptor->close(ec);
  }
}

void SinkServer::shutdown(std::function<void()> drained) {
  stop();
  auto& s = *state_;
  s.draining = true;
  s.drained = std::move(drained);
  const std::set<Session*> open = s.sessions;  // stop() may end a session's listing
  for (Session* session : open) session->stop();
  if (s.active == 0) {
    s.finish_drain();
    return;
  }
  s.drain_deadline.expires_after(s.options.shutdown_grace);
  s.drain_deadline.async_wait([state = state_](const boost::system::error_code& ec) {
    if (ec || !state->drained) return;
    // Sessions that did not end in time (a reply the client does not read): their rows now.
    for (Session* session : state->sessions) session->record_now("shutdown");
    state->finish_drain();
  });
}

}  // namespace intransit::sink
