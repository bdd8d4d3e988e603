// backoff.hpp — scan's back-off per network prefix (issue 16 "Polite": "back-off on 421/4xx and
// on connection errors from the same /24 or /48"). A 421 or other 4xx to the greeting or EHLO
// (RFC 5321 §4.2.5, §3.8: the server is busy or limiting us) and a refused, unanswered or failed
// connection each make new connections to the address's /24 (IPv4) or /48 (IPv6) wait; the wait
// doubles with each such answer in a row, is capped and jittered, and an answer that is neither
// (the server talked to us) clears it. Pure: the clock and the random seed are passed in, so the
// tests drive it by hand. Bounded: at most limits::kScanBackoffPrefixes prefixes remembered.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>

#include "core/limits.hpp"
#include "core/outcome.hpp"

namespace intransit::scan {

struct BackoffPolicy {
  std::chrono::milliseconds first = limits::kScanBackoffFirst;
  std::chrono::milliseconds cap = limits::kScanBackoffCap;
  std::size_t max_prefixes = limits::kScanBackoffPrefixes;
};

// What an outcome says about the prefix: slow down (4xx, connection errors), all clear (the
// server answered), or nothing (not connected: excluded, not permitted).
enum class PrefixSignal : std::uint8_t { slow_down, clear, none };
PrefixSignal prefix_signal(ProbeOutcome outcome);

// "192.0.2.0/24", "2001:db8:1::/48"; an IPv4-mapped IPv6 address counts as IPv4.
std::string network_prefix(const boost::asio::ip::address& address);

class PrefixBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  explicit PrefixBackoff(BackoffPolicy policy = {}, std::uint64_t seed = 1);

  // How long a new connection to `address` must still wait at `now`; zero: it may start.
  Clock::duration wait(const boost::asio::ip::address& address, Clock::time_point now) const;

  // A connection to `address` ended in `outcome` at `now`.
  void record(const boost::asio::ip::address& address, ProbeOutcome outcome, Clock::time_point now);

  std::size_t prefixes() const { return state_.size(); }  // remembered now
  std::size_t pauses() const { return pauses_; }          // slow-down answers so far

 private:
  struct State {
    unsigned strikes = 0;  // slow-down answers in a row
    Clock::time_point until;
  };
  void forget_stale(Clock::time_point now);

  BackoffPolicy policy_;
  std::minstd_rand random_;
  std::unordered_map<std::string, State> state_;
  std::size_t pauses_ = 0;
};

}  // namespace intransit::scan
