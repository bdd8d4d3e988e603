// token_bucket.cpp — see token_bucket.hpp.
#include "core/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace intransit {

TokenBucket::TokenBucket(double rate, double burst, Clock::time_point now)
    : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(std::max(burst, 1.0)), last_(now) {}

TokenBucket::Clock::duration TokenBucket::take(Clock::time_point now) {
  if (rate_ <= 0) return Clock::duration::zero();
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return Clock::duration::zero();
  }
  const double wait = (1.0 - tokens_) / rate_;
  return std::max<Clock::duration>(
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait)),
      Clock::duration(1));
}

}  // namespace intransit
