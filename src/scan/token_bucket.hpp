// token_bucket.hpp — the scan's connection rate (issue 16 "Polite"): `rate` tokens a second, at
// most `burst` saved up. The clock is passed in, so tests drive it by hand.
#pragma once

#include <chrono>

namespace intransit::scan {

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

}  // namespace intransit::scan
