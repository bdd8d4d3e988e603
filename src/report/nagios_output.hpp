// nagios_output.hpp — `check --format nagios`: the result as a monitoring plugin for Nagios,
// Icinga, Naemon and Sensu (Monitoring Plugins Development Guidelines): one status line
// "INTRANSIT OK|WARNING|CRITICAL|UNKNOWN - …", performance data after '|', the findings as long
// output, and the plugin exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace intransit::report {

enum class PluginState : std::uint8_t { ok = 0, warning = 1, critical = 2, unknown = 3 };

struct NagiosOptions {
  std::string require = "none";  // enforced, opportunistic, partial, none (as check --require)
  int cert_warn_days = 21;       // WARNING when a leaf certificate expires within this many days
  int cert_crit_days = 7;        // CRITICAL within this many (or already expired)
};

struct NagiosResult {
  PluginState state = PluginState::unknown;
  std::string text;  // the whole plugin output, ending in '\n'
};

// The state of one domain, by these rules (docs/intransit.1, "Monitoring plugin"):
// untested → UNKNOWN; broken → CRITICAL; below --require → CRITICAL; with --require none,
// plaintext or partial → WARNING; a leaf certificate within cert_crit_days → CRITICAL, within
// cert_warn_days → WARNING; otherwise OK. Several domains: the worst (CRITICAL > WARNING >
// UNKNOWN > OK).
PluginState domain_state(const nlohmann::json& check_doc, const NagiosOptions& options,
                         std::int64_t now);

NagiosResult nagios_output(const std::vector<nlohmann::json>& check_docs,
                           const NagiosOptions& options, std::int64_t now);

}  // namespace intransit::report
