// deadline_source.hpp — the time and the watchdog of a protocol dialogue, as a seam: the SMTP
// client (smtp/probe.cpp) and the sink's server session (sink/session.cpp) ask it for the time and
// arm it with a deadline; in the product it is a steady_timer on the event loop
// (make_steady_deadline), in their tests a manual clock that moves only when the script says so
// (tests/support/scripted_peer.hpp). STYLE.md habits 10-11: no wall time in a protocol test.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace intransit {

class DeadlineSource {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~DeadlineSource() = default;
  virtual Clock::time_point now() const = 0;
  // `expired` runs once at `when`, unless arm() or cancel() comes first.
  virtual void arm(Clock::time_point when, std::function<void()> expired) = 0;
  virtual void cancel() = 0;
};

// A steady_timer on `executor`. Destroying it cancels what is armed: the callback never runs.
std::unique_ptr<DeadlineSource> make_steady_deadline(const boost::asio::any_io_executor& executor);

}  // namespace intransit
