// engine_args.hpp — the options every command that runs the audit engine takes (check, probe,
// outbound --check), declared once with their checks (cli/usage.hpp) and turned into
// check::EngineOptions once, so the commands cannot drift apart.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "check/engine.hpp"

namespace intransit::cli {

struct EngineArgs {
  std::string resolver;      // forward DNS to this resolver (still validated here)
  std::string root_hints;    // a private root, like the lab's
  std::string trust_anchor;  // DNSSEC trust anchor file
  std::string ca_file;       // certificate trust anchors instead of the system store
  std::string helo = "intransit.invalid";
  double timeout = 120;     // whole probe of one address, sweep included, seconds
  double dns_timeout = 10;  // one DNS lookup, seconds
};

// Adds --resolver, --root-hints, --trust-anchor, --ca-file, --helo, --timeout and --dns-timeout
// to `cmd`; `when` starts each help text (e.g. "--check: " for a command where they only apply
// then).
void add_engine_options(CLI::App& cmd, EngineArgs& args, const std::string& when = "");

// The engine's options from the command line's (sweep and the rest are the caller's).
check::EngineOptions engine_options(const EngineArgs& args);

}  // namespace intransit::cli
