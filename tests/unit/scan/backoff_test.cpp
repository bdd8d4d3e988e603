// backoff_test.cpp — scan's back-off per /24 and /48 (issue 16 "Polite") on a hand-driven clock:
// which outcomes slow a prefix down, the pause doubling up to its cap with jitter inside the
// second half, the pause shared by the whole prefix and by nobody else, an answer clearing it,
// and the bounded memory.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "scan/backoff.hpp"

namespace intransit::scan {
namespace {

using namespace std::chrono_literals;
using Clock = PrefixBackoff::Clock;
namespace ip = boost::asio::ip;

ip::address addr(const char* text) {
  return ip::make_address(text);
}

TEST(ScanBackoff, PrefixesAreSlash24AndSlash48) {
  EXPECT_EQ(network_prefix(addr("192.0.2.77")), "192.0.2.0/24");
  EXPECT_EQ(network_prefix(addr("::ffff:192.0.2.77")), "192.0.2.0/24");
  EXPECT_EQ(network_prefix(addr("2001:db8:1:2::25")), "2001:db8:1::/48");
  EXPECT_EQ(network_prefix(addr("2001:db8:1:ffff:1::1")), "2001:db8:1::/48");
}

TEST(ScanBackoff, WhichOutcomesSlowAPrefixDown) {
  EXPECT_EQ(prefix_signal(ProbeOutcome::rate_limited), PrefixSignal::slow_down);
  EXPECT_EQ(prefix_signal(ProbeOutcome::connect_refused), PrefixSignal::slow_down);
  EXPECT_EQ(prefix_signal(ProbeOutcome::connect_timeout), PrefixSignal::slow_down);
  EXPECT_EQ(prefix_signal(ProbeOutcome::connect_failed), PrefixSignal::slow_down);
  EXPECT_EQ(prefix_signal(ProbeOutcome::ok), PrefixSignal::clear);
  EXPECT_EQ(prefix_signal(ProbeOutcome::no_starttls), PrefixSignal::clear);
  EXPECT_EQ(prefix_signal(ProbeOutcome::rejected), PrefixSignal::clear);  // 5xx: an answer
  EXPECT_EQ(prefix_signal(ProbeOutcome::banner_timeout), PrefixSignal::clear);
  EXPECT_EQ(prefix_signal(ProbeOutcome::not_permitted), PrefixSignal::none);
}

TEST(ScanBackoff, APauseCoversThePrefixAndOnlyIt) {
  PrefixBackoff b(BackoffPolicy{1000ms, 60'000ms, 100}, 7);
  const Clock::time_point t0{};
  EXPECT_EQ(b.wait(addr("192.0.2.1"), t0), Clock::duration::zero());
  b.record(addr("192.0.2.1"), ProbeOutcome::rate_limited, t0);
  const auto pause = b.wait(addr("192.0.2.200"), t0);  // another address of the same /24
  EXPECT_GE(pause, Clock::duration(500ms));
  EXPECT_LE(pause, Clock::duration(1000ms));
  EXPECT_EQ(b.wait(addr("192.0.3.1"), t0), Clock::duration::zero());          // the next /24: free
  EXPECT_EQ(b.wait(addr("192.0.2.1"), t0 + pause), Clock::duration::zero());  // over
  EXPECT_EQ(b.pauses(), 1U);
}

TEST(ScanBackoff, PausesDoubleUpToTheCapWithJitterInTheSecondHalf) {
  PrefixBackoff b(BackoffPolicy{1000ms, 8000ms, 100}, 42);
  Clock::time_point now{};
  const auto a = addr("2001:db8:5::1");
  for (int strike = 1; strike <= 8; ++strike) {
    b.record(a, ProbeOutcome::connect_refused, now);
    const auto full = std::min(8000ms, 1000ms * (1 << (strike - 1)));
    const auto pause = b.wait(a, now);
    EXPECT_GE(pause, Clock::duration(full / 2)) << "strike " << strike;
    EXPECT_LE(pause, Clock::duration(full)) << "strike " << strike;
    now += pause;  // the next connection, made when the pause ends, is refused again
  }
}

TEST(ScanBackoff, JitterSpreadsThePauses) {
  std::set<Clock::duration::rep> seen;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    PrefixBackoff b(BackoffPolicy{10'000ms, 60'000ms, 100}, seed);
    b.record(addr("198.51.100.9"), ProbeOutcome::rate_limited, Clock::time_point{});
    seen.insert(b.wait(addr("198.51.100.9"), Clock::time_point{}).count());
  }
  EXPECT_GT(seen.size(), 10U);  // scans started together do not come back together
  // Within one scan: twenty prefixes paused at one instant end their pauses apart.
  PrefixBackoff one(BackoffPolicy{10'000ms, 60'000ms, 100}, 5);
  std::set<Clock::duration::rep> apart;
  for (int i = 0; i < 20; ++i) {
    const auto a = addr(("198.51." + std::to_string(i) + ".9").c_str());
    one.record(a, ProbeOutcome::rate_limited, Clock::time_point{});
    apart.insert(one.wait(a, Clock::time_point{}).count());
  }
  EXPECT_GT(apart.size(), 10U);
}

TEST(ScanBackoff, AnAnswerClearsThePrefixAndStartsOver) {
  PrefixBackoff b(BackoffPolicy{1000ms, 60'000ms, 100}, 3);
  Clock::time_point now{};
  const auto a = addr("203.0.113.5");
  for (int i = 0; i < 4; ++i) b.record(a, ProbeOutcome::rate_limited, now);  // 8 s by now
  EXPECT_GT(b.wait(a, now), Clock::duration(3000ms));
  b.record(addr("203.0.113.6"), ProbeOutcome::ok, now);  // a neighbour answered
  EXPECT_EQ(b.wait(a, now), Clock::duration::zero());
  b.record(a, ProbeOutcome::rate_limited, now);  // back to the first pause
  EXPECT_LE(b.wait(a, now), Clock::duration(1000ms));
  b.record(a, ProbeOutcome::not_permitted, now);  // not connected: changes nothing
  EXPECT_GT(b.wait(a, now), Clock::duration::zero());
}

TEST(ScanBackoff, ALaterAnswerNeverShortensAPause) {
  PrefixBackoff b(BackoffPolicy{1000ms, 4000ms, 100}, 9);
  const Clock::time_point t0{};
  const auto a = addr("192.0.2.1");
  for (int i = 0; i < 3; ++i) b.record(a, ProbeOutcome::connect_timeout, t0);  // 2-4 s
  const auto until = t0 + b.wait(a, t0);
  b.record(a, ProbeOutcome::connect_timeout, t0 + 10ms);  // capped at 4 s: may be shorter
  EXPECT_GE(t0 + 10ms + b.wait(a, t0 + 10ms), until);
}

TEST(ScanBackoff, MemoryIsBounded) {
  PrefixBackoff b(BackoffPolicy{1000ms, 2000ms, 4}, 1);
  Clock::time_point now{};
  for (int i = 0; i < 4; ++i) {
    b.record(addr(("10.0." + std::to_string(i) + ".1").c_str()), ProbeOutcome::rate_limited, now);
  }
  EXPECT_EQ(b.prefixes(), 4U);
  // All four still pausing: a fifth prefix is not remembered (and nothing is forgotten early).
  b.record(addr("10.0.9.1"), ProbeOutcome::rate_limited, now);
  EXPECT_EQ(b.prefixes(), 4U);
  EXPECT_GT(b.wait(addr("10.0.0.1"), now), Clock::duration::zero());
  // Long after their pauses ended (more than the cap), the old ones make room.
  now += 10'000ms;
  b.record(addr("10.0.9.1"), ProbeOutcome::rate_limited, now);
  EXPECT_EQ(b.prefixes(), 1U);
  EXPECT_GT(b.wait(addr("10.0.9.1"), now), Clock::duration::zero());
}

}  // namespace
}  // namespace intransit::scan
