// trace_report.hpp — `trace` results: one JSON object per message (schema "intransit.trace/1",
// docs/json-schema.md), a summary object for mailboxes (schema "intransit.trace-summary/1"),
// and text for people: per message its path hop by hop with the evidence, per mailbox the share
// of all-TLS paths, TLS versions seen, plaintext hops by relay, and per sender domain its
// messages' weakest hops (which domains still arrive over TLS 1.0 or in plaintext).
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>

#include "trace/message.hpp"

namespace intransit::report {

inline constexpr const char* kTraceSchema = "intransit.trace/1";
inline constexpr const char* kTraceSummarySchema = "intransit.trace-summary/1";

nlohmann::json trace_to_json(const trace::MessageTrace& message);
void write_trace_text(std::ostream& out, const trace::MessageTrace& message, bool colour);

class TraceSummary {
 public:
  void add(const trace::MessageTrace& message);
  // What the reader said besides the messages: a file that changed, parts that could not be read.
  void set_read_outcome(const trace::ReadOutcome& outcome) { outcome_ = outcome; }
  std::size_t messages() const { return messages_; }
  std::size_t unreadable() const { return unreadable_; }
  nlohmann::json to_json() const;
  void write_text(std::ostream& out) const;

 private:
  // Counts per protection label, weakest first: plaintext, SSLv3, TLSv1.0 ... TLSv1.3, TLS of a
  // version not stated (a closed set: an array index instead of a map lookup per hop).
  using ByProtection = std::array<std::size_t, 7>;
  struct Counts {
    std::size_t messages = 0;
    std::size_t all_tls = 0;
    std::size_t plaintext = 0;
    ByProtection by_weakest{};  // messages by their weakest hop
  };
  // Looked up by string_view (transparent hash), so a key is built only the first time it is seen.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename T>
  using ByName = std::unordered_map<std::string, T, Hash, std::equal_to<>>;
  std::size_t messages_ = 0;
  std::size_t unreadable_ = 0;
  std::size_t header_cut_ = 0;  // messages whose header a cap cut (message_cut.hpp)
  trace::ReadOutcome outcome_;
  Counts total_;
  ByProtection hop_versions_{};
  ByName<std::size_t> plaintext_relays_;  // by-host of plaintext hops
  ByName<Counts> sender_domains_;
};

}  // namespace intransit::report
