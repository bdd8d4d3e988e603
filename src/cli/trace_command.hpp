// trace_command.hpp — `intransit trace FILE|MBOX|MAILDIR|-`: wiring from the command line to the
// message reader (trace/message.hpp) and the report (report/trace_report.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace intransit::cli {

struct TraceArgs {
  std::string input;
  std::string format = "text";
  std::vector<std::string> trusted_domains;
  std::vector<std::string> trusted_hosts;
  bool summary_only = false;
};

// Exit codes of `trace` (README "Exit codes").
inline constexpr int kTraceAllTls = 0;        // every message's hops with evidence used TLS
inline constexpr int kTracePlaintextHop = 1;  // some message had a plaintext hop
inline constexpr int kTraceInputError =
    3;  // the input (or part of it) could not be read, or held no message

CLI::App* add_trace_command(CLI::App& app, TraceArgs& args);
int run_trace(const TraceArgs& args);

}  // namespace intransit::cli
