// scan.hpp — `intransit scan`'s work (issue 16): the same audit as `check` (check::Engine, never
// a second implementation) over a population read lazily from a file, at most `concurrency`
// domains in flight, each unique MX address probed once (the engine's probe cache), politely
// (polite_gate.hpp), written as JSON Lines as each domain finishes (scan_file.hpp). --resume
// appends to a file cut short; SIGINT/SIGTERM stop taking new domains, let the ones in flight
// finish within their deadlines, and write a footer with "complete": false.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "check/engine.hpp"
#include "scan/polite_gate.hpp"
#include "scan/scan_file.hpp"
#include "scan/shard.hpp"

namespace intransit::scan {

struct ScanConfig {
  std::string input = "-";  // "-": standard input
  std::string output;       // "-": standard output (no --resume)
  unsigned column = 0;      // 1-based CSV column; 0: one domain a line
  Shard shard;
  bool resume = false;
  std::string exclude;  // opt-out list file, or empty
  std::string contact;  // who runs the scan (recorded in the header)
  Politeness politeness;
  std::size_t concurrency = 256;  // domains in flight (their DNS at once)
  // Finished per-address probes kept (each holds a transcript and a chain, ~10-30 KB): enough
  // for the shared providers; a rarely used address is probed again if it was evicted.
  std::size_t probe_cache_entries = 8192;
  bool progress = false;  // a progress line on `progress_out`
};

enum class ScanStatus : std::uint8_t {
  complete,     // every domain of the shard has its line
  interrupted,  // stopped by a signal: the footer says complete false, --resume finishes
  bad_setup,    // the options or the files do not work (nothing scanned)
  write_failed  // the output could not be written
};

struct ScanResult {
  ScanStatus status = ScanStatus::complete;
  std::string error;
  Tally tally;
  std::uint64_t connections = 0;  // SMTP probes started
};

// The header's "options": everything that changes results, which resume and merge compare.
nlohmann::json options_json(const ScanConfig& config, const check::EngineOptions& engine);

ScanResult run_scan(const ScanConfig& config, check::EngineOptions engine,
                    std::ostream& progress_out);

}  // namespace intransit::scan
