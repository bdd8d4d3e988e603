// outbound_report.hpp — `outbound` results: one JSON Lines record per delivery and a last
// summary record (schema "intransit.outbound/1", docs/json-schema.md), and text for people: the
// summary first (how many deliveries left over TLS, which domains got plaintext, how many were
// authenticated), then per destination domain, worst first, and what was not understood in the
// logs. With --check, the enforcement advice as Postfix smtp_tls_policy_maps lines and Exim
// transport options. Every string from a log is escaped (core/text.hpp printable(),
// RELIABILITY.md item 51).
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "logs/advice.hpp"
#include "logs/log_parser.hpp"
#include "logs/tally.hpp"

namespace intransit::report {

inline constexpr const char* kOutboundSchema = "intransit.outbound/1";

// Inputs read and what went wrong with each.
struct OutboundInput {
  std::string path;
  std::string error;  // empty when read to the end
};

struct OutboundRun {
  const logs::Tally* tally = nullptr;
  logs::LineStats lines;
  std::uint64_t outside_period = 0;  // deliveries before --since or after --until
  std::vector<OutboundInput> inputs;
  bool tls_logged = false;
  const std::vector<logs::Advice>* advice = nullptr;  // with --check
};

nlohmann::json delivery_to_json(const logs::Delivery& d);
// One line of JSON (no newline).
std::string delivery_to_json_line(const logs::Delivery& d);
// The same line appended to `out` (no newline): `outbound --format json` batches a million of
// them into large writes without a string per delivery.
void append_delivery_json_line(std::string& out, const logs::Delivery& d);
nlohmann::json outbound_summary_to_json(const OutboundRun& run);

// One line for a delivery as it is seen (--follow, text).
void write_delivery_text(std::ostream& out, const logs::Delivery& d);
void write_outbound_text(std::ostream& out, const OutboundRun& run);

// "12,345"
std::string thousands(std::uint64_t n);

}  // namespace intransit::report
