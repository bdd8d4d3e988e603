// sink_command.cpp — see sink_command.hpp. The sink runs until SIGINT or SIGTERM; then it stops
// accepting, ends every open session and queues its row (RELIABILITY item 57), and the store is
// flushed before exit. Every listener is printed on stdout ("listening SCENARIO ADDR:PORT") once
// bound, so scripts that pass port 0 learn the port.
#include "cli/sink_command.hpp"

#include <unistd.h>

#include <boost/asio/signal_set.hpp>

#include <cmath>
#include <iostream>

#include "cli/endpoint_arg.hpp"
#include "cli/usage.hpp"
#include "core/endpoint_text.hpp"
#include "report/json_text.hpp"
#include "report/sink_report.hpp"
#include "sink/judgement.hpp"
#include "sink/server.hpp"

namespace intransit::cli {

namespace {

std::string scenario_names() {
  std::string out;
  for (const auto s : sink::all_sink_scenarios())
    out += (out.empty() ? "" : ", ") + std::string(sink::to_string(s));
  return out;
}

}  // namespace

SinkCommands add_sink_command(CLI::App& app, SinkArgs& args) {
  auto* cmd = app.add_subcommand(
      "sink",
      "A test receiver: does a sending server fall back to plaintext or accept bad certificates?");
  cmd->add_option("--listen", args.listen,
                  "SCENARIO@ADDRESS:PORT, repeatable; scenarios: " + scenario_names())
      ->take_all();
  cmd->add_option("--store", args.store,
                  "SQLite file recording every session and delivery (created if missing)");
  cmd->add_option("--hostname", args.hostname,
                  "name in the banner and EHLO reply, and in the certificates the sink makes")
      ->check(helo_name());
  cmd->add_option("--cert", args.certificate,
                  "PEM certificate chain for the scenarios that present a real certificate")
      ->check(option_file());
  cmd->add_option("--key", args.key, "PEM private key for --cert")->check(option_file());
  cmd->add_option("--scenario-cert", args.scenario_certificates,
                  "SCENARIO=CERT,KEY: a certificate for one scenario (e.g. an expired one from "
                  "your CA for 'expired')");
  cmd->add_option("--timeout", args.timeout_seconds,
                  "seconds a client may take per command, per TLS handshake and per DATA (plus 1 s "
                  "per 500 bytes received); "
                  "10 when busy")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--greet-wait", args.greet_wait_seconds,
                  "seconds between the banner's first line (220-) and its last; a client that "
                  "talks in between is answered 554 and reported (pregreet test, as Postfix's "
                  "postscreen); 0 turns it off")
      ->check(CLI::Range(0.0, 60.0));
  cmd->footer(
      "Each scenario gets its own address:port; in a real deployment give each its own MX host "
      "name (README).\n"
      "Exit codes: 0 stopped by a signal, 2 usage error, 3 cannot listen, open the store or load a "
      "certificate.\n"
      "See what senders did: intransit sink report --store FILE\n"
      "Example: intransit sink --store sink.db --listen valid@192.0.2.10:25 --listen "
      "no-starttls@192.0.2.11:25");
  cmd->require_subcommand(0, 1);

  auto* report = cmd->add_subcommand(
      "report", "What each sending server did on each scenario, and what it means");
  report->add_option("--store", args.store, "the sink's SQLite file")->required();
  report->add_option("--format", args.format, "text (for people) or json (intransit.sink-report/1)")
      ->check(CLI::IsMember({"text", "json"}));
  report->footer(
      "Verdicts per sender: plaintext-fallback, accepts-any-certificate, verifies, untested.\n"
      "Exit codes: 0 no sender falls back to plaintext or accepts any certificate, 1 some sender "
      "does, 2 usage error, "
      "3 the store cannot be read.\n"
      "Example: intransit sink report --store sink.db --format json");
  return {cmd, report};
}

int run_sink(const SinkArgs& args) {
  if (args.listen.empty() || args.store.empty()) {
    std::cerr << "intransit sink: --listen SCENARIO@ADDRESS:PORT and --store FILE are required\n";
    return 2;
  }
  std::vector<sink::Listener> listeners;
  for (const auto& spec : args.listen) {
    const auto at = spec.find('@');
    const auto scenario =
        sink::sink_scenario_from_string(spec.substr(0, at == std::string::npos ? 0 : at));
    if (at == std::string::npos || !scenario) {
      std::cerr << "intransit sink: '" << spec
                << "' is not SCENARIO@ADDRESS:PORT (scenarios: " << scenario_names() << ")\n";
      return 2;
    }
    std::string error;
    const auto endpoint = parse_endpoint(spec.substr(at + 1), error);
    if (!endpoint) {
      std::cerr << "intransit sink: " << error << "\n";
      return 2;
    }
    listeners.push_back({*scenario, *endpoint});
  }
  sink::SinkOptions options;
  options.hostname = args.hostname;
  options.request_timeout = std::chrono::seconds(args.timeout_seconds);
  // CLI::Range lets NaN through (RELIABILITY item 60).
  if (!std::isfinite(args.greet_wait_seconds)) {
    std::cerr << "intransit sink: --greet-wait must be a number of seconds from 0 to 60\n";
    return 2;
  }
  options.greet_wait = std::chrono::milliseconds(static_cast<long>(args.greet_wait_seconds * 1000));
  if (!args.certificate.empty() || !args.key.empty()) {
    if (args.certificate.empty() || args.key.empty()) {
      std::cerr << "intransit sink: --cert and --key go together\n";
      return 2;
    }
    options.certificate = sink::CertificateFiles{args.certificate, args.key};
  } else {
    std::cerr << "intransit sink: no --cert: every scenario presents a certificate the sink made "
                 "itself, so senders that "
                 "verify certificates will refuse 'valid' too\n";
  }
  for (const auto& spec : args.scenario_certificates) {
    const auto eq = spec.find('=');
    const auto comma = spec.find(',', eq == std::string::npos ? 0 : eq);
    const auto scenario =
        sink::sink_scenario_from_string(spec.substr(0, eq == std::string::npos ? 0 : eq));
    if (eq == std::string::npos || comma == std::string::npos || !scenario) {
      std::cerr << "intransit sink: '" << spec << "' is not SCENARIO=CERT,KEY\n";
      return 2;
    }
    options.scenario_certificates[*scenario] = {spec.substr(eq + 1, comma - eq - 1),
                                                spec.substr(comma + 1)};
  }

  boost::asio::io_context io;
  try {
    sink::Store store(args.store);
    sink::SinkServer server(io, store, options, listeners);
    for (const auto& l : server.bound()) {
      std::cout << "listening " << sink::to_string(l.scenario) << " "
                << net::format_endpoint(l.endpoint) << std::endl;
    }
    std::cerr << "intransit sink: recording to " << args.store << "; stop with Ctrl-C\n";
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      // Not io.stop() at once: that dropped the rows of the sessions still open (item 57).
      server.shutdown([&io] { io.stop(); });
    });
    server.start();
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "intransit sink: " << e.what() << "\n";
    return kSinkSetupError;
  }
  return kSinkOk;
}

int run_sink_report(const SinkArgs& args) {
  if (access(args.store.c_str(), R_OK) != 0) {
    std::cerr << "intransit sink report: cannot read " << args.store << "\n";
    return kSinkSetupError;
  }
  std::vector<sink::SenderJudgement> senders;
  try {
    senders = sink::judge_senders(sink::read_store(args.store));
  } catch (const std::exception& e) {
    std::cerr << "intransit sink report: " << e.what() << "\n";
    return kSinkSetupError;
  }
  if (args.format == "json") {
    std::cout << report::json_text(report::sink_report_to_json(senders, args.store), 2) << "\n";
  } else {
    const bool colour = isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nullptr;
    report::write_sink_report_text(std::cout, senders, colour);
  }
  for (const auto& s : senders) {
    if (sink::is_weak(s.verdict)) return kSinkWeakSender;
  }
  return kSinkOk;
}

}  // namespace intransit::cli
