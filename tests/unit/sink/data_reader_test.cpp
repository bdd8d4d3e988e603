// data_reader_test.cpp — sink::DataReader, the sink's DATA phase (RFC 5321 §4.1.1.4, §4.5.2):
// only <CRLF>.<CRLF> ends the data (SMTP smuggling, RELIABILITY.md item 41), dot-stuffing undone,
// the size counted, the header block kept and bounded, endless lines bounded, pipelined bytes
// after the end left for the command reader.
#include <gtest/gtest.h>

#include <string>

#include "sink/data_reader.hpp"

namespace {
using intransit::sink::DataReader;

TEST(DataReader, EndsAtCrlfDotCrlfAndUnstuffs) {
  DataReader r(1000, 100);
  std::string in = "Subject: t\r\nMessage-ID: <1@x>\r\n\r\nhi\r\n..stuffed\r\n.\r\nQUIT\r\n";
  EXPECT_TRUE(r.consume(in));
  EXPECT_EQ(in, "QUIT\r\n");  // the pipelined command stays for the command reader
  EXPECT_EQ(r.headers(), "Subject: t\nMessage-ID: <1@x>\n");
  EXPECT_EQ(r.size(),
            std::string("Subject: t\r\nMessage-ID: <1@x>\r\n\r\nhi\r\n.stuffed\r\n").size());
  EXPECT_FALSE(r.bare_line_ends());
}

TEST(DataReader, BareLfDotIsNoEnd) {  // item 41: "\n.\n" and "\r\n.\n" must not end the data
  for (const std::string smuggle :
       {"body\n.\nMAIL FROM:<x@y>\r\n", "body\r\n.\nRSET\r\n", "body\r\n.\r\r\nRSET\r\n"}) {
    DataReader r(1000, 100);
    std::string in = smuggle;
    EXPECT_FALSE(r.consume(in)) << smuggle;
    EXPECT_TRUE(r.bare_line_ends()) << smuggle;
    in += "\r\n.\r\n";
    EXPECT_TRUE(r.consume(in)) << smuggle;
  }
}

TEST(DataReader, EndSplitOverReads) {
  DataReader r(1000, 100);
  std::string in = "a\r\n";
  EXPECT_FALSE(r.consume(in));
  for (const char c : std::string(".\r")) {
    in += c;
    EXPECT_FALSE(r.consume(in));
  }
  in += "\n";
  EXPECT_TRUE(r.consume(in));
  EXPECT_EQ(r.size(), 3U);
}

TEST(DataReader, HeaderBlockIsBounded) {
  DataReader r(20, 1000);
  std::string in = "A: 1234567890\r\nB: 1234567890\r\n\r\nbody\r\n.\r\n";
  EXPECT_TRUE(r.consume(in));
  EXPECT_EQ(r.headers(), "A: 1234567890\n");  // the second line would pass the bound
}

TEST(DataReader, EndlessLineKeepsOnlyItsTail) {
  DataReader r(1000, 64);
  std::string in;
  for (int i = 0; i < 1000; ++i) {
    in += std::string(100, 'x');
    EXPECT_FALSE(r.consume(in));
    EXPECT_LE(in.size(), 164U);
  }
  in += "\r\n.\r\n";
  EXPECT_TRUE(r.consume(in));
  EXPECT_EQ(r.size(), 100'000U + 2);
  EXPECT_TRUE(r.headers().empty());  // no header line that long
}

}  // namespace
