// datetime.hpp — the date-time values of a TLS-RPT report's date-range (RFC 8460 §4.4:
// RFC 3339 date-time, §5.6). Strict RFC 3339 (fractions and numeric offsets included) is read as
// such; what real reporters write beside it (no zone, a space for the T, a bare date) is read too,
// and the reading says which tolerance it needed so the report can name it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace intransit::tlsrpt {

enum class DateTolerance : std::uint8_t {
  none,         // RFC 3339 date-time
  no_zone,      // "2026-12-01T00:00:00": read as UTC
  date_only,    // "2026-12-01": midnight UTC
  space_for_t,  // "2026-12-01 00:00:00Z"
};

struct DateTime {
  std::int64_t epoch = 0;  // seconds since 1970-01-01T00:00:00Z (fractions dropped)
  DateTolerance tolerance = DateTolerance::none;
};

std::optional<DateTime> parse_datetime(std::string_view text);

// "2026-12-01T00:00:00Z" and "2026-12-01" for an epoch second.
std::string format_datetime(std::int64_t epoch);
std::string format_day(std::int64_t epoch);

}  // namespace intransit::tlsrpt
