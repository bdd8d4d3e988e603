// probe_command.hpp — `intransit probe HOST[:PORT]`: wiring from the command line to the probe
// engine (smtp/probe.hpp) and the report (report/probe_report.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct ProbeArgs {
  std::string target;
  std::string name;
  int port = 0;  // 0: from the target, else 25
  std::string format = "text";
  std::string protocol;  // empty: from the port (smtp/probe.hpp protocol_for_port)
  EngineArgs engine;     // resolver, trust, EHLO name, deadlines: a name resolves as in check
  bool verbose = false;
  bool sweep = false;
};

// Exit codes of `probe` (README "Exit codes").
inline constexpr int kProbeAllTested = 0;
inline constexpr int kProbeSomeUntested = 1;
inline constexpr int kProbeNoAddress = 3;

CLI::App* add_probe_command(CLI::App& app, ProbeArgs& args);
int run_probe(const ProbeArgs& args);

}  // namespace intransit::cli
