// syslog_line.hpp — the prefix every syslog line carries: its timestamp, the host that logged
// it, the program ("postfix/smtp", "sm-mta", "exim") with its process id, and the message.
// Timestamps in the BSD form of RFC 3164 §4.1.2 ("Dec  2 12:00:01", no year, no zone) and in the
// RFC 3339 §5.6 form rsyslog writes ("2026-12-02T12:00:01.123456+00:00"). Pure.
//
// Year inference for RFC 3164 stamps: the year is the current one, unless that puts the line
// more than a day in the future, then the year before (a December line read in January). Times
// without a zone are taken as UTC. Both rules are explained in `outbound --help`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace intransit::logs {

struct LogTime {
  std::int64_t epoch = 0;  // seconds, UTC
  std::int32_t micros = 0;
  bool known = false;
};

// What year inference needs: "now", fixed once per run so every line is judged alike.
struct TimeContext {
  std::int64_t now = 0;  // seconds since the epoch
  int now_year = 1970;
  static TimeContext at(std::int64_t now);
};

struct SyslogLine {
  LogTime time;
  std::string_view host;
  std::string_view program;  // "postfix/smtp"
  std::string_view pid;      // digits, "" when the line has none
  std::string_view message;  // after "program[pid]: "
};

// nullopt when `line` does not start with a syslog timestamp, host and program.
std::optional<SyslogLine> parse_syslog(std::string_view line, const TimeContext& ctx);

// "2026-12-02T12:00:01.5+01:00", "2026-12-02 12:00:01", "2026-12-02" (as UTC); nullopt if not.
std::optional<LogTime> parse_rfc3339(std::string_view s);
// "Dec  2 12:00:01[.frac]" at the start of `s`; `used` is set to the bytes it took.
std::optional<LogTime> parse_rfc3164(std::string_view s, const TimeContext& ctx, std::size_t& used);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
// "2026-12-02T12:00:01Z" or "2026-12-02T12:00:01.123456Z" when micros is non-zero.
std::string format_time(std::int64_t epoch, std::int32_t micros);
// The same text appended to `out`.
void append_time(std::string& out, std::int64_t epoch, std::int32_t micros);

// Reads exactly `n` ASCII digits at s[pos]; -1 when they are not all digits.
int read_digits(std::string_view s, std::size_t pos, std::size_t n);

}  // namespace intransit::logs
