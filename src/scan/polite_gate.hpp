// polite_gate.hpp — the scan's politeness as the engine's ProbeGate (issue 16 "Polite"): at most
// `per_address` connections at once to one address, at most `max_connections` in all, new
// connections at no more than `rate` a second (a token bucket), and never a connection to an
// address on the exclude list; after a 421/4xx or a connection error, new connections to that
// /24 or /48 wait (backoff.hpp), and an address answered 421 is tried again after its pause a
// few times before it is reported rate-limited. Single-threaded, on the engine's event loop.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <list>
#include <map>
#include <memory>

#include "check/probe_cache.hpp"
#include "core/token_bucket.hpp"
#include "scan/backoff.hpp"
#include "scan/exclude.hpp"

namespace intransit::scan {

struct Politeness {
  std::size_t per_address = 1;
  double rate = 0;  // new connections a second; 0: no limit
  std::size_t max_connections = 256;
  BackoffPolicy backoff;
  int rate_limit_retries = limits::kScanRateLimitRetries;
};

class PoliteGate : public check::ProbeGate {
 public:
  PoliteGate(const boost::asio::any_io_executor& executor, Politeness politeness,
             std::shared_ptr<const ExcludeList> exclude);

  boost::asio::awaitable<bool> acquire(boost::asio::ip::address address) override;
  void release(boost::asio::ip::address address, ProbeOutcome outcome) override;
  int rate_limit_retries() const override { return politeness_.rate_limit_retries; }

  std::size_t open() const { return open_; }        // connections now
  std::size_t most_open() const { return most_; }   // the most at once so far
  std::size_t refused() const { return refused_; }  // excluded addresses asked for
  std::size_t most_per_address() const { return most_per_address_; }
  std::size_t backoff_pauses() const { return backoff_.pauses(); }  // 4xx / connection errors
  std::size_t backoff_waits() const { return backoff_waits_; }      // connections made to wait

 private:
  boost::asio::any_io_executor executor_;
  Politeness politeness_;
  std::shared_ptr<const ExcludeList> exclude_;
  TokenBucket bucket_;
  PrefixBackoff backoff_;
  std::map<boost::asio::ip::address, std::size_t> per_address_;  // only addresses with one open
  std::list<boost::asio::steady_timer*> waiting_;                // woken on every release
  std::size_t open_ = 0;
  std::size_t most_ = 0;
  std::size_t most_per_address_ = 0;
  std::size_t refused_ = 0;
  std::size_t backoff_waits_ = 0;
};

}  // namespace intransit::scan
