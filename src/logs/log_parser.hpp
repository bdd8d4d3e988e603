// log_parser.hpp — one log line at a time, whatever wrote it: a syslog line (RFC 3164 or RFC 3339
// stamp) from Postfix, Sendmail or Exim, or a line of Exim's own main log; or a record already
// split into fields (journald). Dispatches to the MTA readers, which emit deliveries, and counts
// what each line was. Pure: no I/O, the fuzz target drives it directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "logs/exim.hpp"
#include "logs/postfix.hpp"
#include "logs/sendmail.hpp"

namespace intransit::logs {

// Unparsed lines kept as examples for the report.
inline constexpr std::size_t kUnparsedSamples = 3;

struct LineStats {
  std::uint64_t lines = 0;       // every line read, cut ones included
  std::uint64_t deliveries = 0;  // delivery lines (one line can hold several Sendmail recipients)
  std::uint64_t tls = 0;         // TLS lines joined or waiting to be
  std::uint64_t ignored = 0;     // log lines of no interest (other programs, other events)
  std::uint64_t unparsed = 0;    // lines that are no log line we know, or broken ones
  std::uint64_t cut = 0;         // lines longer than the line cap, skipped (not parsed)
  std::uint64_t evicted = 0;     // TLS lines dropped unjoined because too many processes waited
  std::vector<std::string> unparsed_samples;  // raw bytes; escape before printing
};

class LogParser {
 public:
  LogParser(const TimeContext& ctx, bool tls_logged,
            std::size_t max_pending = limits::kPendingJoins);
  void feed_line(std::string_view raw, const EmitDelivery& emit);
  // A record with its fields separated (journald): `program` is SYSLOG_IDENTIFIER.
  void feed_record(const LogTime& time, std::string_view host, std::string_view program,
                   std::string_view pid, std::string_view message, std::string_view raw,
                   const EmitDelivery& emit);
  void note_cut_line() {
    ++stats_.lines;
    ++stats_.cut;
  }
  void note_unparsed(std::string_view raw);
  LineStats stats() const;
  // Whether the MTA writes TLS lines, so that a delivery without one was plaintext.
  bool tls_logged() const { return tls_logged_; }
  const TimeContext& time_context() const { return ctx_; }

 private:
  void count(LineUse use, std::string_view raw);
  LineUse dispatch(const SyslogLine& line, std::string_view raw, const EmitDelivery& emit);
  TimeContext ctx_;
  bool tls_logged_;
  PostfixReader postfix_;
  SendmailReader sendmail_;
  LineStats stats_;
};

}  // namespace intransit::logs
