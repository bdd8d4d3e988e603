// net_text.cpp — see net_text.hpp.
#include "sink/net_text.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace intransit::sink {

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 40> buf{};
  const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  std::array<char, 8> frac{};
  std::snprintf(frac.data(), frac.size(), ".%03dZ", static_cast<int>(ms));
  return std::string(buf.data(), n) + frac.data();
}

}  // namespace intransit::sink
