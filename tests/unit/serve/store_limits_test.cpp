// store_limits_test.cpp — serve's SQLite store (migrations, round trips, a newer schema refused)
// and the per-client rate limits (IPv6 by /64, the table bounded), on a driven clock.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "serve/client_limits.hpp"
#include "serve/metrics.hpp"
#include "serve/store.hpp"

namespace intransit::serve {
namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("intransit-serve-test-" + std::to_string(getpid()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(ServeStore, ChecksMonitoredAndAlertsSurviveReopening) {
  TempDir dir;
  {
    Store s(dir.path.string());
    s.add_check("a.test", 100, "opportunistic", 1200, {{"verdict", "opportunistic"}});
    const auto id = s.add_check("a.test", 200, "enforced", 900, {{"verdict", "enforced"}});
    EXPECT_TRUE(s.add_monitored("a.test", 100, 150));
    EXPECT_FALSE(s.add_monitored("a.test", 100, 150));
    s.set_next_check("a.test", 4000);
    const auto alert = s.add_alert({0, "a.test", 210, "verdict-changed", "medium", "opportunistic",
                                    "enforced", "DANE now applies", "pending"});
    s.set_alert_delivery(alert, "webhook sent");
    EXPECT_EQ(s.latest_check("a.test")->id, id);
  }
  Store s(dir.path.string());
  const auto latest = s.latest_check("a.test");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->verdict, "enforced");
  EXPECT_EQ(latest->document["verdict"], "enforced");
  const auto history = s.history("a.test", 10);
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].measured_at, 200);  // newest first
  EXPECT_TRUE(history[0].document.is_null());
  EXPECT_EQ(s.monitored("a.test")->next_at, 4000);
  const auto alerts = s.alerts("", 10);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts[0].delivery, "webhook sent");
  EXPECT_EQ(s.last_alert_at("a.test"), 210);
  EXPECT_FALSE(s.last_alert_at("b.test"));
  EXPECT_TRUE(s.remove_monitored("a.test"));
  EXPECT_FALSE(s.remove_monitored("a.test"));
  EXPECT_FALSE(s.latest_check("b.test"));
}

TEST(ServeStore, ADatabaseFromANewerIntransitIsRefused) {
  TempDir dir;
  {
    SQLite::Database db((dir.path / "intransit-serve.sqlite").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version=" + std::to_string(Store::kSchemaVersion + 1));
  }
  EXPECT_THROW(Store(dir.path.string()), std::runtime_error);
}

TEST(ServeClientLimits, BurstThenRefusedThenRefilled) {
  ClientLimits limits(1.0, 3.0);
  const auto a = boost::asio::ip::make_address("192.0.2.1");
  const auto b = boost::asio::ip::make_address("192.0.2.2");
  const ClientLimits::Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limits.allow(a, t0));
  EXPECT_FALSE(limits.allow(a, t0));
  EXPECT_TRUE(limits.allow(b, t0));  // another client has its own bucket
  EXPECT_TRUE(limits.allow(a, t0 + std::chrono::milliseconds(1100)));
}

TEST(ServeClientLimits, AnIpv6ClientIsCountedByIts64) {
  EXPECT_EQ(ClientLimits::key(boost::asio::ip::make_address("2001:db8:1:2:aaaa::1")),
            ClientLimits::key(boost::asio::ip::make_address("2001:db8:1:2:bbbb::2")));
  EXPECT_NE(ClientLimits::key(boost::asio::ip::make_address("2001:db8:1:2::1")),
            ClientLimits::key(boost::asio::ip::make_address("2001:db8:1:3::1")));
  EXPECT_EQ(ClientLimits::key(boost::asio::ip::make_address("::ffff:192.0.2.7")), "192.0.2.7");
}

TEST(ServeClientLimits, TheTableStaysBounded) {
  ClientLimits limits(1.0, 1.0, 100);
  const ClientLimits::Clock::time_point t0{};
  for (unsigned i = 0; i < 10000; ++i) {
    limits.allow(boost::asio::ip::address_v4(0x0A000000U + i), t0);
    ASSERT_LE(limits.clients(), 100U);
  }
}

TEST(ServeMetrics, CountersAndHistogramsInExpositionFormat) {
  Metrics m;
  m.count_check("enforced", 0.2);
  m.count_check("enforced", 7);
  m.count_request("/api/v1/check/{domain}", 200, 0.003);
  m.count_refusal("rate-limited");
  const std::string out = m.render();
  EXPECT_NE(out.find("intransit_checks_total{outcome=\"enforced\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("intransit_check_run_seconds_bucket{le=\"0.5\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("intransit_check_run_seconds_bucket{le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("intransit_check_run_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(
      out.find("intransit_http_requests_total{route=\"/api/v1/check/{domain}\",code=\"200\"} 1"),
      std::string::npos);
  EXPECT_NE(out.find("intransit_http_refusals_total{reason=\"rate-limited\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace intransit::serve
