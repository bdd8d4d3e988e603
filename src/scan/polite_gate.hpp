// polite_gate.hpp — the scan's politeness as the engine's ProbeGate (issue 16 "Polite"): at most
// `per_address` connections at once to one address, at most `max_connections` in all, new
// connections at no more than `rate` a second (a token bucket), and never a connection to an
// address on the exclude list. Single-threaded, on the engine's event loop.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <list>
#include <map>
#include <memory>

#include "check/probe_cache.hpp"
#include "core/token_bucket.hpp"
#include "scan/exclude.hpp"

namespace intransit::scan {

struct Politeness {
  std::size_t per_address = 1;
  double rate = 0;  // new connections a second; 0: no limit
  std::size_t max_connections = 256;
};

class PoliteGate : public check::ProbeGate {
 public:
  PoliteGate(const boost::asio::any_io_executor& executor, Politeness politeness,
             std::shared_ptr<const ExcludeList> exclude);

  boost::asio::awaitable<bool> acquire(boost::asio::ip::address address) override;
  void release(boost::asio::ip::address address) override;

  std::size_t open() const { return open_; }        // connections now
  std::size_t most_open() const { return most_; }   // the most at once so far
  std::size_t refused() const { return refused_; }  // excluded addresses asked for
  std::size_t most_per_address() const { return most_per_address_; }

 private:
  boost::asio::any_io_executor executor_;
  Politeness politeness_;
  std::shared_ptr<const ExcludeList> exclude_;
  TokenBucket bucket_;
  std::map<boost::asio::ip::address, std::size_t> per_address_;  // only addresses with one open
  std::list<boost::asio::steady_timer*> waiting_;                // woken on every release
  std::size_t open_ = 0;
  std::size_t most_ = 0;
  std::size_t most_per_address_ = 0;
  std::size_t refused_ = 0;
};

}  // namespace intransit::scan
