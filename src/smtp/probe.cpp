// probe.cpp — see probe.hpp. RFC 5321 §4.1.1.1 (EHLO), §4.2 (replies), §4.5.3.2 (timeouts);
// RFC 3207 §4 and §4.2 (STARTTLS, discard pre-TLS state); RFC 8314 §3 (implicit TLS).
// IMAP: RFC 9051 §6.1.1 (CAPABILITY), §6.2.1 (STARTTLS), §7.1.4 (PREAUTH); RFC 3501 likewise.
// POP3: RFC 1939 §4-6, RFC 2449 §5 (CAPA), RFC 2595 §4 (STLS).
// Never write `co_await` inside an if/||/&& condition here: GCC 12 miscompiles it (the awaited
// member coroutine got a wrong `this`, seen under UBSan); bind the result to a local first.
#include "smtp/probe.hpp"

#include <openssl/err.h>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <array>

#include "core/endpoint_text.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "smtp/findings.hpp"
#include "smtp/mail_lines.hpp"
#include "smtp/socket_transport.hpp"
#include "tls/ossl_ptr.hpp"

namespace intransit::smtp {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// One row per phase (STYLE.md habit 4): its deadline, what a timeout there means, in words and
// as an outcome.
using Ms = std::chrono::milliseconds;
struct PhaseInfo {
  Phase phase;
  std::string_view name;
  std::string_view while_doing;
  Ms PhaseDeadlines::*deadline;
  ProbeOutcome on_timeout;
};
constexpr std::array<PhaseInfo, 7> kPhases{{
    {Phase::connect, "connect", "while connecting", &PhaseDeadlines::connect,
     ProbeOutcome::connect_timeout},
    {Phase::banner, "banner", "while waiting for the 220 banner", &PhaseDeadlines::banner,
     ProbeOutcome::banner_timeout},
    {Phase::ehlo, "ehlo", "while waiting for the reply to EHLO", &PhaseDeadlines::command,
     ProbeOutcome::reply_deadline},
    {Phase::starttls, "starttls", "while waiting for the reply to STARTTLS",
     &PhaseDeadlines::command, ProbeOutcome::reply_deadline},
    {Phase::tls_handshake, "tls-handshake", "during the TLS handshake", &PhaseDeadlines::handshake,
     ProbeOutcome::tls_timeout},
    {Phase::ehlo_tls, "ehlo-tls", "while waiting for the reply to EHLO after TLS",
     &PhaseDeadlines::command, ProbeOutcome::reply_deadline},
    {Phase::quit, "quit", "while waiting for the reply to QUIT", &PhaseDeadlines::quit,
     ProbeOutcome::ok},
}};

const PhaseInfo& info(Phase phase) {
  return kPhases[static_cast<std::size_t>(phase)];
}

// The same phases' words for IMAP and POP3 (SMTP's are in kPhases).
constexpr std::array<std::string_view, 7> kImapWords{
    "while connecting",
    "while waiting for the IMAP greeting",
    "while waiting for the reply to CAPABILITY",
    "while waiting for the reply to STARTTLS",
    "during the TLS handshake",
    "while waiting for the reply to CAPABILITY after TLS",
    "while waiting for the reply to LOGOUT"};
constexpr std::array<std::string_view, 7> kPop3Words{
    "while connecting",
    "while waiting for the POP3 greeting",
    "while waiting for the reply to CAPA",
    "while waiting for the reply to STLS",
    "during the TLS handshake",
    "while waiting for the reply to CAPA after TLS",
    "while waiting for the reply to QUIT"};

// The verbs of one protocol's dialect (IMAP's get a tag in front).
struct Verbs {
  std::string_view capabilities, starttls, starttls_keyword, quit;
};
Verbs verbs_of(Protocol protocol) {
  switch (protocol) {
    case Protocol::imap: return {"CAPABILITY", "STARTTLS", "STARTTLS", "LOGOUT"};
    case Protocol::pop3: return {"CAPA", "STLS", "STLS", "QUIT"};
    case Protocol::smtp:
    case Protocol::submission: break;
  }
  return {"EHLO", "STARTTLS", "STARTTLS", "QUIT"};
}

ProbeOutcome outcome_of(ReplyError error) {
  switch (error) {
    case ReplyError::line_too_long: return ProbeOutcome::line_too_long;
    case ReplyError::too_many_lines:
    case ReplyError::too_large: return ProbeOutcome::reply_too_large;
    case ReplyError::malformed_code:
    case ReplyError::none: break;
  }
  return ProbeOutcome::protocol_error;
}

std::string openssl_reason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  if (ec.category() == asio::error::get_ssl_category()) {
    const char* r = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
    if (r != nullptr) reason = r;
  }
  return reason;
}

class Session {
 public:
  Session(ProbeOptions options, Transport& transport, DeadlineSource& deadline)
      : options_(std::move(options)), transport_(transport), deadline_(deadline) {
    result_.address = net::format_endpoint(options_.endpoint);
    result_.server_name = options_.server_name;
    result_.protocol = options_.protocol;
    result_.mode = options_.mode;
  }
  ~Session() { deadline_.cancel(); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  asio::awaitable<void> run();
  ProbeResult take_result() { return std::move(result_); }

 private:
  static void stop_after_server_hello(int write_p, int version, int content_type, const void* buf,
                                      std::size_t len, SSL* ssl, void* self);
  void enter(Phase phase);
  void finish(ProbeOutcome outcome, std::string detail);
  void note(char direction, std::string_view bytes);
  bool smtp_like() const {
    return options_.protocol == Protocol::smtp || options_.protocol == Protocol::submission;
  }
  std::string while_doing() const;
  // The steps of the dialogue, each ending the probe (finish) where it fails.
  asio::awaitable<bool> connect();
  template <class Parser>
  asio::awaitable<bool> read_response(Parser& parser);
  asio::awaitable<bool> read_reply();
  asio::awaitable<bool> read_lines(LineResponseParser::Shape shape, std::string tag = {});
  asio::awaitable<bool> send(std::string_view command);
  asio::awaitable<bool> greet();
  asio::awaitable<bool> greet_smtp();
  bool greeting_accepted(std::string_view line);
  asio::awaitable<std::optional<Capabilities>> ehlo();
  asio::awaitable<std::optional<Capabilities>> capabilities();
  // IMAP and POP3: one command and its whole response (dialect pieces).
  asio::awaitable<bool> command(std::string_view verb);
  bool answer_ok(int smtp_code) const;
  std::string answer_words() const;
  void judge_before_tls(const Capabilities& caps);
  void judge_after_tls();
  asio::awaitable<bool> starttls();
  asio::awaitable<void> quit();
  asio::awaitable<void> implicit_tls_dialogue();
  asio::awaitable<void> starttls_dialogue();
  asio::awaitable<void> after_handshake(std::string detail);
  void discard_unsolicited(std::string_view when, FindingId finding);
  asio::awaitable<void> read_arrived();
  // The TLS handshake and its steps (RFC 3207 §4, RFC 7672 for DANE).
  asio::awaitable<bool> handshake();
  int prepare_tls(SSL* ssl, std::string& dane_error);
  bool stopped_after_hello(SSL* ssl, const boost::system::error_code& ec);
  void handshake_failed(const boost::system::error_code& ec);
  static TlsFacts negotiated(SSL* ssl);
  void examine_certificates(SSL* ssl, TlsFacts& facts, int dane_usable,
                            const std::string& dane_error);

  ProbeOptions options_;
  ProbeResult result_;
  Transport& transport_;
  DeadlineSource& deadline_;
  DeadlineSource::Clock::time_point started_ = deadline_.now();
  bool timed_out_ = false;
  bool finished_ = false;
  std::string pending_;  // bytes read but not yet parsed
  bool hello_seen_ =
      false;  // handshake-only: the ServerHello arrived, the handshake stops after it
  ReplyParser parser_;
  Reply reply_;
  LineResponseParser lines_;  // IMAP and POP3
  std::string tag_;           // IMAP: the tag of the last command
  int tags_ = 0;
  bool preauth_ = false;
};

void Session::stop_after_server_hello(int write_p, int /*version*/, int content_type,
                                      const void* buf, std::size_t len, SSL* ssl, void* self) {
  const auto* bytes = static_cast<const unsigned char*>(buf);
  if (write_p != 0 || content_type != SSL3_RT_HANDSHAKE || len == 0 ||
      bytes[0] != SSL3_MT_SERVER_HELLO)
    return;
  static_cast<Session*>(self)->hello_seen_ = true;
  SSL_set_max_cert_list(ssl, 1);
}

// Starts a phase: the watchdog closes the socket at the phase deadline or the whole-probe
// deadline, whichever comes first (a per-request deadline, not per read: RELIABILITY item 5).
void Session::enter(Phase phase) {
  if (!finished_) result_.phase = phase;  // QUIT after the outcome does not move it
  const auto& d = options_.deadlines;
  const auto when = std::min(deadline_.now() + d.*info(phase).deadline, started_ + d.total);
  deadline_.arm(when, [this] {
    timed_out_ = true;
    transport_.close();
  });
}

void Session::finish(ProbeOutcome outcome, std::string detail) {
  if (finished_) return;
  finished_ = true;
  result_.outcome = outcome;
  result_.detail = std::move(detail);
}

void Session::note(char direction, std::string_view bytes) {
  if (result_.transcript.size() >= limits::kTranscriptLines) {
    ++result_.transcript_dropped;
    return;
  }
  std::string text = text::printable(bytes.substr(0, limits::kTranscriptLineBytes));
  if (bytes.size() > limits::kTranscriptLineBytes) text += "…";
  result_.transcript.push_back({direction, std::move(text)});
}

std::string Session::while_doing() const {
  const auto i = static_cast<std::size_t>(result_.phase);
  if (options_.protocol == Protocol::imap) return std::string(kImapWords[i]);
  if (options_.protocol == Protocol::pop3) return std::string(kPop3Words[i]);
  return std::string(info(result_.phase).while_doing);
}

// Reads until `parser` has one whole response, within the phase deadline and the connection's
// byte budget; the same bounds for SMTP replies and IMAP/POP3 responses.
template <class Parser>
asio::awaitable<bool> Session::read_response(Parser& parser) {
  std::array<char, 4096> buffer{};
  for (;;) {
    if (!pending_.empty()) {
      const auto progress = parser.feed(pending_);
      pending_.erase(0, progress.consumed);
      if (progress.status == ReplyParser::Status::complete) co_return true;
      if (progress.status == ReplyParser::Status::error) {
        note('S', parser.partial_line());
        finish(outcome_of(parser.error()),
               std::string(to_string(parser.error())) + " " + while_doing());
        co_return false;
      }
    }
    if (result_.bytes_read >= limits::kProbeReadBytes) {
      finish(ProbeOutcome::read_limit, "the server sent more than the per-connection byte budget");
      co_return false;
    }
    const std::size_t room = std::min(buffer.size(), limits::kProbeReadBytes - result_.bytes_read);
    boost::system::error_code ec;
    const std::size_t n = co_await transport_.read_some(std::span(buffer.data(), room), ec);
    result_.bytes_read += n;
    pending_.append(buffer.data(), n);
    if (ec && n == 0) {
      if (timed_out_ && parser.has_partial()) {
        // Part of the reply came, its end did not: a drip (RELIABILITY.md item 5).
        note('S', parser.partial_line());
        finish(ProbeOutcome::reply_deadline, "the reply did not complete in time " + while_doing());
      } else if (timed_out_) {
        finish(info(result_.phase).on_timeout, "deadline passed " + while_doing());
      } else {
        finish(ProbeOutcome::connection_lost,
               "connection closed " + while_doing() + " (" + openssl_reason(ec) + ")");
      }
      co_return false;
    }
  }
}

asio::awaitable<bool> Session::read_reply() {
  parser_.reset();
  const bool complete = co_await read_response(parser_);
  if (!complete) co_return false;
  reply_ = parser_.reply();
  result_.last_code = reply_.code;
  for (std::size_t i = 0; i < reply_.lines.size(); ++i) {
    const bool last = i + 1 == reply_.lines.size();
    note('S', std::to_string(reply_.code) + (last ? " " : "-") + reply_.lines[i]);
  }
  if (reply_.inconsistent_codes)
    result_.findings.push_back(FindingId::smtp_inconsistent_reply_codes);
  if (reply_.bare_lf) result_.findings.push_back(FindingId::smtp_bare_lf_in_reply);
  co_return true;
}

asio::awaitable<bool> Session::read_lines(LineResponseParser::Shape shape, std::string tag) {
  lines_.reset(shape, std::move(tag));
  const bool complete = co_await read_response(lines_);
  if (!complete) co_return false;
  for (const auto& line : lines_.lines()) note('S', line);
  if (lines_.bare_lf()) result_.findings.push_back(FindingId::smtp_bare_lf_in_reply);
  co_return true;
}

asio::awaitable<bool> Session::send(std::string_view command) {
  note('C', command);
  const std::string line = std::string(command) + "\r\n";
  boost::system::error_code ec;
  co_await transport_.write(line, ec);
  if (ec) {
    finish(timed_out_ ? info(result_.phase).on_timeout : ProbeOutcome::connection_lost,
           "could not send " + std::string(command.substr(0, command.find(' '))) + ": " +
               openssl_reason(ec));
    co_return false;
  }
  co_return true;
}

void Session::discard_unsolicited(std::string_view when, FindingId finding) {
  if (pending_.empty()) return;
  note('*',
       std::to_string(pending_.size()) + " unsolicited bytes " + std::string(when) + " discarded");
  result_.findings.push_back(finding);
  pending_.clear();
}

// Bytes that have already arrived (the transport can hand them over without a wait), added to
// pending_ within the connection's byte budget. Called where an honest server has sent nothing,
// so that injected bytes in a TCP segment of their own are seen too (the NO STARTTLS classes,
// Poddebniak et al., USENIX Security 2021 §4): only when they are here in time, never assumed.
asio::awaitable<void> Session::read_arrived() {
  std::array<char, 4096> buffer{};
  for (std::size_t ready = transport_.available();
       ready > 0 && result_.bytes_read < limits::kProbeReadBytes; ready = transport_.available()) {
    const std::size_t room =
        std::min({buffer.size(), ready, limits::kProbeReadBytes - result_.bytes_read});
    boost::system::error_code ec;
    const std::size_t n = co_await transport_.read_some(std::span(buffer.data(), room), ec);
    result_.bytes_read += n;
    pending_.append(buffer.data(), n);
    if (ec || n == 0) break;
  }
}

// The greeting: SMTP's 220 banner, IMAP's "* OK" (RFC 9051 §7.1), POP3's "+OK" (RFC 1939 §4).
asio::awaitable<bool> Session::greet() {
  enter(Phase::banner);
  if (smtp_like()) {
    const bool greeted = co_await greet_smtp();
    co_return greeted;
  }
  const bool got = co_await read_lines(LineResponseParser::Shape::single);
  if (!got) co_return false;
  const std::string& line = lines_.lines().front();
  result_.banner = text::printable(line);
  discard_unsolicited("after the greeting", FindingId::smtp_unsolicited_data);
  if (greeting_accepted(line)) co_return true;
  if (preauth_) co_await quit();
  co_return false;
}

bool Session::greeting_accepted(std::string_view line) {
  if (options_.protocol == Protocol::pop3) {
    if (line.starts_with("+OK")) return true;
    finish(line.starts_with("-ERR") ? ProbeOutcome::rejected : ProbeOutcome::protocol_error,
           "greeting " + text::printable(line.substr(0, 60)) + " instead of +OK");
    return false;
  }
  const std::string status = imap_status(line);
  if (status == "OK") return true;
  if (status == "PREAUTH" && options_.mode == TlsMode::implicit) return true;
  if (status == "PREAUTH") {  // RFC 3501 §7.1.4: STARTTLS is valid only before authentication
    preauth_ = true;
    result_.findings.push_back(FindingId::client_preauth);
    finish(ProbeOutcome::no_starttls,
           "PREAUTH greeting: authenticated in plaintext, STARTTLS can no longer be issued");
    return false;
  }
  finish(status == "BYE" ? ProbeOutcome::rejected : ProbeOutcome::protocol_error,
         "greeting " + text::printable(line.substr(0, 60)) + " instead of * OK");
  return false;
}

asio::awaitable<bool> Session::greet_smtp() {
  const bool got_banner = co_await read_reply();
  if (!got_banner) co_return false;
  result_.banner = reply_.lines.empty() ? std::string{} : text::printable(reply_.lines.front());
  discard_unsolicited("after the banner", FindingId::smtp_unsolicited_data);
  if (reply_.code == 220) co_return true;
  if (reply_.code_class() == 4) {
    finish(ProbeOutcome::rate_limited,
           "greeting " + std::to_string(reply_.code) + ": the server defers us");
  } else if (reply_.code_class() == 5) {
    finish(ProbeOutcome::rejected,
           "greeting " + std::to_string(reply_.code) + ": the server refuses service");
  } else {
    finish(ProbeOutcome::protocol_error,
           "greeting with code " + std::to_string(reply_.code) + " instead of 220");
  }
  co_return false;
}

asio::awaitable<std::optional<Capabilities>> Session::ehlo() {
  const std::string command = "EHLO " + options_.helo_name;
  const bool sent = co_await send(command);
  if (!sent) co_return std::nullopt;
  const bool got_reply = co_await read_reply();
  if (!got_reply) co_return std::nullopt;
  discard_unsolicited("after the EHLO reply", FindingId::smtp_unsolicited_data);
  if (reply_.code == 250) co_return parse_ehlo(reply_);
  const std::string code = std::to_string(reply_.code);
  if (reply_.code == 500 || reply_.code == 502 || reply_.code == 504) {
    finish(ProbeOutcome::no_starttls, "EHLO answered " + code + ": no ESMTP, so no STARTTLS");
  } else if (reply_.code_class() == 4) {
    finish(ProbeOutcome::rate_limited, "EHLO answered " + code);
  } else if (reply_.code_class() == 5) {
    finish(ProbeOutcome::rejected, "EHLO answered " + code);
  } else {
    finish(ProbeOutcome::protocol_error, "EHLO answered " + code);
  }
  co_return std::nullopt;
}

// EHLO for SMTP; CAPABILITY (RFC 9051 §6.1.1) or CAPA (RFC 2449 §5) for IMAP and POP3. A refused
// CAPA/CAPABILITY leaves STARTTLS unknown: no-starttls, like a refused EHLO.
asio::awaitable<std::optional<Capabilities>> Session::capabilities() {
  if (smtp_like()) {
    auto caps = co_await ehlo();
    co_return caps;
  }
  const auto verb = verbs_of(options_.protocol).capabilities;
  const bool answered = co_await command(verb);
  if (!answered) co_return std::nullopt;
  discard_unsolicited("after the capability list", FindingId::smtp_unsolicited_data);
  if (!answer_ok(0)) {
    finish(ProbeOutcome::no_starttls, std::string(verb) + " answered " + answer_words() +
                                          ": capabilities unknown, so no STARTTLS");
    co_await quit();
    co_return std::nullopt;
  }
  if (options_.protocol == Protocol::imap) co_return imap_capabilities(lines_.lines());
  co_return pop3_capabilities(lines_.lines());
}

// Sends one IMAP (tagged) or POP3 command and reads its whole response; SMTP's QUIT/STARTTLS
// go through here too (one reply).
asio::awaitable<bool> Session::command(std::string_view verb) {
  using Shape = LineResponseParser::Shape;
  if (options_.protocol == Protocol::imap) {
    tag_ = "a" + std::to_string(++tags_);
    const bool sent = co_await send(tag_ + " " + std::string(verb));
    if (!sent) co_return false;
    const bool read = co_await read_lines(Shape::until_tagged, tag_);
    co_return read;
  }
  const bool sent = co_await send(verb);
  if (!sent) co_return false;
  if (smtp_like()) {
    const bool read = co_await read_reply();
    co_return read;
  }
  const bool read = co_await read_lines(verb == "CAPA" ? Shape::pop3_multiline : Shape::single);
  co_return read;
}

// Whether the last answer is positive: SMTP's `smtp_code`, IMAP's tagged OK, POP3's +OK.
bool Session::answer_ok(int smtp_code) const {
  if (smtp_like()) return reply_.code == smtp_code;
  if (lines_.lines().empty()) return false;
  if (options_.protocol == Protocol::imap) return imap_status(lines_.lines().back(), tag_) == "OK";
  return lines_.lines().front().starts_with("+OK");
}

std::string Session::answer_words() const {
  if (smtp_like()) return std::to_string(reply_.code);
  if (lines_.lines().empty()) return "nothing";
  const auto& line =
      options_.protocol == Protocol::imap ? lines_.lines().back() : lines_.lines().front();
  return "\"" + text::printable(std::string_view(line).substr(0, 60)) + "\"";
}

// Before TLS on a STARTTLS port of a mail-access or submission server: a password usable in
// clear (RFC 8314 §3.3, §4.1), and that implicit TLS is preferred (RFC 8314 §3). Port 25 (smtp)
// raises neither: `check` verdicts stay as they were.
void Session::judge_before_tls(const Capabilities& caps) {
  bool clear = false;
  switch (options_.protocol) {
    case Protocol::smtp: return;
    case Protocol::submission: clear = submission_cleartext_auth(caps); break;
    case Protocol::imap: clear = imap_cleartext_auth(caps); break;
    case Protocol::pop3: clear = pop3_cleartext_auth(caps); break;
  }
  if (clear) result_.findings.push_back(FindingId::client_cleartext_auth);
}

void Session::judge_after_tls() {
  if (options_.protocol == Protocol::smtp || !result_.capabilities || !result_.capabilities_tls)
    return;
  if (result_.capabilities->keywords != result_.capabilities_tls->keywords)
    result_.findings.push_back(FindingId::client_capabilities_changed);
}

asio::awaitable<void> Session::quit() {
  // Called only after finish(): the outcome is recorded and nothing here can change it. QUIT is
  // a courtesy with a short deadline (RELIABILITY.md item 22).
  enter(Phase::quit);
  co_await command(verbs_of(options_.protocol).quit);
}

// The TLS handshake (RFC 3207 §4; RFC 8314 §3 for implicit TLS), in steps: set the session up,
// shake hands, then read what was negotiated and judge the certificates.
asio::awaitable<bool> Session::handshake() {
  enter(Phase::tls_handshake);
  SSL* ssl = transport_.tls_session();
  std::string dane_error;
  const int dane_usable = prepare_tls(ssl, dane_error);
  boost::system::error_code ec;
  co_await transport_.handshake(ec);
  if (stopped_after_hello(ssl, ec)) co_return false;  // no session to continue on
  if (ec) {
    handshake_failed(ec);
    co_return false;
  }
  TlsFacts facts = negotiated(ssl);
  if (!options_.offer.handshake_only) examine_certificates(ssl, facts, dane_usable, dane_error);
  result_.tls = std::move(facts);
  co_return true;
}

// SNI, the handshake-only stop and DANE, before the first byte of the handshake. Returns the
// number of usable TLSA records attached (0: DANE not attempted; `dane_error` says why).
int Session::prepare_tls(SSL* ssl, std::string& dane_error) {
  if (options_.offer.handshake_only) {
    // The sweep needs only the negotiated version and suite, which the ServerHello fixes. Once
    // it is in, the next message may be at most 1 byte, so the handshake stops there with
    // "excessive message size": the client spends nothing on certificates or key exchange
    // (DH public-key checks were 70% of a sweep's CPU), and the server sees an aborted
    // handshake, as with nmap's ssl-enum-ciphers.
    SSL_set_msg_callback(ssl, &Session::stop_after_server_hello);
    SSL_set_msg_callback_arg(ssl, this);
  }
  boost::system::error_code ip_ec;
  asio::ip::make_address(options_.server_name, ip_ec);
  if (!options_.server_name.empty() && ip_ec) {  // SNI only for names (RFC 6066 §3)
    SSL_set_tlsext_host_name(ssl, options_.server_name.c_str());
  }
  if (options_.tlsa.empty() || options_.offer.handshake_only) return 0;
  return tls::attach_tlsa(ssl,
                          options_.tlsa_base.empty() ? options_.server_name : options_.tlsa_base,
                          options_.tlsa, dane_error, options_.tlsa_names);
}

// Handshake-only mode stopped after the ServerHello on purpose (prepare_tls): the version and
// suite are known, nothing more is wanted. True when that is what happened.
bool Session::stopped_after_hello(SSL* ssl, const boost::system::error_code& ec) {
  // During the handshake the chosen suite is the "pending" one (TLS 1.2), or already current.
  const SSL_CIPHER* hello_cipher = SSL_get_pending_cipher(ssl) != nullptr
                                       ? SSL_get_pending_cipher(ssl)
                                       : SSL_get_current_cipher(ssl);
  if (!ec || !hello_seen_ || hello_cipher == nullptr) return false;
  TlsFacts facts;
  facts.version = SSL_get_version(ssl);
  facts.cipher = SSL_CIPHER_get_name(hello_cipher);
  note('*', "TLS " + facts.version + " " + facts.cipher + " (stopped after the server's hello)");
  result_.tls = std::move(facts);
  finish(ProbeOutcome::ok, "TLS version and suite learnt from the server's hello");
  return true;
}

void Session::handshake_failed(const boost::system::error_code& ec) {
  if (timed_out_) {
    finish(ProbeOutcome::tls_timeout, "the TLS handshake did not finish in time");
  } else {
    finish(ProbeOutcome::tls_handshake_failed, "TLS handshake failed: " + openssl_reason(ec));
  }
  note('*', result_.detail);
}

// Version, suite, key-exchange group and size, forward secrecy.
TlsFacts Session::negotiated(SSL* ssl) {
  TlsFacts facts;
  facts.version = SSL_get_version(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  facts.cipher = cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "";
  // No session: a transport whose handshake set none up (the tests' scripted peer).
  const auto group =
      SSL_get_session(ssl) != nullptr ? static_cast<int>(SSL_get_negotiated_group(ssl)) : 0;
  if (group != 0) {
    const char* name = SSL_group_to_name(ssl, group);
    facts.group = name != nullptr ? name : std::to_string(group);
  }
  EVP_PKEY* tmp = nullptr;
  if (SSL_get_peer_tmp_key(ssl, &tmp) == 1 && tmp != nullptr) {
    tls::EvpPkeyPtr owned(tmp);
    facts.key_exchange_bits = EVP_PKEY_get_bits(tmp);
    if (facts.group.empty() && EVP_PKEY_get0_type_name(tmp) != nullptr)
      facts.group = EVP_PKEY_get0_type_name(tmp);
  }
  const int kx = cipher != nullptr ? SSL_CIPHER_get_kx_nid(cipher) : NID_undef;
  facts.forward_secrecy = kx == NID_kx_ecdhe || kx == NID_kx_dhe || kx == NID_kx_any;
  return facts;
}

// The chain as sent, its verification against the trust store, and DANE's verdict.
void Session::examine_certificates(SSL* ssl, TlsFacts& facts, int dane_usable,
                                   const std::string& dane_error) {
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    facts.chain.push_back(tls::describe(sk_X509_value(chain, i)));
  }
  tls::X509Ptr leaf(SSL_get1_peer_certificate(ssl));
  std::string trust_error;
  const auto trust =
      options_.trust ? options_.trust : tls::TrustStore::load(options_.ca_file, trust_error);
  if (trust) {
    facts.verification = tls::verify(leaf.get(), chain, *trust, options_.server_name);
  } else {
    facts.verification.error = trust_error;
    facts.verification.checked_name = options_.server_name;
  }
  if (dane_usable > 0) {
    facts.dane = tls::dane_result(ssl, dane_usable);
  } else if (!options_.tlsa.empty()) {
    facts.dane_error = dane_error;
  }
  note('*', "TLS " + facts.version + " " + facts.cipher +
                (facts.group.empty() ? "" : " " + facts.group));
}

asio::awaitable<bool> Session::connect() {
  enter(Phase::connect);
  boost::system::error_code ec;
  co_await transport_.connect(options_.endpoint, ec);
  if (!ec) co_return true;
  if (timed_out_) {
    finish(ProbeOutcome::connect_timeout, "no answer to the connection attempt");
  } else if (ec == asio::error::connection_refused) {
    finish(ProbeOutcome::connect_refused, "connection refused");
  } else {
    finish(ProbeOutcome::connect_failed, "cannot connect: " + ec.message());
  }
  co_return false;
}

asio::awaitable<void> Session::run() {
  const bool connected = co_await connect();
  if (!connected) co_return;
  if (options_.mode == TlsMode::implicit) {
    co_await implicit_tls_dialogue();
  } else {
    co_await starttls_dialogue();
  }
}

// RFC 8314 §3: TLS first, then the whole SMTP dialogue inside it.
asio::awaitable<void> Session::implicit_tls_dialogue() {
  const bool secured = co_await handshake();
  if (!secured) co_return;
  const bool greeted = co_await greet();
  if (!greeted) co_return;
  co_await after_handshake("implicit TLS session completed");
}

// RFC 3207: banner, EHLO, STARTTLS, the handshake, then EHLO again inside TLS.
asio::awaitable<void> Session::starttls_dialogue() {
  const bool greeted = co_await greet();
  if (!greeted) co_return;
  if (options_.protocol != Protocol::smtp)
    result_.findings.push_back(FindingId::client_implicit_tls_preferred);
  enter(Phase::ehlo);
  result_.capabilities = co_await capabilities();
  if (!result_.capabilities) co_return;
  judge_before_tls(*result_.capabilities);
  const auto verbs = verbs_of(options_.protocol);
  result_.starttls_offered = result_.capabilities->has(verbs.starttls_keyword);
  if (!result_.starttls_offered) {
    finish(ProbeOutcome::no_starttls, std::string(verbs.starttls_keyword) + " is not in the " +
                                          std::string(verbs.capabilities) + " reply");
    co_await quit();
    co_return;
  }
  const bool ready = co_await starttls();
  if (!ready) co_return;
  const bool secured = co_await handshake();
  if (!secured) co_return;
  co_await after_handshake("STARTTLS session completed");
}

// The STARTTLS command and its 220 (RFC 3207 §4), IMAP's tagged OK (RFC 9051 §6.2.1) or POP3's
// +OK to STLS (RFC 2595 §4); false when TLS is not to be started.
asio::awaitable<bool> Session::starttls() {
  enter(Phase::starttls);
  const auto verb = verbs_of(options_.protocol).starttls;
  // A reply already here before the command is sent would be taken for its answer: a response
  // injected ahead of the command (NO STARTTLS, response injection), dropped and reported.
  co_await read_arrived();
  discard_unsolicited("before " + std::string(verb) +
                          " was sent (a response injected ahead of "
                          "the command)",
                      FindingId::smtp_unsolicited_data);
  const bool replied = co_await command(verb);
  if (!replied) co_return false;
  if (!answer_ok(220)) {
    finish(ProbeOutcome::starttls_refused, std::string(verb) + " answered " + answer_words());
    co_await quit();
    co_return false;
  }
  // RFC 3207 §4.2, RFC 2595 §3.1 / CVE-2011-0411: nothing sent before the handshake may be
  // trusted or used; bytes in a segment after the go-ahead's count too (split injection).
  co_await read_arrived();
  discard_unsolicited("after the go-ahead to " + std::string(verb) + " (response injection)",
                      FindingId::smtp_plaintext_after_starttls);
  co_return true;
}

// The last steps once TLS is up, the same for STARTTLS and implicit TLS: EHLO (whose list is
// the one that counts, RFC 3207 §4.2), the outcome, QUIT.
asio::awaitable<void> Session::after_handshake(std::string detail) {
  if (options_.offer.handshake_only) {
    finish(ProbeOutcome::ok, "TLS handshake completed (handshake only)");
    co_await quit();
    co_return;
  }
  enter(Phase::ehlo_tls);
  result_.capabilities_tls = co_await capabilities();
  if (!result_.capabilities_tls) co_return;
  judge_after_tls();
  finish(ProbeOutcome::ok, std::move(detail));
  co_await quit();
}

}  // namespace

std::string_view to_string(Phase phase) {
  return info(phase).name;
}

namespace {
struct NamedProtocol {
  std::string_view name;
  Protocol protocol;
  TlsMode mode;
  unsigned short port;
};
constexpr std::array<NamedProtocol, 7> kProtocols{{
    {"smtp", Protocol::smtp, TlsMode::starttls, 25},
    {"submission", Protocol::submission, TlsMode::starttls, 587},
    {"submissions", Protocol::submission, TlsMode::implicit, 465},
    {"imap", Protocol::imap, TlsMode::starttls, 143},
    {"imaps", Protocol::imap, TlsMode::implicit, 993},
    {"pop3", Protocol::pop3, TlsMode::starttls, 110},
    {"pop3s", Protocol::pop3, TlsMode::implicit, 995},
}};
}  // namespace

std::string_view protocol_name(Protocol protocol, TlsMode mode) {
  for (const auto& p : kProtocols) {
    if (p.protocol == protocol && p.mode == mode) return p.name;
  }
  return "smtp";  // SMTP relay over implicit TLS has no name of its own
}

std::optional<ProtocolChoice> protocol_from_name(std::string_view name) {
  for (const auto& p : kProtocols) {
    if (p.name == name) return ProtocolChoice{p.protocol, p.mode};
  }
  return std::nullopt;
}

ProtocolChoice protocol_for_port(unsigned short port) {
  for (const auto& p : kProtocols) {
    if (p.port == port) return {p.protocol, p.mode};
  }
  return {Protocol::smtp, TlsMode::starttls};
}

asio::awaitable<ProbeResult> probe(ProbeOptions options, Transport& transport,
                                   DeadlineSource& deadline) {
  const auto started = deadline.now();
  ProbeResult result;
  {
    Session session(std::move(options), transport, deadline);
    co_await session.run();
    result = session.take_result();
  }
  add_fact_findings(result);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.now() - started);
  co_return result;
}

asio::awaitable<ProbeResult> probe(ProbeOptions options) {
  const auto executor = co_await asio::this_coro::executor;
  const auto context =
      options.tls_context ? options.tls_context : tls::make_client_context(options.offer);
  const auto transport = make_socket_transport(executor, *context);
  const auto deadline = make_steady_deadline(executor);
  co_return co_await probe(std::move(options), *transport, *deadline);
}

}  // namespace intransit::smtp
