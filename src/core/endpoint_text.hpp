// endpoint_text.hpp — header only: the one text form of a network endpoint, for reports, records
// and messages: "192.0.2.1:25", and an IPv6 address in brackets, "[2001:db8::1]:25" (RFC 3986
// §3.2.2; RFC 5952 §6), which includes v4-mapped ("[::ffff:192.0.2.1]:25") and scoped
// ("[fe80::1%eth0]:25", the zone as RFC 4007 §11 writes it) addresses.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace intransit::net {

// `address` is an address in text form; any ':' in it makes it IPv6, so it is bracketed.
inline std::string format_endpoint(std::string_view address, std::uint16_t port) {
  const bool v6 = address.find(':') != std::string_view::npos;
  std::string out;
  out.reserve(address.size() + 8);
  if (v6) out += '[';
  out += address;
  if (v6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

inline std::string format_endpoint(const boost::asio::ip::address& address, std::uint16_t port) {
  return format_endpoint(address.to_string(), port);
}

inline std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
  return format_endpoint(endpoint.address(), endpoint.port());
}

}  // namespace intransit::net
