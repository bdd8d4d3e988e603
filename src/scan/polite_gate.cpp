// polite_gate.cpp — see polite_gate.hpp.
#include "scan/polite_gate.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace intransit::scan {
namespace asio = boost::asio;

PoliteGate::PoliteGate(const asio::any_io_executor& executor, Politeness politeness,
                       std::shared_ptr<const ExcludeList> exclude)
    : executor_(executor),
      politeness_(politeness),
      exclude_(std::move(exclude)),
      bucket_(politeness.rate, std::max(1.0, politeness.rate), TokenBucket::Clock::now()),
      backoff_(politeness.backoff,
               static_cast<std::uint64_t>(TokenBucket::Clock::now().time_since_epoch().count())) {
  politeness_.per_address = std::max<std::size_t>(politeness_.per_address, 1);
  politeness_.max_connections = std::max<std::size_t>(politeness_.max_connections, 1);
}

asio::awaitable<bool> PoliteGate::acquire(asio::ip::address address) {
  if (exclude_ && exclude_->excludes_address(address)) {
    ++refused_;
    co_return false;
  }
  asio::steady_timer timer(executor_);
  bool waited_out = false;
  for (;;) {
    const auto it = per_address_.find(address);
    const std::size_t here = it == per_address_.end() ? 0 : it->second;
    const auto pause = backoff_.wait(address, TokenBucket::Clock::now());
    if (pause != TokenBucket::Clock::duration::zero()) {
      if (!waited_out) ++backoff_waits_;
      waited_out = true;
      timer.expires_after(pause);  // the prefix's back-off ends then (a new 4xx may extend it)
    } else if (open_ < politeness_.max_connections && here < politeness_.per_address) {
      const auto wait = bucket_.take(TokenBucket::Clock::now());
      if (wait == TokenBucket::Clock::duration::zero()) break;
      timer.expires_after(wait);  // a token comes then (or a release wakes us sooner)
    } else {
      timer.expires_at(asio::steady_timer::time_point::max());  // until a release
    }
    waiting_.push_front(&timer);
    const auto mine = waiting_.begin();
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    waiting_.erase(mine);
  }
  ++open_;
  most_ = std::max(most_, open_);
  most_per_address_ = std::max(most_per_address_, ++per_address_[address]);
  co_return true;
}

void PoliteGate::release(asio::ip::address address, ProbeOutcome outcome) {
  backoff_.record(address, outcome, TokenBucket::Clock::now());
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
  if (open_ > 0) --open_;
  for (auto* timer : waiting_) timer->cancel();
}

}  // namespace intransit::scan
