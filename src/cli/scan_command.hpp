// scan_command.hpp — `intransit scan` (the audit of `check` over a population, issue 16) and
// `intransit scan merge` (shards joined): parsing and printing only; the work is in src/scan.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct ScanArgs {
  std::string input;
  std::string output;
  unsigned column = 0;
  std::string shard;  // K/N; default from SLURM_ARRAY_TASK_* or JOB_COMPLETION_INDEX + --shards
  unsigned shards = 0;
  bool resume = false;
  std::string exclude;
  std::string contact;
  unsigned per_address = 1;
  double rate = 0;
  unsigned max_connections = 256;
  unsigned dns_concurrency = 256;
  bool quiet = false;
  bool sweep = false;
  EngineArgs engine;
  std::vector<std::string> merge_files;
};

// Exit codes (README "Exit codes", docs/intransit.1).
inline constexpr int kScanComplete = 0;     // every domain of the shard has its line
inline constexpr int kScanFailed = 1;       // the output could not be written; merge refused
inline constexpr int kScanUsage = 2;        // options, input, exclude list or resume mismatch
inline constexpr int kScanInterrupted = 4;  // stopped by SIGINT/SIGTERM (or merge: shards missing)

struct ScanCommands {
  CLI::App* scan = nullptr;
  CLI::App* merge = nullptr;
};
ScanCommands add_scan_command(CLI::App& app, ScanArgs& args);
int run_scan(const ScanArgs& args);
int run_scan_merge(const ScanArgs& args);

}  // namespace intransit::cli
