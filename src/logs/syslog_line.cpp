// syslog_line.cpp — see syslog_line.hpp. RFC 3164 §4.1.2 (BSD timestamp), RFC 3339 §5.6.
#include "logs/syslog_line.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace intransit::logs {

namespace {

constexpr std::int64_t kDay = 86400;

int month_number(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (m == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

// ".123456" at s[pos]: up to six digits kept as microseconds; `pos` moves past all digits.
std::int32_t read_fraction(std::string_view s, std::size_t& pos) {
  if (pos >= s.size() || s[pos] != '.') return 0;
  ++pos;
  std::int32_t micros = 0;
  int digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (digits < 6) {
      micros = micros * 10 + (s[pos] - '0');
      ++digits;
    }
    ++pos;
  }
  for (; digits < 6; ++digits) micros *= 10;
  return micros;
}

bool valid_clock(int h, int mi, int sec) {
  return h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec <= 60;
}

}  // namespace

int read_digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

TimeContext TimeContext::at(std::int64_t now) {
  TimeContext ctx;
  ctx.now = now;
  const std::time_t t = now;
  std::tm tm{};
  gmtime_r(&t, &tm);
  ctx.now_year = tm.tm_year + 1900;
  return ctx;
}

namespace {

// The seconds of a BSD stamp ("Dec  2 12:00:01") as epoch seconds, or nullopt.
std::optional<std::int64_t> rfc3164_seconds(std::string_view s, const TimeContext& ctx) {
  if (s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':') return std::nullopt;
  const int month = month_number(s.substr(0, 3));
  const int day = s[4] == ' ' ? read_digits(s, 5, 1) : read_digits(s, 4, 2);
  const int h = read_digits(s, 7, 2), mi = read_digits(s, 10, 2), sec = read_digits(s, 13, 2);
  if (month == 0 || day < 1 || day > 31 || !valid_clock(h, mi, sec)) return std::nullopt;
  const std::int64_t clock = h * 3600 + mi * 60 + sec;
  const auto m = static_cast<unsigned>(month);
  const auto d = static_cast<unsigned>(day);
  std::int64_t epoch = days_from_civil(ctx.now_year, m, d) * kDay + clock;
  if (epoch > ctx.now + kDay) epoch = days_from_civil(ctx.now_year - 1, m, d) * kDay + clock;
  return epoch;
}

// The last stamp read on this thread: a log's lines come many to a second, so most lines repeat
// the previous line's first 15 bytes (the syslog prefix was a tenth of `outbound`'s CPU).
struct StampMemo {
  std::array<char, 15> text{};
  std::int64_t now = 0;
  int now_year = 0;
  std::int64_t epoch = 0;
  bool valid = false;
};

}  // namespace

std::optional<LogTime> parse_rfc3164(std::string_view s, const TimeContext& ctx,
                                     std::size_t& used) {
  // "Dec  2 12:00:01": month, space, day padded with a space or a zero, space, clock.
  thread_local StampMemo memo;
  if (s.size() < 15) return std::nullopt;
  if (!memo.valid || memo.now != ctx.now || memo.now_year != ctx.now_year ||
      std::memcmp(s.data(), memo.text.data(), memo.text.size()) != 0) {
    const auto epoch = rfc3164_seconds(s, ctx);
    if (!epoch) return std::nullopt;
    std::memcpy(memo.text.data(), s.data(), memo.text.size());
    memo.now = ctx.now;
    memo.now_year = ctx.now_year;
    memo.epoch = *epoch;
    memo.valid = true;
  }
  std::size_t pos = 15;
  LogTime t;
  t.micros = read_fraction(s, pos);
  t.epoch = memo.epoch;
  t.known = true;
  used = pos;
  return t;
}

std::optional<LogTime> parse_rfc3339(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = read_digits(s, 0, 4), m = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  LogTime t;
  t.known = true;
  std::int64_t clock = 0;
  std::size_t pos = 10;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s.size() < 19 || s[13] != ':' ||
        s[16] != ':')
      return std::nullopt;
    const int h = read_digits(s, 11, 2), mi = read_digits(s, 14, 2), sec = read_digits(s, 17, 2);
    if (!valid_clock(h, mi, sec)) return std::nullopt;
    clock = h * 3600 + mi * 60 + sec;
    pos = 19;
    t.micros = read_fraction(s, pos);
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      // "+01:00" (RFC 3339) or "+0100" (Exim's log_timezone).
      const int oh = read_digits(s, pos + 1, 2);
      const std::size_t mpos = pos + 3 < s.size() && s[pos + 3] == ':' ? pos + 4 : pos + 3;
      const int om = read_digits(s, mpos, 2);
      if (oh < 0 || om < 0) return std::nullopt;
      const std::int64_t offset = oh * 3600 + om * 60;
      clock -= s[pos] == '+' ? offset : -offset;
      pos = mpos + 2;
    }
  }
  if (pos != s.size()) return std::nullopt;
  t.epoch = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * kDay + clock;
  return t;
}

std::optional<SyslogLine> parse_syslog(std::string_view line, const TimeContext& ctx) {
  SyslogLine out;
  std::size_t pos = 0;
  if (line.size() > 4 && line[4] == '-') {
    // RFC 3339 stamp up to the first space.
    const auto sp = line.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    const auto t = parse_rfc3339(line.substr(0, sp));
    if (!t) return std::nullopt;
    out.time = *t;
    pos = sp + 1;
  } else {
    std::size_t used = 0;
    const auto t = parse_rfc3164(line, ctx, used);
    if (!t || used >= line.size() || line[used] != ' ') return std::nullopt;
    out.time = *t;
    pos = used + 1;
  }
  const auto host_end = line.find(' ', pos);
  if (host_end == std::string_view::npos) return std::nullopt;
  out.host = line.substr(pos, host_end - pos);
  pos = host_end + 1;
  // "program[pid]: message" or "program: message". The tag holds no space, so the first space
  // after the host must be the one of the tag's ": " (one search instead of two).
  const auto space = line.find(' ', pos);
  if (space == std::string_view::npos || space < pos + 2 || line[space - 1] != ':')
    return std::nullopt;
  const auto colon = space - 1;
  auto tag = line.substr(pos, colon - pos);
  if (tag.back() == ']') {
    const auto open = tag.rfind('[');
    if (open == std::string_view::npos) return std::nullopt;
    out.pid = tag.substr(open + 1, tag.size() - open - 2);
    tag = tag.substr(0, open);
  }
  out.program = tag;
  out.message = line.substr(colon + 2);
  return out;
}

std::string format_time(std::int64_t epoch, std::int32_t micros) {
  std::string out;
  append_time(out, epoch, micros);
  return out;
}

void append_time(std::string& out, std::int64_t epoch, std::int32_t micros) {
  // The seconds part of the last stamp formatted on this thread: a log's deliveries come many to
  // a second, and gmtime_r + strftime per delivery were 3 % of `outbound --format json`.
  thread_local std::int64_t last_epoch = 0;
  thread_local std::string last_text;
  if (last_text.empty() || epoch != last_epoch) {
    const std::time_t t = epoch;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    last_text.assign(buf, n);
    last_epoch = epoch;
  }
  out += last_text;
  if (micros != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06d", static_cast<int>(micros));
    out += frac;
  }
  out += 'Z';
}

}  // namespace intransit::logs
