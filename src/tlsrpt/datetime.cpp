// datetime.cpp — see datetime.hpp. Civil-date arithmetic after Howard Hinnant's days_from_civil.
#include "tlsrpt/datetime.hpp"

#include <cstdio>

namespace intransit::tlsrpt {
namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

unsigned days_in_month(unsigned y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// The zone at `pos` (Z or ±HH:MM) as seconds east of UTC; false when malformed.
bool zone(std::string_view s, std::size_t& pos, std::int64_t& offset) {
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
    offset = 0;
    return true;
  }
  if (s[pos] != '+' && s[pos] != '-') return false;
  const int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  unsigned hh = 0, mm = 0;
  if (!digits(s, pos, 2, hh) || !expect(s, pos, ':') || !digits(s, pos, 2, mm)) return false;
  if (hh > 23 || mm > 59) return false;
  offset = sign * static_cast<std::int64_t>(hh * 3600 + mm * 60);
  return true;
}

}  // namespace

std::optional<DateTime> parse_datetime(std::string_view s) {
  std::size_t pos = 0;
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, pos, 4, y) || !expect(s, pos, '-') || !digits(s, pos, 2, mo) ||
      !expect(s, pos, '-') || !digits(s, pos, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  DateTime out;
  const std::int64_t day = days_from_civil(y, mo, d);
  if (pos == s.size()) return DateTime{day * 86400, DateTolerance::date_only};
  if (s[pos] == ' ') {
    out.tolerance = DateTolerance::space_for_t;
  } else if (s[pos] != 'T' && s[pos] != 't') {
    return std::nullopt;
  }
  ++pos;
  if (!digits(s, pos, 2, h) || !expect(s, pos, ':') || !digits(s, pos, 2, mi) ||
      !expect(s, pos, ':') || !digits(s, pos, 2, se))
    return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;  // 60: a leap second (RFC 3339 §5.7)
  if (pos < s.size() && s[pos] == '.') {                  // time-secfrac: RFC 3339 allows it
    ++pos;
    const std::size_t first = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == first) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (pos == s.size()) {
    out.tolerance = DateTolerance::no_zone;
  } else if (!zone(s, pos, offset) || pos != s.size()) {
    return std::nullopt;
  }
  out.epoch = day * 86400 + h * 3600 + mi * 60 + se - offset;
  return out;
}

std::string format_datetime(std::int64_t epoch) {
  std::int64_t days = epoch / 86400;
  std::int64_t rem = epoch % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

std::string format_day(std::int64_t epoch) {
  return format_datetime(epoch).substr(0, 10);
}

}  // namespace intransit::tlsrpt
