// utf8.hpp — the UTF-8 sequence rule (RFC 3629 §4) that text.hpp's escapers use, for code that
// writes its own escaping (the Prometheus label values of report/prometheus_output).
#pragma once

#include <cstddef>
#include <string_view>

namespace intransit::text {

// Length of the well-formed UTF-8 sequence starting at bytes[i] (i < size), 0 when there is none.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i);

}  // namespace intransit::text
