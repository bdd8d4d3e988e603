// not_permitted_test.cpp — the engine's special-purpose address guard at the probe (issue 18):
// with allow_private false, run_probe() reports not-permitted with the address and its range and
// neither connects nor asks the gate; with allow_private (check's default) the gate is asked.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "check/probe_cache.hpp"

namespace intransit::check {
namespace {
namespace asio = boost::asio;

// A gate that counts its questions and excludes every address (so nothing is ever connected).
class CountingGate : public ProbeGate {
 public:
  asio::awaitable<bool> acquire(asio::ip::address) override {
    ++asked;
    co_return false;
  }
  void release(asio::ip::address, ProbeOutcome) override {}
  int asked = 0;
};

// A free coroutine: a capturing lambda's captures would die before it runs.
asio::awaitable<void> probe_into(smtp::ProbeOptions options, bool allow_private, ProbeGate* gate,
                                 ProbeReport* out) {
  *out = co_await run_probe(std::move(options), false, gate, allow_private);
}

ProbeReport probe_once(const char* address, bool allow_private, CountingGate& gate) {
  asio::io_context io;
  smtp::ProbeOptions options;
  options.endpoint = asio::ip::tcp::endpoint(asio::ip::make_address(address), 25);
  options.server_name = "mx.ssrf-private.test";
  ProbeReport out;
  asio::co_spawn(io, probe_into(options, allow_private, &gate, &out), asio::detached);
  io.run();
  return out;
}

TEST(NotPermitted, SpecialPurposeAddressIsNotProbed) {
  CountingGate gate;
  const auto r = probe_once("10.255.0.25", false, gate);
  EXPECT_EQ(r.result.outcome, ProbeOutcome::not_permitted);
  EXPECT_EQ(r.result.detail,
            "not probed: 10.255.0.25 is private (RFC 1918); this service does not connect to "
            "special-purpose addresses");
  EXPECT_EQ(r.result.address, "10.255.0.25:25");
  EXPECT_EQ(r.result.server_name, "mx.ssrf-private.test");
  EXPECT_EQ(gate.asked, 0);  // decided before anything else
}

TEST(NotPermitted, MappedFormIsJudgedByItsIpv4Address) {
  CountingGate gate;
  const auto r = probe_once("::ffff:100.64.0.25", false, gate);
  EXPECT_EQ(r.result.outcome, ProbeOutcome::not_permitted);
  EXPECT_NE(r.result.detail.find("shared/CGNAT (RFC 6598)"), std::string::npos) << r.result.detail;
  EXPECT_EQ(r.result.address, "[::ffff:100.64.0.25]:25");
}

TEST(NotPermitted, GlobalAddressGoesOnToTheGate) {
  CountingGate gate;
  const auto r = probe_once("192.0.1.25", false, gate);  // global: the gate decides (excluded)
  EXPECT_EQ(gate.asked, 1);
  EXPECT_NE(r.result.outcome, ProbeOutcome::not_permitted);
}

TEST(NotPermitted, AllowPrivateKeepsTodaysBehaviour) {
  CountingGate gate;
  const auto r = probe_once("10.255.0.25", true, gate);
  EXPECT_EQ(gate.asked, 1);
  EXPECT_NE(r.result.outcome, ProbeOutcome::not_permitted);
}

}  // namespace
}  // namespace intransit::check
