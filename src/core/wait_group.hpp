// wait_group.hpp — wait for a number of concurrently spawned coroutines on one Asio executor
// (Boost 1.74 has no parallel_group). Each task calls done(); wait() returns once all have.
// Single-threaded use only: the whole check runs on one io_context thread.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>

namespace intransit {

class WaitGroup {
 public:
  explicit WaitGroup(const boost::asio::any_io_executor& ex) : timer_(ex) {
    timer_.expires_at(boost::asio::steady_timer::time_point::max());
  }
  void add(std::size_t n = 1) { outstanding_ += n; }
  void done() {
    if (outstanding_ > 0 && --outstanding_ == 0) timer_.cancel();
  }
  boost::asio::awaitable<void> wait() {
    while (outstanding_ > 0) {
      boost::system::error_code ec;
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
  }

 private:
  boost::asio::steady_timer timer_;
  std::size_t outstanding_ = 0;
};

}  // namespace intransit
