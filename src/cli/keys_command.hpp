// keys_command.hpp — `intransit keys ADDRESS...` (issue 21): can a sender encrypt to these
// addresses end to end, and how would it find the key? Parses arguments, runs the engine's
// keys audit (check/keys_audit.hpp) and prints (report/keys_report.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct KeysArgs {
  std::vector<std::string> addresses;
  std::string format = "text";
  EngineArgs engine;  // resolver, trust anchors, CA file, deadlines
  bool verbose = false;
};

// Exit codes of `keys` (README "Exit codes").
inline constexpr int kKeysReady = 0;     // every address has a usable key
inline constexpr int kKeysNotReady = 1;  // some address has none or only unusable ones
inline constexpr int kKeysUntested = 3;  // some address could not be tested (none not ready)

CLI::App* add_keys_command(CLI::App& app, KeysArgs& args);
int run_keys(const KeysArgs& args);

}  // namespace intransit::cli
