// deadline_source.cpp — see deadline_source.hpp.
#include "core/deadline_source.hpp"

#include <boost/asio/steady_timer.hpp>

namespace intransit {
namespace {

class SteadyDeadline final : public DeadlineSource {
 public:
  explicit SteadyDeadline(const boost::asio::any_io_executor& ex) : timer_(ex) {}

  Clock::time_point now() const override { return Clock::now(); }

  void arm(Clock::time_point when, std::function<void()> expired) override {
    timer_.expires_at(when);
    timer_.async_wait([this, gen = ++generation_,
                       expired = std::move(expired)](const boost::system::error_code& ec) {
      if (ec) return;  // re-armed or cancelled; `this` may be gone, touch nothing
      if (gen != generation_) return;
      expired();
    });
  }

  void cancel() override {
    ++generation_;
    timer_.cancel();
  }

 private:
  boost::asio::steady_timer timer_;
  unsigned generation_ = 0;
};

}  // namespace

std::unique_ptr<DeadlineSource> make_steady_deadline(const boost::asio::any_io_executor& executor) {
  return std::make_unique<SteadyDeadline>(executor);
}

}  // namespace intransit
