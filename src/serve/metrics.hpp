// metrics.hpp — `serve`'s own counters for /metrics (Prometheus text exposition format 0.0.4):
// checks by outcome, requests by route and status, request latency as a histogram, refusals.
// Labels come from closed lists only (route templates, verdict words, status codes), so a
// stranger cannot grow the series count. The monitored domains' facts are rendered from their
// stored check documents by report/prometheus_output.hpp, with the same names as `check
// --format prometheus`.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace intransit::serve {

class Metrics {
 public:
  // `outcome`: the verdict word, or "error" when the audit could not run.
  void count_check(std::string_view outcome, double seconds);
  void count_request(std::string_view route, unsigned status, double seconds);
  void count_refusal(std::string_view why);  // "rate-limited", "busy"
  void count_alert(std::string_view kind, bool delivered);
  std::string render() const;

  static constexpr std::array<double, 10> kBuckets{0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
    void observe(double seconds);
  };
  std::map<std::string, std::uint64_t, std::less<>> checks_;
  Histogram check_seconds_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, Histogram, std::less<>> request_seconds_;
  std::map<std::string, std::uint64_t, std::less<>> refusals_;
  std::map<std::pair<std::string, bool>, std::uint64_t> alerts_;
};

}  // namespace intransit::serve
