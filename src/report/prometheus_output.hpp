// prometheus_output.hpp — `check --format prometheus`: check results in the Prometheus text
// exposition format (version 0.0.4), for node_exporter's textfile collector; `serve`'s
// /metrics uses the same names. Names follow Prometheus' conventions: the `intransit_` prefix,
// base units (seconds, timestamps in seconds since the epoch), state sets as one series per
// state with value 0 or 1, and labels drawn from closed lists or from the domain's own MX hosts.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace intransit::report {

// `measured_at`: when the checks ended (seconds since the epoch), for
// intransit_check_timestamp_seconds.
std::string prometheus_output(const std::vector<nlohmann::json>& check_docs,
                              std::int64_t measured_at);
// The same with each document's own time (`serve`: every monitored domain's last check).
std::string prometheus_output(const std::vector<nlohmann::json>& check_docs,
                              const std::vector<std::int64_t>& measured_at);

// A label value escaped for the exposition format: backslash, double quote and line feed
// escaped; other control characters and invalid UTF-8 replaced by U+FFFD, which the format
// allows and every scraper reads.
std::string prometheus_label_value(const std::string& value);

}  // namespace intransit::report
