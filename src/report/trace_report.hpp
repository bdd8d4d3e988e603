// trace_report.hpp — `trace` results: one JSON object per message (schema "intransit.trace/1",
// docs/json-schema.md), a summary object for mailboxes (schema "intransit.trace-summary/1"),
// and text for people: per message its path hop by hop with the evidence, per mailbox the share
// of all-TLS paths, TLS versions seen, plaintext hops by relay, and per sender domain its
// messages' weakest hops (which domains still arrive over TLS 1.0 or in plaintext).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>

#include "trace/message.hpp"

namespace intransit::report {

inline constexpr const char* kTraceSchema = "intransit.trace/1";
inline constexpr const char* kTraceSummarySchema = "intransit.trace-summary/1";

nlohmann::json trace_to_json(const trace::MessageTrace& message);
void write_trace_text(std::ostream& out, const trace::MessageTrace& message, bool colour);

class TraceSummary {
 public:
  void add(const trace::MessageTrace& message);
  std::size_t messages() const { return messages_; }
  nlohmann::json to_json() const;
  void write_text(std::ostream& out) const;

 private:
  struct Counts {
    std::size_t messages = 0;
    std::size_t all_tls = 0;
    std::size_t plaintext = 0;
    // Messages by their weakest hop: "plaintext", "SSLv3", "TLSv1.0" ... "TLS (version not stated)".
    std::map<std::string, std::size_t, std::less<>> by_weakest;
  };
  std::size_t messages_ = 0;
  std::size_t unreadable_ = 0;
  Counts total_;
  // std::less<>: looked up by string_view, so a key is built only the first time it is seen.
  std::map<std::string, std::size_t, std::less<>> hop_versions_;      // "TLSv1.3" / "TLS (version not stated)" / "plaintext"
  std::map<std::string, std::size_t, std::less<>> plaintext_relays_;  // by-host of plaintext hops
  std::map<std::string, Counts, std::less<>> sender_domains_;
};

}  // namespace intransit::report
