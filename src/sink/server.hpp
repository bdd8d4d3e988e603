// server.hpp — `intransit sink`: an SMTP receiver (RFC 5321 server side, RFC 3207 STARTTLS) with
// one test scenario per listening socket (scenario.hpp). It accepts mail within the limits of
// RELIABILITY.md's sink items and records every session and delivery attempt in the store
// before it answers (store.hpp). Asio coroutines on one thread; the store writes on its own.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
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
};

class SinkServer {
 public:
  // Binds every listener; throws std::runtime_error naming the one that failed.
  SinkServer(boost::asio::io_context& io, Store& store, SinkOptions options, const std::vector<Listener>& listeners);
  ~SinkServer();
  SinkServer(const SinkServer&) = delete;
  SinkServer& operator=(const SinkServer&) = delete;

  std::vector<Listener> bound() const;  // with the ports actually bound (for port 0)
  void start();
  void stop();  // stops accepting; sessions in progress end when the io_context stops

  struct State;  // public so the session code in server.cpp can name it; defined there only

 private:
  std::shared_ptr<State> state_;
};

}  // namespace intransit::sink
