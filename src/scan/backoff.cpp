// backoff.cpp — see backoff.hpp.
#include "scan/backoff.hpp"

#include <algorithm>
#include <iterator>

namespace intransit::scan {
namespace ip = boost::asio::ip;

PrefixSignal prefix_signal(ProbeOutcome outcome) {
  switch (outcome) {
    case ProbeOutcome::rate_limited:     // 421 or another 4xx to the greeting or EHLO
    case ProbeOutcome::connect_refused:  // a firewall's RST looks like this too
    case ProbeOutcome::connect_timeout:  // dropped SYNs: maybe a filter that noticed us
    case ProbeOutcome::connect_failed: return PrefixSignal::slow_down;
    case ProbeOutcome::not_permitted:  // no connection was made
      return PrefixSignal::none;
    default: return PrefixSignal::clear;  // the server talked to us, whatever it said
  }
}

std::string network_prefix(const ip::address& address) {
  if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
    auto bytes = address.to_v6().to_bytes();
    std::fill(bytes.begin() + 6, bytes.end(), 0);  // keep 48 bits
    return ip::address_v6(bytes).to_string() + "/48";
  }
  auto bytes = address.is_v6() ? ip::make_address_v4(ip::v4_mapped, address.to_v6()).to_bytes()
                               : address.to_v4().to_bytes();
  bytes[3] = 0;  // keep 24 bits
  return ip::address_v4(bytes).to_string() + "/24";
}

namespace {
// splitmix64's finaliser: nearby seeds (a clock, a test's 1, 2, 3) give unrelated generators.
std::minstd_rand::result_type mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<std::minstd_rand::result_type>(x % 2147483646U) + 1;
}
}  // namespace

PrefixBackoff::PrefixBackoff(BackoffPolicy policy, std::uint64_t seed)
    : policy_(policy), random_(mix(seed)) {
  policy_.first = std::max(policy_.first, std::chrono::milliseconds(1));
  policy_.cap = std::max(policy_.cap, policy_.first);
  policy_.max_prefixes = std::max<std::size_t>(policy_.max_prefixes, 1);
}

PrefixBackoff::Clock::duration PrefixBackoff::wait(const ip::address& address,
                                                   Clock::time_point now) const {
  const auto it = state_.find(network_prefix(address));
  if (it == state_.end() || it->second.until <= now) return Clock::duration::zero();
  return it->second.until - now;
}

void PrefixBackoff::record(const ip::address& address, ProbeOutcome outcome,
                           Clock::time_point now) {
  const PrefixSignal signal = prefix_signal(outcome);
  if (signal == PrefixSignal::none) return;
  const std::string prefix = network_prefix(address);
  if (signal == PrefixSignal::clear) {
    state_.erase(prefix);
    return;
  }
  if (state_.size() >= policy_.max_prefixes && state_.count(prefix) == 0) forget_stale(now);
  if (state_.size() >= policy_.max_prefixes && state_.count(prefix) == 0) return;  // all active
  State& s = state_[prefix];
  ++pauses_;
  s.strikes = std::min(s.strikes + 1, 30U);
  // first × 2^(strikes-1), capped; then a random point in its second half (jitter).
  std::chrono::milliseconds pause = policy_.cap;
  if (s.strikes < 20) {
    pause = std::min(policy_.cap,
                     std::chrono::milliseconds(policy_.first.count() * (1LL << (s.strikes - 1))));
  }
  std::uniform_int_distribution<long long> jitter(pause.count() / 2, pause.count());
  // A connection that ends later never shortens the pause an earlier answer set.
  s.until = std::max(s.until, now + std::chrono::milliseconds(jitter(random_)));
}

void PrefixBackoff::forget_stale(Clock::time_point now) {
  for (auto it = state_.begin(); it != state_.end();) {
    it = it->second.until + policy_.cap < now ? state_.erase(it) : std::next(it);
  }
}

}  // namespace intransit::scan
