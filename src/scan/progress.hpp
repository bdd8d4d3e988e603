// progress.hpp — the scan's progress line on a terminal (issue 16 "Progress"): domains done of
// the shard's total, the rate, the time left, domains in flight and the verdicts so far,
// rewritten in place once a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "scan/scan_file.hpp"

namespace intransit::scan {

class ProgressLine {
 public:
  // `total`: the shard's names (duplicates included); `before`: lines already in a resumed file.
  ProgressLine(std::ostream& out, std::uint64_t total, std::uint64_t before);
  void show(const Tally& tally, std::size_t in_flight);
  void finish(const Tally& tally);

  // The words of one line (tested without a terminal).
  static std::string text(const Tally& tally, std::uint64_t total, std::uint64_t before,
                          double seconds, std::size_t in_flight);

 private:
  std::ostream& out_;
  std::uint64_t total_;
  std::uint64_t before_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool shown_ = false;
};

}  // namespace intransit::scan
