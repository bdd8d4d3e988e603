// client_command.hpp — `intransit client DOMAIN|ADDRESS`: which servers a mail client would use
// (SRV, autoconfig) and whether each leg (submission, imap, pop3) is protected. Parses and
// prints only; the work is check::audit_client (check/client_audit.hpp) on the engine.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct ClientArgs {
  std::string target;  // a domain, or an address whose domain part is used
  std::string format = "text";
  std::string require = "none";
  EngineArgs engine;
  bool verbose = false;
  bool no_private = false;
};

// Exit codes of `client` (as check's; README "Exit codes", docs/intransit.1).
inline constexpr int kClientMet = 0;       // every leg tested meets --require
inline constexpr int kClientBelow = 1;     // some leg is below --require
inline constexpr int kClientUntested = 3;  // some leg could not be tested (and none is below)

CLI::App* add_client_command(CLI::App& app, ClientArgs& args);
int run_client(const ClientArgs& args);

}  // namespace intransit::cli
