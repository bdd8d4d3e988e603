// outbound_command.hpp — `intransit outbound LOG...`: wiring from the command line to the log
// readers (logs/log_source.hpp), the tally and advice (logs/tally.hpp, logs/advice.hpp) and the
// report (report/outbound_report.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct OutboundArgs {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string since, until;
  bool follow = false;
  bool check = false;
  // For --check, as `check` takes them.
  EngineArgs engine;
  std::size_t concurrency = 8;
};

// Exit codes of `outbound` (README "Exit codes").
inline constexpr int kOutboundAllTls = 0;      // every delivery the log judges used TLS
inline constexpr int kOutboundPlaintext = 1;   // some delivery went in plaintext
inline constexpr int kOutboundInputError = 3;  // an input could not be read, or held no delivery

CLI::App* add_outbound_command(CLI::App& app, OutboundArgs& args);
int run_outbound(const OutboundArgs& args);

}  // namespace intransit::cli
