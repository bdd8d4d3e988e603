// strip_starttls_test.cpp — the strip-proxy's EHLO rewrite (sink/strip_proxy.hpp): STARTTLS
// removed or overwritten wherever it stands, continuation markers repaired (RFC 5321 §4.2.1).
#include <gtest/gtest.h>

#include "sink/strip_proxy.hpp"

namespace intransit::sink {
namespace {

TEST(StripStarttls, RemovesTheLineAndRepairsTheLastLine) {
  std::vector<std::string> reply{"250-mx.example.org", "250-PIPELINING", "250 STARTTLS"};
  EXPECT_TRUE(strip_starttls(reply, ""));
  EXPECT_EQ(reply, (std::vector<std::string>{"250-mx.example.org", "250 PIPELINING"}));
}

TEST(StripStarttls, MiddleLineAndCaseInsensitive) {
  std::vector<std::string> reply{"250-mx.example.org", "250-starttls", "250-SIZE 100",
                                 "250 8BITMIME"};
  EXPECT_TRUE(strip_starttls(reply, ""));
  EXPECT_EQ(reply,
            (std::vector<std::string>{"250-mx.example.org", "250-SIZE 100", "250 8BITMIME"}));
}

TEST(StripStarttls, OverwritesLikeAFirewall) {
  std::vector<std::string> reply{"250-mx.example.org", "250 STARTTLS"};
  EXPECT_TRUE(strip_starttls(reply, "XXXXXXXA"));
  EXPECT_EQ(reply, (std::vector<std::string>{"250-mx.example.org", "250 XXXXXXXA"}));
}

TEST(StripStarttls, LeavesOtherRepliesAlone) {
  std::vector<std::string> reply{"250-mx.example.org", "250-STARTTLSX", "250 AUTH PLAIN"};
  EXPECT_FALSE(strip_starttls(reply, ""));
  EXPECT_EQ(reply.size(), 3U);
  std::vector<std::string> single{"250 mx.example.org"};
  EXPECT_FALSE(strip_starttls(single, ""));
  EXPECT_EQ(single, (std::vector<std::string>{"250 mx.example.org"}));
}

}  // namespace
}  // namespace intransit::sink
