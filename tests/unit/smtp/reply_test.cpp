// Unit tests for smtp/reply.hpp: RFC 5321 §4.2 replies and the hostile cases of RELIABILITY.md
// items 6, 7, 9, 10, 11, 12 and 13.
#include "smtp/reply.hpp"

#include <gtest/gtest.h>

#include <string>

using intransit::smtp::ReplyError;
using intransit::smtp::ReplyLimits;
using intransit::smtp::ReplyParser;
using Status = ReplyParser::Status;

TEST(ReplyParser, SingleLineBanner) {
  ReplyParser p;
  const std::string wire = "220 mx.example.test ESMTP Postfix\r\n";
  const auto r = p.feed(wire);
  EXPECT_EQ(r.status, Status::complete);
  EXPECT_EQ(r.consumed, wire.size());
  EXPECT_EQ(p.reply().code, 220);
  ASSERT_EQ(p.reply().lines.size(), 1u);
  EXPECT_EQ(p.reply().lines[0], "mx.example.test ESMTP Postfix");
  EXPECT_FALSE(p.reply().bare_lf);
  EXPECT_FALSE(p.reply().inconsistent_codes);
}

TEST(ReplyParser, MultiLineReplyArrivingInPieces) {
  ReplyParser p;
  EXPECT_EQ(p.feed("250-mx.example.test\r\n250-PIPE").status, Status::need_more);
  EXPECT_EQ(p.feed("LINING\r\n250 STARTTLS\r").status, Status::need_more);
  const auto r = p.feed("\n");
  EXPECT_EQ(r.status, Status::complete);
  EXPECT_EQ(p.reply().code, 250);
  EXPECT_EQ(p.reply().lines,
            (std::vector<std::string>{"mx.example.test", "PIPELINING", "STARTTLS"}));
}

TEST(ReplyParser, CodeWithoutTextIsALastLine) {
  ReplyParser p;
  EXPECT_EQ(p.feed("250\r\n").status, Status::complete);
  EXPECT_EQ(p.reply().code, 250);
  EXPECT_EQ(p.reply().lines, std::vector<std::string>{""});
}

TEST(ReplyParser, StopsAtTheEndOfOneReplyAndLeavesTheRest) {
  // STARTTLS response injection (CVE-2011-0411): bytes after the 220 belong to nobody.
  ReplyParser p;
  const std::string wire = "220 2.0.0 Ready to start TLS\r\n250-FAKE injected\r\n";
  const auto r = p.feed(wire);
  EXPECT_EQ(r.status, Status::complete);
  EXPECT_EQ(wire.substr(r.consumed), "250-FAKE injected\r\n");
}

TEST(ReplyParser, AcceptsBareLfAndSaysSo) {
  ReplyParser p;
  EXPECT_EQ(p.feed("220-hello\n220 world\r\n").status, Status::complete);
  EXPECT_TRUE(p.reply().bare_lf);
  EXPECT_EQ(p.reply().lines.size(), 2u);
}

TEST(ReplyParser, UsesTheFinalLinesCodeAndFlagsInconsistency) {
  ReplyParser p;
  EXPECT_EQ(p.feed("250-a\r\n451 b\r\n").status, Status::complete);
  EXPECT_EQ(p.reply().code, 451);
  EXPECT_TRUE(p.reply().inconsistent_codes);
}

TEST(ReplyParser, RejectsMalformedCodes) {
  for (const std::string bad : {"25 x\r\n", "2500 x\r\n", "abc\r\n", "199 x\r\n", "600 x\r\n",
                                "260 x\r\n", "250_x\r\n", "\r\n", " 250 x\r\n"}) {
    ReplyParser p;
    EXPECT_EQ(p.feed(bad).status, Status::error) << bad;
    EXPECT_EQ(p.error(), ReplyError::malformed_code) << bad;
  }
}

TEST(ReplyParser, KeepsNulAndEightBitBytesWithTheirLength) {
  ReplyParser p;
  const std::string wire("220 a\0b\xff\r\n", 10);
  EXPECT_EQ(p.feed(wire).status, Status::complete);
  EXPECT_EQ(p.reply().lines[0], std::string("a\0b\xff", 4));
}

TEST(ReplyParser, LineTooLongWithoutLineEnd) {
  ReplyParser p(ReplyLimits{.max_line_bytes = 10, .max_lines = 8, .max_reply_bytes = 1000});
  EXPECT_EQ(p.feed("220 12345").status, Status::need_more);
  EXPECT_EQ(p.feed("67890123").status, Status::error);
  EXPECT_EQ(p.error(), ReplyError::line_too_long);
  EXPECT_EQ(to_string(p.error()), "line-too-long");
}

TEST(ReplyParser, LineAtTheLimitIsAccepted) {
  ReplyParser p(ReplyLimits{.max_line_bytes = 10, .max_lines = 8, .max_reply_bytes = 1000});
  EXPECT_EQ(p.feed("220 123456\r\n").status, Status::complete);  // 10 bytes before CRLF
  p.reset();
  EXPECT_EQ(p.feed("220 1234567\r\n").status, Status::error);  // 11
}

TEST(ReplyParser, EndlessMultiLineReplyHitsTheLineCap) {
  ReplyParser p(ReplyLimits{.max_line_bytes = 100, .max_lines = 3, .max_reply_bytes = 100000});
  const auto r = p.feed("250-a\r\n250-b\r\n250-c\r\n250-d\r\n250-e\r\n");
  EXPECT_EQ(r.status, Status::error);
  EXPECT_EQ(p.error(), ReplyError::too_many_lines);
  EXPECT_EQ(r.consumed, 28u);  // stopped at the fourth line
}

TEST(ReplyParser, ReplyByteCapCountsLineEnds) {
  ReplyParser p(ReplyLimits{.max_line_bytes = 100, .max_lines = 100, .max_reply_bytes = 12});
  EXPECT_EQ(p.feed("250-a\r\n250-b\r\n").status, Status::error);
  EXPECT_EQ(p.error(), ReplyError::too_large);
}

TEST(ReplyParser, ErrorIsStickyUntilReset) {
  ReplyParser p;
  EXPECT_EQ(p.feed("xyz\r\n").status, Status::error);
  EXPECT_EQ(p.feed("250 ok\r\n").status, Status::error);
  EXPECT_EQ(p.feed("250 ok\r\n").consumed, 0u);
  p.reset();
  EXPECT_EQ(p.feed("250 ok\r\n").status, Status::complete);
}
