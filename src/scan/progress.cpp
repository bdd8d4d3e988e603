// progress.cpp — see progress.hpp.
#include "scan/progress.hpp"

#include <cstdio>

namespace intransit::scan {

ProgressLine::ProgressLine(std::ostream& out, std::uint64_t total, std::uint64_t before)
    : out_(out), total_(total), before_(before) {}

std::string ProgressLine::text(const Tally& tally, std::uint64_t total, std::uint64_t before,
                               double seconds, std::size_t in_flight) {
  const std::uint64_t now = tally.domains > before ? tally.domains - before : 0;
  const double rate = seconds > 0 ? static_cast<double>(now) / seconds : 0;
  char head[160];
  std::snprintf(head, sizeof head, "%llu/%llu domains, %.1f/s, %zu in flight",
                static_cast<unsigned long long>(tally.domains),
                static_cast<unsigned long long>(total), rate, in_flight);
  std::string line = head;
  if (rate > 0 && total > tally.domains) {
    const auto left =
        static_cast<unsigned long long>(static_cast<double>(total - tally.domains) / rate);
    std::snprintf(head, sizeof head, ", ETA %llu:%02llu:%02llu", left / 3600, left / 60 % 60,
                  left % 60);
    line += head;
  }
  for (const auto& [verdict, n] : tally.counts) line += " " + verdict + " " + std::to_string(n);
  return line;
}

void ProgressLine::show(const Tally& tally, std::size_t in_flight) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  out_ << "\r\x1b[K" << text(tally, total_, before_, seconds, in_flight) << std::flush;
  shown_ = true;
}

void ProgressLine::finish(const Tally& tally) {
  show(tally, 0);
  out_ << "\n" << std::flush;
}

}  // namespace intransit::scan
