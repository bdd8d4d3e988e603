// header_scan_test.cpp — the fast path's mbox framing and header-block scan
// (trace/header_scan.hpp): the slices it finds in a plain message, and every way a message stops
// being "plain" (then GMime reads it; the differential fuzz target checks the two agree).
#include <gtest/gtest.h>

#include <string>

#include "trace/header_scan.hpp"

namespace intransit::trace {
namespace {

constexpr std::string_view kPlain =
    "From a@example.org Sat Nov 28 10:00:00 2026\n"
    "Received: from mx.example.org (mx.example.org [192.0.2.1])\n"
    "\tby mail.example.net with ESMTPS id 1;\n"
    "\tSat, 28 Nov 2026 10:00:00 +0000\n"
    "Received: from a by b with SMTP; date\r\n"
    "From: Alice <a@example.org>\n"
    "Message-ID: <1@example.org>\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "body\n"
    "From the body, escaped or not\n";

TEST(HeaderScan, PlainMessageSlices) {
  const auto scan = scan_headers(kPlain);
  ASSERT_TRUE(scan.plain);
  ASSERT_EQ(scan.received.size(), 2U);
  EXPECT_EQ(scan.received[0],
            " from mx.example.org (mx.example.org [192.0.2.1])\n\tby mail.example.net with ESMTPS "
            "id 1;\n\tSat, 28 Nov 2026 10:00:00 +0000");
  EXPECT_EQ(scan.received[1], " from a by b with SMTP; date");  // CRLF excluded
  EXPECT_EQ(*scan.from, " Alice <a@example.org>");
  EXPECT_EQ(*scan.message_id, " <1@example.org>");
  EXPECT_EQ(*scan.content_type, " text/plain; charset=utf-8");
  EXPECT_EQ(scan.body.substr(0, 5), "body\n");
}

TEST(HeaderScan, MessagesEndAtLinesStartingFrom) {
  const std::string mbox =
      std::string(kPlain) + "From b@example.org Sat Nov 28 10:00:01 2026\nSubject: 2\n\nx\n";
  const auto first_end = next_mbox_message(mbox, 0);
  EXPECT_EQ(mbox.substr(first_end, 7), "From th");  // GMime splits on any line starting "From "
  const auto second_end = next_mbox_message(mbox, first_end);
  EXPECT_EQ(mbox.substr(second_end, 7), "From b@");
  EXPECT_EQ(next_mbox_message(mbox, second_end), mbox.size());
  EXPECT_EQ(next_mbox_message("From x\nFrom", 0), 11U);  // "From" without the space is no separator
}

TEST(HeaderScan, AnythingUnusualIsLeftToGmime) {
  const std::string head = "From a@example.org Sat Nov 28 10:00:00 2026\n";
  EXPECT_FALSE(scan_headers(head + "Subject: x\n").plain);             // no end of headers
  EXPECT_FALSE(scan_headers(head + " folded first\n\nbody\n").plain);  // continuation of nothing
  EXPECT_FALSE(scan_headers(head + "no colon here\n\nbody\n").plain);  // not a field
  EXPECT_FALSE(scan_headers(head + std::string("Subject: a\0b\n\nbody\n", 18)).plain);  // NUL
  EXPECT_FALSE(
      scan_headers(head + "Message-ID: <1@x>\nMessage-ID: <2@x>\n\nb\n").plain);  // which one?
  EXPECT_FALSE(scan_headers(head + "Subject: " + std::string(3000, 'x') + "\n\nb\n")
                   .plain);  // over-long line
  EXPECT_FALSE(scan_headers("Subject: no From_ line\n\nbody\n").plain);
  EXPECT_TRUE(scan_headers(head + "Subject: x\n\n").plain);  // an empty body is fine
}

}  // namespace
}  // namespace intransit::trace
