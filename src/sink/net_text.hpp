// net_text.hpp — small text forms the sink and the strip-proxy record: the current time as
// RFC 3339 UTC with milliseconds, and an endpoint as "192.0.2.1:25" / "[2001:db8::1]:25".
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace intransit::sink {

std::string now_rfc3339();
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace intransit::sink
