// server.hpp — `intransit sink`: an SMTP receiver (RFC 5321 server side, RFC 3207 STARTTLS) with
// one test scenario per listening socket (scenario.hpp). It accepts mail within the limits of
// RELIABILITY.md's sink items and records every session and delivery attempt in the store
// before it answers (store.hpp). Asio coroutines on one thread; the store writes on its own.
// Hardened against early talkers (RELIABILITY item 39), a descriptor limit (item 56), exceptions
// in a session (item 52) and being stopped with sessions open (item 57).
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "sink/scenario.hpp"
#include "sink/store.hpp"

namespace intransit::sink {

struct Listener {
  SinkScenario scenario = SinkScenario::valid;
  boost::asio::ip::tcp::endpoint endpoint;
};

struct CertificateFiles {
  std::string certificate;  // PEM chain, leaf first
  std::string key;          // PEM private key
};

struct SinkOptions {
  std::string hostname = "sink.invalid";  // banner and EHLO name; CN of certificates it makes
  // The certificate of every scenario whose source is "configured"; without it those scenarios
  // present a self-signed one (and verifying senders will refuse them all).
  std::optional<CertificateFiles> certificate;
  // A certificate for one scenario only (e.g. an expired one from a real CA for "expired").
  std::map<SinkScenario, CertificateFiles> scenario_certificates;
  // Per-request deadline (Postfix smtpd_timeout); under stress the shorter of it and 10 s.
  std::chrono::seconds request_timeout = limits::kSinkCommandTimeout;
  // The pregreet test (Postfix postscreen, RELIABILITY item 39): the banner's first line "220-"
  // goes out at once, its last line after this wait; a client that talks in between is answered
  // 554 and recorded. Short: bots that do not wait talk within milliseconds. Zero: no test.
  // A client address that passed is not tested again for a day (Postfix postscreen_greet_ttl).
  std::chrono::milliseconds greet_wait{500};
  // How long shutdown() lets open sessions finish before it records them as they stand.
  std::chrono::milliseconds shutdown_grace{5000};
};

class SinkServer {
 public:
  // Binds every listener; throws std::runtime_error naming the one that failed.
  SinkServer(boost::asio::io_context& io, Store& store, SinkOptions options,
             const std::vector<Listener>& listeners);
  ~SinkServer();
  SinkServer(const SinkServer&) = delete;
  SinkServer& operator=(const SinkServer&) = delete;

  std::vector<Listener> bound() const;  // with the ports actually bound (for port 0)
  void start();
  void stop();  // stops accepting; sessions in progress end when the io_context stops
  // Stops accepting and ends every open session (a reply being committed is still sent, then
  // 421), so that each has its session row queued before `drained` runs (RELIABILITY item 57);
  // after options.shutdown_grace the sessions still open are recorded as they stand.
  void shutdown(std::function<void()> drained);

  struct State;  // public so the session code in server.cpp can name it; defined there only

 private:
  std::shared_ptr<State> state_;
};

}  // namespace intransit::sink
