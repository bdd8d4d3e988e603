// scan_command.cpp — see scan_command.hpp. The shard defaults from the batch system's
// environment here (the library knows no environment): Slurm job arrays
// (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed
// Job (JOB_COMPLETION_INDEX of --shards N).
#include "cli/scan_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/usage.hpp"
#include "scan/merge.hpp"
#include "scan/scan.hpp"

namespace intransit::cli {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

// The shard: --shard, else Slurm's array task, else Kubernetes' completion index; 0/1 without.
std::optional<scan::Shard> shard_of(const ScanArgs& args, std::string& error) {
  std::string text = args.shard;
  if (text.empty() && env("SLURM_ARRAY_TASK_ID") != nullptr &&
      env("SLURM_ARRAY_TASK_COUNT") != nullptr) {
    const long id = std::strtol(env("SLURM_ARRAY_TASK_ID"), nullptr, 10);
    const long min =
        env("SLURM_ARRAY_TASK_MIN") ? std::strtol(env("SLURM_ARRAY_TASK_MIN"), nullptr, 10) : 0;
    text = std::to_string(id - min) + "/" + env("SLURM_ARRAY_TASK_COUNT");
  } else if (text.empty() && env("JOB_COMPLETION_INDEX") != nullptr) {
    if (args.shards == 0) {
      error = "JOB_COMPLETION_INDEX is set: give the number of shards with --shards N";
      return std::nullopt;
    }
    text = std::string(env("JOB_COMPLETION_INDEX")) + "/" + std::to_string(args.shards);
  }
  if (text.empty()) return scan::Shard{};
  auto shard = scan::parse_shard(text, error);
  if (!shard) error = "shard '" + text + "': " + error;
  return shard;
}

}  // namespace

ScanCommands add_scan_command(CLI::App& app, ScanArgs& args) {
  auto* cmd = app.add_subcommand(
      "scan", "The audit of check over a population of domains: politely, resumably, sharded");
  cmd->add_option("--input", args.input, "domains, one a line (or CSV with --column); - for stdin");
  cmd->add_option("--output", args.output,
                  "JSON Lines: a header, one intransit.check/1 document per domain, a footer");
  cmd->add_option("--column", args.column, "the domain is this CSV column (1-based)")
      ->check(CLI::Range(1U, 1000U));
  cmd->add_option("--shard", args.shard,
                  "scan shard K of N (K/N, 0-based) by a stable hash of the domain; default from "
                  "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX");
  cmd->add_option("--shards", args.shards, "shard count with JOB_COMPLETION_INDEX (Kubernetes)")
      ->check(CLI::Range(1U, scan::kMaxShards));
  cmd->add_flag("--resume", args.resume, "skip domains already in OUTPUT and append to it");
  cmd->add_option("--exclude", args.exclude,
                  "opt-out list: domains (and names under them), addresses, CIDR prefixes")
      ->check(CLI::ExistingFile);
  cmd->add_option("--contact", args.contact, "who runs this scan (recorded in the header)");
  cmd->add_option("--per-address", args.per_address, "connections at once to one address")
      ->check(CLI::Range(1U, 64U));
  cmd->add_option("--rate", args.rate, "new SMTP connections a second at most (0: no limit)")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--max-connections", args.max_connections, "SMTP connections open at once")
      ->check(CLI::Range(1U, 100000U));
  cmd->add_option("--dns-concurrency", args.dns_concurrency,
                  "domains in flight at once (their DNS lookups run together)")
      ->check(CLI::Range(1U, 100000U));
  cmd->add_flag("--quiet", args.quiet, "no progress line on a terminal");
  cmd->add_flag("--sweep", args.sweep, "also sweep TLS versions and suites (once per address)");
  add_engine_options(*cmd, args.engine);
  cmd->footer(
      "Exit codes: 0 complete, 1 the output could not be written, 2 usage error (also a "
      "--resume of another scan), 4 interrupted by SIGINT/SIGTERM (footer complete: false; "
      "run again with --resume).\n"
      "Example: intransit scan --input domains.txt --output out.jsonl --per-address 1 --rate 5\n"
      "         intransit scan --input domains.csv --column 2 --output shard.jsonl --shard 0/4");
  cmd->require_subcommand(0, 1);
  auto* merge = cmd->add_subcommand("merge", "Join the shards of one scan into one file (stdout)");
  merge->add_option("files", args.merge_files, "the shards' output files")->required();
  merge->footer(
      "Exit codes: 0 every shard there and complete, 1 refused (files from different scans), "
      "4 merged but shards are missing or unfinished (named on stderr).\n"
      "Example: intransit scan merge shard-*.jsonl > all.jsonl");
  return {cmd, merge};
}

int run_scan(const ScanArgs& args) {
  if (args.input.empty() || args.output.empty()) {
    std::cerr << "intransit scan: --input and --output are required (see --help)\n";
    return kScanUsage;
  }
  if (args.resume && args.output == "-") {
    std::cerr << "intransit scan: --resume needs an output file, not -\n";
    return kScanUsage;
  }
  std::string error;
  const auto shard = shard_of(args, error);
  if (!shard) {
    std::cerr << "intransit scan: " << error << "\n";
    return kScanUsage;
  }
  scan::ScanConfig config;
  config.input = args.input;
  config.output = args.output;
  config.column = args.column;
  config.shard = *shard;
  config.resume = args.resume;
  config.exclude = args.exclude;
  config.contact = args.contact;
  config.politeness.per_address = args.per_address;
  config.politeness.rate = args.rate;
  config.politeness.max_connections = args.max_connections;
  config.concurrency = args.dns_concurrency;
  config.progress = !args.quiet && isatty(STDERR_FILENO) != 0;
  check::EngineOptions engine = engine_options(args.engine);
  engine.sweep = args.sweep;
  const auto result = scan::run_scan(config, engine, std::cerr);
  switch (result.status) {
    case scan::ScanStatus::complete: return kScanComplete;
    case scan::ScanStatus::interrupted:
      std::cerr << "intransit scan: interrupted; " << result.tally.domains
                << " domain(s) in the file; run again with --resume to finish\n";
      return kScanInterrupted;
    case scan::ScanStatus::bad_setup:
      std::cerr << "intransit scan: " << result.error << "\n";
      return kScanUsage;
    case scan::ScanStatus::write_failed:
      std::cerr << "intransit scan: " << result.error << "\n";
      return kScanFailed;
  }
  return kScanFailed;
}

int run_scan_merge(const ScanArgs& args) {
  const auto result = scan::merge_shards(args.merge_files);
  if (!result.message.empty()) std::cerr << "intransit scan merge: " << result.message << "\n";
  switch (result.status) {
    case scan::MergeStatus::complete: return kScanComplete;
    case scan::MergeStatus::incomplete: return kScanInterrupted;
    case scan::MergeStatus::refused: return kScanFailed;
  }
  return kScanFailed;
}

}  // namespace intransit::cli
