// line_reader_test.cpp — sink::LineReader, the one bounded line reader of the sink, the
// strip-proxy and the hostile server: CRLF and bare LF lines, lines split over many appends,
// over-long lines skipped to their end or stopping the reader, and memory bounded while a line
// never ends (RELIABILITY.md item 38). Then read_line() over an in-memory stream (Beast's test
// stream): lines spread over reads, an over-long line, the end of the stream, a failed read.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <string>
#include <vector>

#include "sink/line_reader.hpp"
#include "sink/read_line.hpp"

namespace {
using intransit::sink::LineReader;
using intransit::sink::LineStatus;
using intransit::sink::OverLong;

TEST(LineReader, CrlfAndBareLfLines) {
  LineReader r(100, OverLong::skip);
  r.append("EHLO a\r\nNOOP\nQUIT\r\r\n");
  std::string line;
  ASSERT_EQ(r.next(line), LineStatus::line);
  EXPECT_EQ(line, "EHLO a");
  EXPECT_TRUE(r.last_crlf());
  ASSERT_EQ(r.next(line), LineStatus::line);
  EXPECT_EQ(line, "NOOP");
  EXPECT_FALSE(r.last_crlf());
  ASSERT_EQ(r.next(line), LineStatus::line);
  EXPECT_EQ(line, "QUIT\r");  // only the CR right before the LF is the line end
  EXPECT_TRUE(r.last_crlf());
  EXPECT_EQ(r.next(line), LineStatus::more);
}

TEST(LineReader, LineSplitOverAppends) {
  LineReader r(100, OverLong::skip);
  std::string line;
  for (const char c : std::string("MAIL FROM:<a@b>\r")) {
    r.append(std::string(1, c));
    EXPECT_EQ(r.next(line), LineStatus::more);
  }
  r.append("\nRC");
  ASSERT_EQ(r.next(line), LineStatus::line);
  EXPECT_EQ(line, "MAIL FROM:<a@b>");
  EXPECT_EQ(r.pending(), "RC");
}

TEST(LineReader, LimitIsTheLineWithoutItsEnd) {
  LineReader r(4, OverLong::skip);
  std::string line;
  r.append("abcd\r");  // four bytes and a CR that may be the line end: not over yet
  EXPECT_EQ(r.next(line), LineStatus::more);
  r.append("\nabcde\r\n");
  ASSERT_EQ(r.next(line), LineStatus::line);
  EXPECT_EQ(line, "abcd");
  EXPECT_EQ(r.next(line), LineStatus::too_long);  // complete in one piece, still too long
  EXPECT_EQ(r.next(line), LineStatus::more);
}

TEST(LineReader, SkipModeDropsTheLongLineAndGoesOn) {
  LineReader r(16, OverLong::skip);
  std::string line;
  for (int i = 0; i < 1000; ++i) {  // 1 MB without a line end: memory stays bounded
    r.append(std::string(1000, 'x'));
    EXPECT_EQ(r.next(line), LineStatus::more);
    EXPECT_LE(r.pending().size(), 1000U);
  }
  r.append("xx\r\nNOOP\r\n");
  EXPECT_EQ(r.next(line), LineStatus::too_long);  // reported once the line has ended
  ASSERT_EQ(r.next(line), LineStatus::line);
  EXPECT_EQ(line, "NOOP");  // in step again
}

TEST(LineReader, StopModeEndsAtTheLimit) {
  LineReader r(16, OverLong::stop);
  std::string line;
  r.append(std::string(17, 'x'));
  EXPECT_EQ(r.next(line), LineStatus::too_long);  // at once, not at the line's end
  EXPECT_TRUE(r.pending().empty());
  r.append("\r\nNOOP\r\n");
  EXPECT_EQ(r.next(line), LineStatus::too_long);  // and for good
}

TEST(LineReader, ClearDropsPendingBytes) {  // RFC 3207 §4.2: nothing carries over into TLS
  LineReader r(100, OverLong::skip);
  r.append("MAIL FROM:<x@y>\r\n");
  r.clear();
  std::string line;
  EXPECT_EQ(r.next(line), LineStatus::more);
}

// read_line() against Beast's in-memory test stream.
namespace asio = boost::asio;
namespace test = boost::beast::test;

std::vector<std::pair<LineStatus, std::string>> read_all(test::stream& client, LineReader& reader) {
  std::vector<std::pair<LineStatus, std::string>> out;
  asio::io_context& io = static_cast<asio::io_context&>(client.get_executor().context());
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (;;) {
          std::string line;
          const auto status = co_await intransit::sink::read_line(
              reader, line, [&client](asio::mutable_buffer b, boost::system::error_code& ec) {
                return client.async_read_some(b, asio::redirect_error(asio::use_awaitable, ec));
              });
          out.emplace_back(status, line);
          if (status == LineStatus::closed || out.size() > 10) co_return;
        }
      },
      asio::detached);
  io.run();
  return out;
}

TEST(ReadLine, LinesSpreadOverReadsThenEnd) {
  asio::io_context io;
  test::stream client(io);
  test::stream server(io);
  client.connect(server);
  client.read_size(3);  // every read returns at most 3 bytes
  client.append("220 a\r\n250-b\r\n250 c\n");
  server.close();  // after the data: end of stream
  LineReader reader(64, OverLong::skip);
  const auto got = read_all(client, reader);
  ASSERT_EQ(got.size(), 4U);
  EXPECT_EQ(got[0], std::make_pair(LineStatus::line, std::string("220 a")));
  EXPECT_EQ(got[1], std::make_pair(LineStatus::line, std::string("250-b")));
  EXPECT_EQ(got[2], std::make_pair(LineStatus::line, std::string("250 c")));
  EXPECT_EQ(got[3].first, LineStatus::closed);
}

TEST(ReadLine, OverLongLineOverManyReads) {
  asio::io_context io;
  test::stream client(io);
  test::stream server(io);
  client.connect(server);
  client.read_size(100);
  client.append(std::string(10'000, 'A') + "\r\nQUIT\r\n");
  server.close();
  LineReader reader(2048, OverLong::skip);
  const auto got = read_all(client, reader);
  ASSERT_EQ(got.size(), 3U);
  EXPECT_EQ(got[0].first, LineStatus::too_long);
  EXPECT_EQ(got[1], std::make_pair(LineStatus::line, std::string("QUIT")));
  EXPECT_EQ(got[2].first, LineStatus::closed);
}

TEST(ReadLine, FailingReadEndsIt) {
  asio::io_context io;
  boost::beast::test::fail_count fail(2);  // the second read fails
  test::stream client(io, fail);
  test::stream server(io);
  client.connect(server);
  client.read_size(4);
  client.append("EHLO x\r\nNOOP\r\n");
  LineReader reader(64, OverLong::skip);
  const auto got = read_all(client, reader);
  ASSERT_EQ(got.size(), 1U);  // "EHLO" came in the first read, the rest never did
  EXPECT_EQ(got[0].first, LineStatus::closed);
}

}  // namespace
