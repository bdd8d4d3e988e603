// sink_report.cpp — see sink_report.hpp.
#include "report/sink_report.hpp"

#include <iomanip>

namespace intransit::report {
namespace {

nlohmann::json attempt_json(const std::string& client, const std::string& scenario,
                            const sink::Attempt& a) {
  nlohmann::json j{{"session", a.session},
                   {"time", a.time},
                   {"client", client},
                   {"scenario", scenario},
                   {"starttls_offered", a.starttls_offered},
                   {"tls", a.tls == sink::TlsOutcome::ok},
                   {"tls_outcome", std::string(to_string(a.tls))},
                   {"tls_version", a.tls_version.empty() ? nullptr : nlohmann::json(a.tls_version)},
                   {"tls_cipher", a.tls_cipher.empty() ? nullptr : nlohmann::json(a.tls_cipher)},
                   {"sni", a.sni.empty() ? nullptr : nlohmann::json(a.sni)},
                   {"delivered", a.delivered > 0},
                   {"messages_accepted", a.delivered},
                   {"messages_rejected", a.rejected},
                   {"plaintext_retry", a.plaintext_retry},
                   {"requiretls", a.requiretls},
                   {"end", a.end_reason}};
  if (!a.tls_error.empty()) j["tls_error"] = a.tls_error;
  return j;
}

const char* colour_of(sink::SenderVerdict verdict) {
  switch (verdict) {
    case sink::SenderVerdict::plaintext_fallback: return "\033[31m";
    case sink::SenderVerdict::accepts_any_certificate: return "\033[33m";
    case sink::SenderVerdict::verifies: return "\033[32m";
    case sink::SenderVerdict::untested: return "\033[2m";
  }
  return "\033[2m";
}

std::string tls_cell(const sink::Attempt& a) {
  switch (a.tls) {
    case sink::TlsOutcome::ok: return a.tls_version;
    case sink::TlsOutcome::refused: return "refused (454)";
    case sink::TlsOutcome::failed: return "handshake failed";
    case sink::TlsOutcome::none: return a.starttls_offered ? "not used" : "not offered";
  }
  return "";
}

}  // namespace

nlohmann::json sink_report_to_json(const std::vector<sink::SenderJudgement>& senders,
                                   const std::string& store) {
  nlohmann::json out{
      {"schema", kSinkReportSchema}, {"store", store}, {"senders", nlohmann::json::array()}};
  for (const auto& s : senders) {
    nlohmann::json sender{{"client", s.client},
                          {"ehlo", s.ehlo_names},
                          {"verdict", to_string(s.verdict)},
                          {"verdict_text", verdict_text(s.verdict)},
                          {"behaviours", nlohmann::json::array()},
                          {"scenarios", nlohmann::json::array()},
                          {"attempts", nlohmann::json::array()}};
    for (const auto& b : s.behaviours) {
      sender["behaviours"].push_back({{"id", to_string(b.id)},
                                      {"severity", std::string(to_string(b.severity))},
                                      {"text", b.text},
                                      {"scenarios", b.scenarios}});
    }
    for (const auto& sc : s.scenarios) {
      sender["scenarios"].push_back({{"scenario", sc.scenario},
                                     {"sessions", sc.attempts.size()},
                                     {"delivered_tls", sc.delivered_tls},
                                     {"delivered_plaintext", sc.delivered_plaintext}});
      for (const auto& a : sc.attempts)
        sender["attempts"].push_back(attempt_json(s.client, sc.scenario, a));
    }
    out["senders"].push_back(std::move(sender));
  }
  return out;
}

void write_sink_report_text(std::ostream& out, const std::vector<sink::SenderJudgement>& senders,
                            bool colour) {
  if (senders.empty()) {
    out << "No sessions recorded yet: point a sending server at the sink's scenarios first.\n";
    return;
  }
  const std::string off = colour ? "\033[0m" : "";
  for (const auto& s : senders) {
    out << (colour ? colour_of(s.verdict) : "") << "Sender " << s.client;
    if (!s.ehlo_names.empty()) {
      out << " (EHLO";
      for (const auto& e : s.ehlo_names) out << " " << e;
      out << ")";
    }
    out << ": " << verdict_text(s.verdict) << off << "\n\n";
    out << "  " << std::left << std::setw(18) << "scenario" << std::setw(10) << "sessions"
        << std::setw(20) << "TLS (last)"
        << "delivered\n";
    for (const auto& sc : s.scenarios) {
      const auto& last = sc.attempts.back();
      std::string delivered = "no";
      if (sc.delivered_tls > 0) delivered = std::to_string(sc.delivered_tls) + " over TLS";
      if (sc.delivered_plaintext > 0) {
        delivered = (sc.delivered_tls > 0 ? delivered + ", " : std::string()) +
                    std::to_string(sc.delivered_plaintext) + " in plaintext";
      }
      const bool retry = std::any_of(sc.attempts.begin(), sc.attempts.end(),
                                     [](const sink::Attempt& a) { return a.plaintext_retry; });
      if (retry) delivered += " (retried without TLS)";
      out << "  " << std::setw(18) << sc.scenario << std::setw(10) << sc.attempts.size()
          << std::setw(20) << tls_cell(last) << delivered << "\n";
    }
    out << "\n";
    for (const auto& b : s.behaviours) {
      out << "  " << std::setw(7) << to_string(b.severity) << b.text << "  [";
      for (std::size_t i = 0; i < b.scenarios.size(); ++i) out << (i ? ", " : "") << b.scenarios[i];
      out << "]\n";
    }
    out << "\n";
  }
}

}  // namespace intransit::report
