// serve_command.cpp — see serve_command.hpp.
#include "cli/serve_command.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "cli/endpoint_arg.hpp"
#include "intransit_version.hpp"
#include "serve/run.hpp"

namespace intransit::cli {

CLI::App* add_serve_command(CLI::App& app, ServeArgs& args) {
  auto* cmd = app.add_subcommand(
      "serve", "A web page, JSON API, Prometheus /metrics and a monitor with alerts");
  cmd->add_option("--listen", args.listen, "ADDR:PORT to listen on (literal address)")
      ->capture_default_str();
  cmd->add_option("--data", args.data,
                  "data directory (SQLite: history, monitored domains, alerts)")
      ->required();
  cmd->add_option("--tls-cert", args.tls_cert, "serve HTTPS with this certificate chain (PEM)");
  cmd->add_option("--tls-key", args.tls_key, "the certificate's private key (PEM)");
  cmd->add_option("--admin-token-file", args.admin_token_file,
                  "file holding the admin token (monitoring, alerts, history); without it the "
                  "admin routes are off")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--allow-private", args.allow_private,
                "connect to special-purpose addresses (loopback, RFC 1918, link-local, CGNAT, "
                "ULA...) too; off by default: strangers choose what this server connects to");
  cmd->add_option("--cache-ttl", args.cache_ttl, "seconds a stored result is reused")
      ->check(CLI::Range(0.0, 86400.0 * 30))
      ->capture_default_str();
  cmd->add_option("--sync-wait", args.sync_wait, "longest a request waits for its check, seconds")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  cmd->add_option("--max-checks", args.max_checks, "audits at once (more are answered 429)")
      ->check(CLI::Range(1U, 10000U))
      ->capture_default_str();
  cmd->add_option("--client-rate", args.client_rate,
                  "checks and traces a second per client address (0: no per-client limits at all)")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  cmd->add_option("--client-burst", args.client_burst, "saved up per client")
      ->check(CLI::Range(1.0, 1e6))
      ->capture_default_str();
  cmd->add_option("--monitor-interval", args.monitor_interval,
                  "seconds between a monitored domain's checks (spread ±10%)")
      ->check(CLI::Range(1.0, 86400.0 * 30))
      ->capture_default_str();
  cmd->add_option("--cert-days", args.cert_days, "alert when a certificate expires within N days")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  cmd->add_option("--cooldown", args.cooldown, "seconds between two deliveries for one domain")
      ->check(CLI::Range(0.0, 86400.0 * 30))
      ->capture_default_str();
  cmd->add_option("--webhook", args.webhook, "POST each alert as JSON to this http(s) URL");
  cmd->add_option("--webhook-ca-file", args.webhook_ca_file, "trust anchors for an https webhook")
      ->check(CLI::ExistingFile);
  cmd->add_option("--mail-relay", args.mail_relay, "send alerts by mail through HOST[:PORT]");
  cmd->add_option("--mail-from", args.mail_from, "the alert mail's sender")->capture_default_str();
  cmd->add_option("--mail-to", args.mail_to, "alert mail recipients (repeat)");
  add_engine_options(*cmd, args.engine);
  cmd->footer(
      "Exit codes: 0 stopped by SIGINT/SIGTERM, 1 the data directory, certificate or address "
      "cannot be used, 2 usage error.\n"
      "Example: intransit serve --listen 127.0.0.1:8025 --data /var/lib/intransit "
      "--admin-token-file /etc/intransit/token --webhook https://alerts.example/hook");
  return cmd;
}

int run_serve(const ServeArgs& args) {
  serve::ServeConfig config;
  std::string error;
  const auto listen = parse_endpoint(args.listen, error);
  if (!listen) {
    std::cerr << "intransit serve: --listen " << args.listen << ": " << error << "\n";
    return kServeUsage;
  }
  config.listen = *listen;
  if (args.tls_cert.empty() != args.tls_key.empty()) {
    std::cerr << "intransit serve: --tls-cert and --tls-key go together\n";
    return kServeUsage;
  }
  if (!args.mail_relay.empty() && args.mail_to.empty()) {
    std::cerr << "intransit serve: --mail-relay needs at least one --mail-to\n";
    return kServeUsage;
  }
  if (!args.webhook.empty() && args.webhook.rfind("http://", 0) != 0 &&
      args.webhook.rfind("https://", 0) != 0) {
    std::cerr << "intransit serve: --webhook must be an http:// or https:// URL\n";
    return kServeUsage;
  }
  if (!args.admin_token_file.empty()) {
    std::ifstream in(args.admin_token_file);
    std::getline(in, config.service.admin_token);
    while (!config.service.admin_token.empty() &&
           (config.service.admin_token.back() == '\r' || config.service.admin_token.back() == ' '))
      config.service.admin_token.pop_back();
    if (config.service.admin_token.size() < 16) {
      std::cerr << "intransit serve: " << args.admin_token_file
                << ": the admin token must be at least 16 characters\n";
      return kServeUsage;
    }
  }
  config.tls_cert = args.tls_cert;
  config.tls_key = args.tls_key;
  config.data_dir = args.data;
  config.engine = engine_options(args.engine);
  config.engine.allow_private = args.allow_private;
  config.service.sync_wait = std::chrono::seconds(static_cast<long>(args.sync_wait));
  config.service.client_rate = args.client_rate;
  config.service.client_burst = args.client_burst;
  // Every request (pages, API reads) has a larger budget of its own; --client-rate 0 lifts both.
  config.service.client_page_rate =
      args.client_rate <= 0 ? 0 : std::max(50.0, 25 * args.client_rate);
  config.service.client_page_burst = std::max(200.0, 10 * args.client_burst);
  config.service.generator = std::string("intransit ") + intransit::kVersion;
  config.checker.cache_ttl = std::chrono::seconds(static_cast<long>(args.cache_ttl));
  config.checker.max_running = args.max_checks;
  config.monitor.interval = static_cast<std::int64_t>(args.monitor_interval);
  config.monitor.cert_days = args.cert_days;
  config.monitor.cooldown = static_cast<std::int64_t>(args.cooldown);
  config.monitor.webhook = args.webhook;
  config.monitor.webhook_ca_file = args.webhook_ca_file;
  config.monitor.mail_relay = args.mail_relay;
  config.monitor.mail_from = args.mail_from;
  config.monitor.mail_to = args.mail_to;
  return serve::run_server(config, std::cerr);
}

}  // namespace intransit::cli
