// token_bucket.hpp — a rate limit: `rate` tokens a second, at most `burst` saved up (scan's new
// connections, serve's requests per client). The clock is passed in, so tests drive it by hand.
#pragma once

#include <chrono>

namespace intransit {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  // rate <= 0: no limit. burst < 1 is taken as 1.
  TokenBucket(double rate, double burst, Clock::time_point now);

  // Takes a token at `now`: zero when one was there, else how long until one will be (nothing
  // taken then).
  Clock::duration take(Clock::time_point now);

 private:
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace intransit
