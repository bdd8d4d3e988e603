// outbound_report_test.cpp — the fast JSON Lines writer of `outbound` deliveries gives the same
// record as the nlohmann tree (report/outbound_report.hpp), hostile bytes included
// (RELIABILITY.md item 51: a log line that is not UTF-8 still gives valid JSON); the number
// format of the text summary; the per-second stamp cache.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "logs/syslog_line.hpp"
#include "report/outbound_report.hpp"

namespace intransit::report {
namespace {

logs::Delivery sample() {
  logs::Delivery d;
  d.time = 1796216470;
  d.micros = 12;
  d.time_known = true;
  d.host = "mx";
  d.queue_id = "4AbC";
  d.recipient_domain = "example.org";
  d.relay_host = "mx.example.org";
  d.relay_address = "192.0.2.1";
  d.relay_port = 25;
  d.protection = logs::Protection::verified;
  d.tls_version = "TLSv1.3";
  d.tls_cipher = "TLS_AES_256_GCM_SHA384";
  d.tls_trust = "Verified";
  d.lines = {"a \"quoted\" \\ line", std::string("nul \0 and \xff\xfe bytes\x1b[31m", 23)};
  return d;
}

TEST(OutboundReport, FastJsonLineEqualsTheTree) {
  auto d = sample();
  EXPECT_EQ(nlohmann::json::parse(delivery_to_json_line(d)), delivery_to_json(d));
  d.time_known = false;
  d.relay_port = 0;
  d.tls_version.clear();
  d.tls_trust.clear();
  d.protection = logs::Protection::plaintext;
  d.recipient_domain = "\xc3\x28.example";  // invalid UTF-8
  const auto line = delivery_to_json_line(d);
  EXPECT_EQ(nlohmann::json::parse(line), delivery_to_json(d));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

// Every byte at the start, middle and end of fields shorter than, equal to and longer than the
// fast path's sixteen-byte step (short fields are padded, a tail overlaps the last step), in each
// field the fast JSON path writes: same record as the tree (which escapes through
// text::printable).
TEST(OutboundReport, FastJsonLineEqualsTheTreeForEveryByte) {
  for (int b = 0; b < 256; ++b) {
    for (const std::size_t size : {1u, 8u, 13u, 15u, 16u, 17u, 31u, 32u, 33u}) {
      for (const std::size_t at : {std::size_t{0}, size / 2, size - 1}) {
        std::string s(size, 'a');
        s[at] = static_cast<char>(b);
        auto d = sample();
        d.host = s;
        d.recipient_domain = s.substr(0, at + 1);
        d.lines = {s, s + "\"\\"};
        const auto line = delivery_to_json_line(d);
        const auto parsed = nlohmann::json::parse(line, nullptr, false);
        ASSERT_FALSE(parsed.is_discarded()) << b << " at " << at << " of " << size;
        EXPECT_EQ(parsed, delivery_to_json(d)) << b << " at " << at << " of " << size;
      }
    }
  }
  // Stamps in the same second and across seconds, with and without microseconds.
  auto d = sample();
  const std::vector<std::pair<std::int64_t, int>> stamps{
      {1764676800, 0}, {1764676800, 5}, {1764676801, 0}, {1764676800, 0}, {0, 999999}};
  for (const auto& [t, us] : stamps) {
    d.time = t;
    d.micros = us;
    EXPECT_EQ(nlohmann::json::parse(delivery_to_json_line(d)), delivery_to_json(d));
  }
  EXPECT_EQ(logs::format_time(1764676800, 0), "2025-12-02T12:00:00Z");
  EXPECT_EQ(logs::format_time(1764676800, 5), "2025-12-02T12:00:00.000005Z");
  EXPECT_EQ(logs::format_time(1764676801, 0), "2025-12-02T12:00:01Z");
}

TEST(OutboundReport, Thousands) {
  EXPECT_EQ(thousands(0), "0");
  EXPECT_EQ(thousands(999), "999");
  EXPECT_EQ(thousands(12345), "12,345");
  EXPECT_EQ(thousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace intransit::report
