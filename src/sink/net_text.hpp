// net_text.hpp — the current time as the sink and the strip-proxy record it: RFC 3339 UTC with
// milliseconds. (Endpoints: core/endpoint_text.hpp.)
#pragma once

#include <string>

namespace intransit::sink {

std::string now_rfc3339();

}  // namespace intransit::sink
