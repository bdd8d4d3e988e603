// tlsrpt_command.hpp — `intransit tlsrpt [--store FILE] [--format text|json] INPUT...`: reads
// TLS-RPT reports (RFC 8460) from files, messages, mailboxes and directories (tlsrpt/ingest.hpp)
// and explains them (tlsrpt/summary.hpp, tlsrpt/render.hpp); --verify re-tests what failed with
// the engine (tlsrpt/verify.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"
#include "cli/tlsrpt_generate_command.hpp"

namespace intransit::cli {

struct TlsrptArgs {
  std::vector<std::string> inputs;
  std::string store;
  std::string format = "text";
  bool verify = false;  // re-test what failed, now, with the engine (tlsrpt/verify.hpp)
  EngineArgs engine;
  TlsrptGenerateArgs generate;       // `tlsrpt generate`
  CLI::App* generate_cmd = nullptr;  // parsed() when it was given
};

// Exit codes of `tlsrpt` (README "Exit codes").
inline constexpr int kTlsrptNoFailure = 0;   // every report read; no failed session reported
inline constexpr int kTlsrptFailures = 1;    // some report has failed sessions
inline constexpr int kTlsrptInputError = 3;  // something quarantined or unreadable, or no report
inline constexpr int kTlsrptUntested = 4;    // --verify: a re-test could not run, none still fails

CLI::App* add_tlsrpt_command(CLI::App& app, TlsrptArgs& args);
int run_tlsrpt(const TlsrptArgs& args);

}  // namespace intransit::cli
