// writer.cpp — number formatting for the page writer (see writer.hpp).
#include "report/html/writer.hpp"

#include <charconv>
#include <cmath>

namespace intransit::report::html {

Writer& Writer::fixed(double value, int decimals) {
  if (!std::isfinite(value)) value = 0;
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  out_.append(buf, r.ptr);
  return *this;
}

}  // namespace intransit::report::html
