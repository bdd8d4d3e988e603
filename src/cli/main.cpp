// main.cpp — the intransit executable: CLI11 wiring only, all work lives in the libraries.
// Subcommands are added here as each one does real work (see README "Status").
// Exit codes (README "Exit codes"): 0 success, 2 usage error, 70 internal error (EX_SOFTWARE:
// something escaped a command; RELIABILITY.md item 52); each subcommand documents more.
// All output passes the text boundary (core/safe_output.hpp) installed first thing here.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/check_command.hpp"
#include "cli/client_command.hpp"
#include "cli/completion.hpp"
#include "cli/keys_command.hpp"
#include "cli/outbound_command.hpp"
#include "cli/probe_command.hpp"
#include "cli/report_command.hpp"
#include "cli/scan_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/sink_command.hpp"
#include "cli/strip_proxy_command.hpp"
#include "cli/tlsrpt_command.hpp"
#include "cli/trace_command.hpp"
#include "cli/usage.hpp"
#include "core/safe_output.hpp"
#include "intransit_version.hpp"

namespace {
constexpr int kExitUsage = 2;

int run(int argc, char** argv) {
  CLI::App app{"intransit — finds out, with evidence, whether email is protected in transit."};
  app.set_version_flag("--version", std::string("intransit ") + intransit::kVersion);
  app.require_subcommand(1);
  // Options from a TOML/INI file, one [section] per command (e.g. [sink] store = "sink.db").
  app.set_config("--config", "",
                 "read options from a TOML/INI file: a [section] per command, e.g. [sink]");
  intransit::cli::ProbeArgs probe_args;
  auto* probe = intransit::cli::add_probe_command(app, probe_args);
  intransit::cli::CheckArgs check_args;
  auto* check = intransit::cli::add_check_command(app, check_args);
  intransit::cli::ClientArgs client_args;
  auto* client = intransit::cli::add_client_command(app, client_args);
  intransit::cli::TraceArgs trace_args;
  auto* trace = intransit::cli::add_trace_command(app, trace_args);
  intransit::cli::SinkArgs sink_args;
  const auto sink = intransit::cli::add_sink_command(app, sink_args);
  intransit::cli::StripProxyArgs strip_args;
  auto* strip = intransit::cli::add_strip_proxy_command(app, strip_args);
  intransit::cli::OutboundArgs outbound_args;
  auto* outbound = intransit::cli::add_outbound_command(app, outbound_args);
  intransit::cli::CompletionArgs completion_args;
  auto* completion = intransit::cli::add_completion_command(app, completion_args);
  intransit::cli::TlsrptArgs tlsrpt_args;
  auto* tlsrpt = intransit::cli::add_tlsrpt_command(app, tlsrpt_args);
  intransit::cli::ScanArgs scan_args;
  const auto scan = intransit::cli::add_scan_command(app, scan_args);
  intransit::cli::ServeArgs serve_args;
  auto* serve = intransit::cli::add_serve_command(app, serve_args);
  intransit::cli::ReportArgs report_args;
  auto* report = intransit::cli::add_report_command(app, report_args);
  intransit::cli::KeysArgs keys_args;
  auto* keys = intransit::cli::add_keys_command(app, keys_args);
  if (const auto unknown = intransit::cli::unknown_command_word(app, argc, argv)) {
    std::cerr << "intransit: " << *unknown << "\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::RequiredError& e) {
    // "domain is required" for `check -lead.example` hides the real fault: name the word CLI11
    // could not place (RELIABILITY.md item 60).
    if (const auto left = app.remaining(true); !left.empty()) {
      std::cerr << "intransit: '" << left.front() << "' is not an option here (see --help); "
                << e.what() << "\n";
      return kExitUsage;
    }
    app.exit(e);
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help, version or the error
    return rc == 0 ? 0 : kExitUsage;
  }
  if (probe->parsed()) return intransit::cli::run_probe(probe_args);
  if (check->parsed()) return intransit::cli::run_check(check_args);
  if (client->parsed()) return intransit::cli::run_client(client_args);
  if (trace->parsed()) return intransit::cli::run_trace(trace_args);
  if (sink.report->parsed()) return intransit::cli::run_sink_report(sink_args);
  if (sink.sink->parsed()) return intransit::cli::run_sink(sink_args);
  if (strip->parsed()) return intransit::cli::run_strip_proxy(strip_args);
  if (outbound->parsed()) return intransit::cli::run_outbound(outbound_args);
  if (completion->parsed()) {
    std::cout << intransit::cli::completion_script(app, completion_args.shell);
    return 0;
  }
  if (tlsrpt->parsed()) return intransit::cli::run_tlsrpt(tlsrpt_args);
  if (scan.merge->parsed()) return intransit::cli::run_scan_merge(scan_args);
  if (scan.scan->parsed()) return intransit::cli::run_scan(scan_args);
  if (report->parsed()) return intransit::cli::run_report(report_args);
  if (serve->parsed()) return intransit::cli::run_serve(serve_args);
  if (keys->parsed()) return intransit::cli::run_keys(keys_args);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  const intransit::text::OutputBoundary boundary;
  return intransit::cli::run_guarded([&] { return run(argc, argv); }, std::cerr);
}
