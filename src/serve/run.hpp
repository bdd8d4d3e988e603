// run.hpp — `serve` put together: the data directory's store, the audit engine, the checker,
// the monitor, the HTTP(S) server, and SIGINT/SIGTERM ending it all cleanly (requests in
// progress end with the event loop; everything acknowledged is already committed).
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <ostream>
#include <string>

#include "check/engine.hpp"
#include "serve/checker.hpp"
#include "serve/http_server.hpp"
#include "serve/monitor.hpp"
#include "serve/service.hpp"

namespace intransit::serve {

struct ServeConfig {
  boost::asio::ip::tcp::endpoint listen;
  std::string tls_cert, tls_key;  // both or neither
  std::string data_dir;
  check::EngineOptions engine;
  ServiceOptions service;
  CheckerOptions checker;
  MonitorOptions monitor;
  ServerLimits limits;
};

// Exit codes of `intransit serve`.
inline constexpr int kServeStopped = 0;     // stopped by SIGINT or SIGTERM
inline constexpr int kServeSetupError = 1;  // data directory, certificate or address unusable

// Runs until SIGINT or SIGTERM. `log` gets one line when listening and one per problem.
int run_server(const ServeConfig& config, std::ostream& log);

}  // namespace intransit::serve
