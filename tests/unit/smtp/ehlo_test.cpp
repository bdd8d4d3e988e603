// Unit tests for smtp/ehlo.hpp: RFC 5321 §4.1.1.1 ehlo-lines, as Postfix and Exim send them,
// and broken ones.
#include "smtp/ehlo.hpp"

#include <gtest/gtest.h>

#include <string>

using intransit::smtp::parse_ehlo;
using intransit::smtp::Reply;
using intransit::smtp::ReplyParser;

namespace {
Reply reply_of(const std::string& wire) {
  ReplyParser p;
  EXPECT_EQ(p.feed(wire).status, ReplyParser::Status::complete) << wire;
  return p.reply();
}
}  // namespace

TEST(Ehlo, PostfixCapabilities) {
  const auto caps = parse_ehlo(reply_of(
      "250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
      "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"));
  EXPECT_EQ(caps.server_name, "mx.example.test");
  EXPECT_TRUE(caps.has("STARTTLS"));
  EXPECT_TRUE(caps.has("starttls"));  // keywords are case-insensitive
  EXPECT_FALSE(caps.has("REQUIRETLS"));
  EXPECT_EQ(caps.size_limit(), 10240000u);
  EXPECT_TRUE(caps.malformed.empty());
  EXPECT_EQ(caps.keywords.size(), 8u);
}

TEST(Ehlo, ParamsAndLowerCaseKeywords) {
  const auto caps = parse_ehlo(
      reply_of("250-mx Hello there [127.0.0.1]\r\n250-auth PLAIN LOGIN\r\n250 requiretls\r\n"));
  EXPECT_EQ(caps.server_name, "mx");
  ASSERT_TRUE(caps.has("AUTH"));
  EXPECT_EQ(caps.keywords.at("AUTH"), (std::vector<std::string>{"PLAIN", "LOGIN"}));
  EXPECT_TRUE(caps.has("REQUIRETLS"));
}

TEST(Ehlo, MalformedLinesAreKeptNotDropped) {
  const auto caps =
      parse_ehlo(reply_of("250-mx\r\n250-AUTH=LOGIN PLAIN\r\n250- STARTTLS\r\n250-SIZE  "
                          "100\r\n250-X\x01Y\r\n250 OK\r\n"));
  EXPECT_EQ(caps.malformed,
            (std::vector<std::string>{"AUTH=LOGIN PLAIN", " STARTTLS", "SIZE  100", "X\x01Y"}));
  EXPECT_FALSE(caps.has("STARTTLS"));  // " STARTTLS" does not advertise it
  EXPECT_TRUE(caps.has("OK"));
}

TEST(Ehlo, SizeLimitEdgeCases) {
  EXPECT_EQ(parse_ehlo(reply_of("250-mx\r\n250 SIZE\r\n")).size_limit(), std::nullopt);
  EXPECT_EQ(parse_ehlo(reply_of("250-mx\r\n250 SIZE 0\r\n")).size_limit(), 0u);
  EXPECT_EQ(parse_ehlo(reply_of("250-mx\r\n250 SIZE 12x\r\n")).size_limit(), std::nullopt);
  EXPECT_EQ(parse_ehlo(reply_of("250-mx\r\n250 SIZE 99999999999999999999999\r\n")).size_limit(),
            std::nullopt);
}

TEST(Ehlo, DuplicatesKeepTheFirst) {
  const auto caps = parse_ehlo(reply_of("250-mx\r\n250-SIZE 10\r\n250 SIZE 20\r\n"));
  EXPECT_TRUE(caps.duplicates);
  EXPECT_EQ(caps.size_limit(), 10u);
}

TEST(Ehlo, NonPositiveReplyHasNoCapabilities) {
  const auto caps = parse_ehlo(reply_of("502-5.5.1 no\r\n502 STARTTLS\r\n"));
  EXPECT_TRUE(caps.keywords.empty());
  EXPECT_FALSE(caps.has("STARTTLS"));
}
