// address_policy_test.cpp — special_purpose_range() row by row against the IANA special-purpose
// registries (RFC 6890 and later entries): the first and last address of every range, one
// address just outside it, and the IPv4-in-IPv6 forms judged by the IPv4 address they carry.
#include "check/address_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace intransit::check {
namespace {

struct Case {
  const char* address;
  const char* range;  // nullptr: an ordinary global address
};

std::string classify(const char* text) {
  const auto r = special_purpose_range(boost::asio::ip::make_address(text));
  return r ? std::string(*r) : std::string("global");
}

void expect_all(std::initializer_list<Case> cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(classify(c.address), c.range != nullptr ? c.range : "global") << c.address;
  }
}

TEST(AddressPolicy, Ipv4Ranges) {
  expect_all({
      {"0.0.0.0", "this network (RFC 1122)"},
      {"0.255.255.255", "this network (RFC 1122)"},
      {"1.0.0.0", nullptr},
      {"10.0.0.0", "private (RFC 1918)"},
      {"10.255.0.25", "private (RFC 1918)"},
      {"11.0.0.0", nullptr},
      {"9.255.255.255", nullptr},
      {"100.63.255.255", nullptr},
      {"100.64.0.0", "shared/CGNAT (RFC 6598)"},
      {"100.127.255.255", "shared/CGNAT (RFC 6598)"},
      {"100.128.0.0", nullptr},
      {"127.0.0.1", "loopback (RFC 1122)"},
      {"127.255.255.255", "loopback (RFC 1122)"},
      {"169.254.169.254", "link-local (RFC 3927)"},
      {"169.255.0.0", nullptr},
      {"172.15.255.255", nullptr},
      {"172.16.0.0", "private (RFC 1918)"},
      {"172.31.255.255", "private (RFC 1918)"},
      {"172.32.0.0", nullptr},
      {"192.0.0.8", "IETF protocol assignments (RFC 6890)"},
      {"192.0.2.1", "documentation TEST-NET-1 (RFC 5737)"},
      {"192.0.3.0", nullptr},
      {"192.88.99.1", "6to4 relay anycast (RFC 7526)"},
      {"192.167.255.255", nullptr},
      {"192.168.0.1", "private (RFC 1918)"},
      {"192.169.0.0", nullptr},
      {"198.17.255.255", nullptr},
      {"198.18.0.0", "benchmarking (RFC 2544)"},
      {"198.19.255.255", "benchmarking (RFC 2544)"},
      {"198.20.0.0", nullptr},
      {"198.51.100.7", "documentation TEST-NET-2 (RFC 5737)"},
      {"203.0.113.200", "documentation TEST-NET-3 (RFC 5737)"},
      {"223.255.255.255", nullptr},
      {"224.0.0.1", "multicast (RFC 5771)"},
      {"239.255.255.255", "multicast (RFC 5771)"},
      {"240.0.0.0", "reserved (RFC 1112)"},
      {"255.255.255.254", "reserved (RFC 1112)"},
      {"255.255.255.255", "limited broadcast (RFC 919)"},
      {"8.8.8.8", nullptr},
      {"192.0.1.255", nullptr},
  });
}

TEST(AddressPolicy, Ipv6Ranges) {
  expect_all({
      {"::", "unspecified (RFC 4291)"},
      {"::1", "loopback (RFC 4291)"},
      {"::2", "IPv4-compatible, deprecated (RFC 4291)"},
      {"::8.8.8.8", "IPv4-compatible, deprecated (RFC 4291)"},
      {"64:ff9b:1::1", "local-use NAT64 (RFC 8215)"},
      {"100::1", "discard-only (RFC 6666)"},
      {"100:0:0:1::", nullptr},
      {"2001::1", "IETF protocol assignments (RFC 2928)"},  // Teredo
      {"2001:2::1", "IETF protocol assignments (RFC 2928)"},
      {"2001:1ff:ffff::", "IETF protocol assignments (RFC 2928)"},
      {"2001:200::1", nullptr},
      {"2001:db8::25", "documentation (RFC 3849)"},
      {"2001:db9::", nullptr},
      {"2a00:1450::1", nullptr},
      {"fbff:ffff::", nullptr},
      {"fc00::1", "unique-local (RFC 4193)"},
      {"fdff:ffff::1", "unique-local (RFC 4193)"},
      {"fe00::", nullptr},
      {"fe80::1", "link-local (RFC 4291)"},
      {"febf:ffff::", "link-local (RFC 4291)"},
      {"fec0::", nullptr},
      {"ff02::1", "multicast (RFC 4291)"},
  });
}

TEST(AddressPolicy, EmbeddedIpv4IsJudgedByTheIpv4Address) {
  expect_all({
      {"::ffff:10.255.0.25", "private (RFC 1918)"},
      {"::ffff:127.0.0.1", "loopback (RFC 1122)"},
      {"::ffff:100.64.0.25", "shared/CGNAT (RFC 6598)"},
      {"::ffff:8.8.8.8", nullptr},
      {"64:ff9b::a9fe:a9fe", "link-local (RFC 3927)"},  // 169.254.169.254
      {"64:ff9b::192.168.1.1", "private (RFC 1918)"},
      {"64:ff9b::8.8.4.4", nullptr},
      {"2002:0a00:0001::1", "private (RFC 1918)"},      // 6to4 of 10.0.0.1
      {"2002:c612:0001::", "benchmarking (RFC 2544)"},  // 198.18.0.1
      {"2002:7f00:1::", "loopback (RFC 1122)"},
      {"2002:0808:0808::1", nullptr},
  });
}

}  // namespace
}  // namespace intransit::check
