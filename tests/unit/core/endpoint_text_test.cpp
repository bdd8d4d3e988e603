// endpoint_text_test.cpp — net::format_endpoint, the one text form of an endpoint (RFC 3986
// §3.2.2 brackets for IPv6): IPv4, IPv6, v4-mapped IPv6 and scoped IPv6, from text and from Asio.
#include <gtest/gtest.h>

#include "core/endpoint_text.hpp"

namespace {
using intransit::net::format_endpoint;
namespace ip = boost::asio::ip;

TEST(FormatEndpoint, Ipv4) {
  EXPECT_EQ(format_endpoint("192.0.2.1", 25), "192.0.2.1:25");
  EXPECT_EQ(format_endpoint(ip::tcp::endpoint(ip::make_address("192.0.2.1"), 25)), "192.0.2.1:25");
}

TEST(FormatEndpoint, Ipv6InBrackets) {
  EXPECT_EQ(format_endpoint("2001:db8::1", 25), "[2001:db8::1]:25");
  EXPECT_EQ(format_endpoint(ip::make_address("2001:DB8:0::1"), 465), "[2001:db8::1]:465");
  EXPECT_EQ(format_endpoint(ip::tcp::endpoint(ip::address_v6::loopback(), 0)), "[::1]:0");
}

TEST(FormatEndpoint, V4MappedIpv6StaysIpv6) {
  EXPECT_EQ(format_endpoint(ip::make_address("::ffff:192.0.2.1"), 25), "[::ffff:192.0.2.1]:25");
}

TEST(FormatEndpoint, ScopedIpv6KeepsItsZoneInsideTheBrackets) {
  auto a = ip::make_address_v6("fe80::1");
  a.scope_id(1);  // interface 1 is the loopback on Linux
  const std::string text = format_endpoint(ip::address(a), 25);
  EXPECT_TRUE(text.starts_with("[fe80::1%")) << text;
  EXPECT_TRUE(text.ends_with("]:25")) << text;
  EXPECT_EQ(format_endpoint("fe80::1%eth0", 587), "[fe80::1%eth0]:587");
}

TEST(FormatEndpoint, HighestPort) {
  EXPECT_EQ(format_endpoint("198.51.100.7", 65535), "198.51.100.7:65535");
}

}  // namespace
