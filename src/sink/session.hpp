// session.hpp — one SMTP session of the sink (RFC 5321 server side, RFC 3207 STARTTLS): a line
// reader with a per-request deadline (the watchdog closes the transport), the command dialogue of
// RFC 5321 §4.1, the DATA reader (§4.1.4, §4.5.2 dot-stuffing) and a delivery answered only once
// it is durable in the store (§6.1). The scenario decides only what is offered around TLS;
// everything else is one well-behaved receiver. It runs on a ServerTransport and a
// DeadlineSource, so its tests need no socket and no wall time; what it needs of the server
// around it (store, options, TLS contexts, the pregreet memory, the shutdown) is a SessionHost.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline_source.hpp"
#include "core/limits.hpp"
#include "sink/command.hpp"
#include "sink/data_reader.hpp"
#include "sink/line_reader.hpp"
#include "sink/records.hpp"
#include "sink/scenario.hpp"
#include "sink/server.hpp"
#include "sink/server_transport.hpp"
#include "sink/store.hpp"

namespace intransit::sink {

class Session;

// What a session asks of the server it runs in.
class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual Store& store() = 0;
  virtual const SinkOptions& options() const = 0;
  virtual boost::asio::ssl::context& tls(SinkScenario scenario) = 0;
  virtual std::chrono::seconds request_timeout() const = 0;  // shorter under stress
  // The pregreet test's memory (RELIABILITY item 39, as Postfix's postscreen_greet_ttl).
  virtual bool passed_greet_test(const boost::asio::ip::address& client) const = 0;
  virtual void note_greet_passed(const boost::asio::ip::address& client) = 0;
  // Lists a running session (item 57); false when the server is shutting down: it ends at once.
  virtual bool enter(Session* session) = 0;
  virtual void leave(Session* session) = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Clock = DeadlineSource::Clock;
  Session(std::shared_ptr<SessionHost> host, SinkScenario scenario,
          std::unique_ptr<ServerTransport> transport, std::unique_ptr<DeadlineSource> deadline)
      : host_(std::move(host)),
        scenario_(scenario),
        transport_(std::move(transport)),
        deadline_(std::move(deadline)) {}

  boost::asio::awaitable<void> run();
  // Shutdown (item 57): end the session at its next wait; a reply being committed is sent first.
  void stop();
  // Queue the session row as it stands (shutdown deadline, internal error); idempotent in the
  // store (INSERT OR REPLACE by id).
  void record_now(std::string_view reason);

 private:
  // --- transport ---
  boost::asio::awaitable<std::size_t> read_some(boost::asio::mutable_buffer buffer,
                                                boost::system::error_code& ec);
  boost::asio::awaitable<bool> send(std::string_view text);
  boost::asio::awaitable<bool> reply(std::string_view line);  // adds CRLF, counts errors
  boost::asio::awaitable<LineStatus> read_line(std::string& line);
  void arm(Clock::time_point deadline);
  void arm_request() { arm(deadline_->now() + host_->request_timeout()); }
  void close();

  // --- dialogue ---
  boost::asio::awaitable<bool> handle(std::string_view line);  // false: the session is over
  std::string answer_ehlo(std::string_view argument, bool extended);
  std::string answer_mail(std::string_view argument);
  std::string answer_rcpt(std::string_view argument);
  boost::asio::awaitable<bool> on_starttls();
  boost::asio::awaitable<bool> on_data();
  DeliveryRecord new_delivery() const;
  boost::asio::awaitable<bool> read_data(DataReader& data);
  void record_unfinished(DeliveryRecord d);
  boost::asio::awaitable<bool> answer_data(DeliveryRecord d);
  boost::asio::awaitable<bool> commit(DeliveryRecord record);
  boost::asio::awaitable<bool> greet();
  void note_early_greeting();
  void reset_transaction();
  void note_tls(SSL* ssl);

  std::shared_ptr<SessionHost> host_;
  SinkScenario scenario_;
  std::unique_ptr<ServerTransport> transport_;
  std::unique_ptr<DeadlineSource> deadline_;
  bool secure_ = false;  // the STARTTLS handshake succeeded
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

}  // namespace intransit::sink
