// serve_command.hpp — `intransit serve` (issue 18): the web page, JSON API, /metrics and the
// monitor. Parsing and printing only; the service is in src/serve.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct ServeArgs {
  std::string listen = "127.0.0.1:8025";
  std::string tls_cert, tls_key;
  std::string data;
  std::string admin_token_file;
  bool allow_private = false;
  double cache_ttl = 3600;
  double sync_wait = 30;
  unsigned max_checks = 16;
  double client_rate = 2, client_burst = 20;
  double monitor_interval = 3600;
  int cert_days = 14;
  double cooldown = 3600;
  std::string webhook, webhook_ca_file;
  std::string mail_relay, mail_from = "intransit@localhost";
  std::vector<std::string> mail_to;
  EngineArgs engine;
};

inline constexpr int kServeUsage = 2;

CLI::App* add_serve_command(CLI::App& app, ServeArgs& args);
int run_serve(const ServeArgs& args);

}  // namespace intransit::cli
