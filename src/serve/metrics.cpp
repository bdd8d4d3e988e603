// metrics.cpp — see metrics.hpp.
#include "serve/metrics.hpp"

#include <fmt/format.h>

namespace intransit::serve {
namespace {

void histogram_lines(std::string& out, std::string_view name, std::string_view labels,
                     const std::array<std::uint64_t, Metrics::kBuckets.size()>& buckets,
                     std::uint64_t count, double sum) {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    cumulative += buckets[i];
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, Metrics::kBuckets[i],
                       cumulative);
  }
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, count);
  const std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {:.6f}\n{}_count{} {}\n", name, braces, sum, name, braces, count);
}

}  // namespace

void Metrics::Histogram::observe(double seconds) {
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++buckets[i];
      break;
    }
  }
  ++count;
  sum += seconds;
}

void Metrics::count_check(std::string_view outcome, double seconds) {
  ++checks_[std::string(outcome)];
  check_seconds_.observe(seconds);
}

void Metrics::count_request(std::string_view route, unsigned status, double seconds) {
  ++requests_[{std::string(route), status}];
  auto it = request_seconds_.find(route);
  if (it == request_seconds_.end())
    it = request_seconds_.emplace(std::string(route), Histogram{}).first;
  it->second.observe(seconds);
}

void Metrics::count_refusal(std::string_view why) {
  ++refusals_[std::string(why)];
}

void Metrics::count_alert(std::string_view kind, bool delivered) {
  ++alerts_[{std::string(kind), delivered}];
}

std::string Metrics::render() const {
  std::string out;
  out +=
      "# HELP intransit_checks_total Audits run by serve, by outcome (verdict or error).\n"
      "# TYPE intransit_checks_total counter\n";
  for (const auto& [outcome, n] : checks_)
    out += fmt::format("intransit_checks_total{{outcome=\"{}\"}} {}\n", outcome, n);
  out +=
      "# HELP intransit_check_run_seconds How long serve's audits took.\n"
      "# TYPE intransit_check_run_seconds histogram\n";
  histogram_lines(out, "intransit_check_run_seconds", "", check_seconds_.buckets,
                  check_seconds_.count, check_seconds_.sum);
  out +=
      "# HELP intransit_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE intransit_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("intransit_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n", key.first,
                       key.second, n);
  out +=
      "# HELP intransit_http_request_duration_seconds Time to answer a request, by route.\n"
      "# TYPE intransit_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : request_seconds_)
    histogram_lines(out, "intransit_http_request_duration_seconds",
                    fmt::format("route=\"{}\"", route), h.buckets, h.count, h.sum);
  out +=
      "# HELP intransit_http_refusals_total Requests refused before any work, by reason.\n"
      "# TYPE intransit_http_refusals_total counter\n";
  for (const auto& [why, n] : refusals_)
    out += fmt::format("intransit_http_refusals_total{{reason=\"{}\"}} {}\n", why, n);
  out +=
      "# HELP intransit_alerts_total Alerts raised by the monitor, by kind and delivery.\n"
      "# TYPE intransit_alerts_total counter\n";
  for (const auto& [key, n] : alerts_)
    out += fmt::format("intransit_alerts_total{{kind=\"{}\",delivered=\"{}\"}} {}\n", key.first,
                       key.second ? "true" : "false", n);
  return out;
}

}  // namespace intransit::serve
