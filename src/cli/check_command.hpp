// check_command.hpp — `intransit check DOMAIN...`: wiring from the command line to the audit
// (check/audit.hpp), the verdict (check/verdict.hpp) and the report (report/check_report.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct CheckArgs {
  std::vector<std::string> domains;
  std::vector<std::string> locals;  // --address LOCAL: keys of LOCAL@DOMAIN beside the verdict
  std::string format = "text";
  std::string require = "none";
  EngineArgs engine;  // resolver, trust, EHLO name, deadlines
  bool sweep = false;
  bool verbose = false;
  bool no_private = false;  // refuse special-purpose addresses, as serve does (issue 18)
  int cert_warn_days = 21;  // --format nagios: WARNING when a certificate expires this soon
  int cert_crit_days = 7;   // … and CRITICAL
};

// Exit codes of `check` (README "Exit codes").
inline constexpr int kCheckMet = 0;       // every domain tested and meets --require
inline constexpr int kCheckBelow = 1;     // some domain is below --require
inline constexpr int kCheckUntested = 3;  // some domain could not be tested (none below)

CLI::App* add_check_command(CLI::App& app, CheckArgs& args);
int run_check(const CheckArgs& args);

}  // namespace intransit::cli
