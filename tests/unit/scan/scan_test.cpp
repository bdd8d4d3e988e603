// scan_test.cpp — the scan library's pure parts (issue 16): input normalisation, the shard hash
// (fixed values: shards must hold the same domains everywhere), the exclude list, the token
// bucket on a hand-driven clock, reading a file back for --resume (a truncated last line, a
// footer to replace), and the progress line's words.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include <cstdio>
#include <fstream>

#include "core/token_bucket.hpp"
#include "scan/exclude.hpp"
#include "scan/input.hpp"
#include "scan/progress.hpp"
#include "scan/scan_file.hpp"
#include "scan/shard.hpp"

namespace intransit::scan {
namespace {

using Kind = LineResult::Kind;

TEST(ScanInput, NormalisesLines) {
  EXPECT_EQ(parse_line("  Example.ORG.  ", 0).domain, "example.org");
  EXPECT_EQ(parse_line("example.org # a comment", 0).domain, "example.org");
  EXPECT_EQ(parse_line("# only a comment", 0).kind, Kind::nothing);
  EXPECT_EQ(parse_line("   \r", 0).kind, Kind::nothing);
  EXPECT_EQ(parse_line("mail.example.org\r", 0).domain, "mail.example.org");
  EXPECT_EQ(parse_line("not a domain", 0).kind, Kind::invalid);
  EXPECT_EQ(parse_line("192.0.2.1", 0).kind, Kind::invalid);  // an address, not a domain
  EXPECT_EQ(parse_line("domain", 0).kind, Kind::invalid);     // a CSV header, a word
  EXPECT_EQ(parse_line(std::string(300, 'a') + ".org", 0).kind, Kind::invalid);
}

TEST(ScanInput, ReadsACsvColumn) {
  EXPECT_EQ(parse_line("1,Example.COM,x", 2).domain, "example.com");
  EXPECT_EQ(parse_line("\"a, b\",\"example.net.\"", 2).domain, "example.net");
  EXPECT_EQ(parse_line("1", 2).kind, Kind::nothing);  // no such column: nothing
}

TEST(ScanInput, ReaderDropsDuplicatesAndCountsInvalidLines) {
  char path[] = "/tmp/scan_input_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "# list\nA.example\na.example.\n\nbad name\nb.example\na.example";
  std::string error;
  auto reader = InputReader::open(path, 0, Shard{}, error);
  ASSERT_TRUE(reader) << error;
  EXPECT_EQ(reader->stats().sha256.size(), 64U);
  EXPECT_EQ(reader->stats().in_shard, 4U);
  std::vector<std::string> got;
  while (auto d = reader->next()) got.push_back(*d);
  EXPECT_EQ(got, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(reader->duplicates(), 2U);
  EXPECT_EQ(reader->invalid(), 1U);
  EXPECT_EQ(reader->first_invalid(), "bad name");
  std::remove(path);
}

TEST(ScanShard, HashIsFnv1a64) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(ScanShard, EveryDomainInExactlyOneShard) {
  for (const char* d : {"plain.test", "dane.test", "example.org", "x.y.z"}) {
    int in = 0;
    for (std::uint32_t k = 0; k < 4; ++k) in += in_shard(d, Shard{k, 4}) ? 1 : 0;
    EXPECT_EQ(in, 1) << d;
  }
}

TEST(ScanShard, ParsesKOfN) {
  std::string error;
  EXPECT_EQ(parse_shard("3/4", error), (Shard{3, 4}));
  EXPECT_FALSE(parse_shard("4/4", error));
  EXPECT_FALSE(parse_shard("0/0", error));
  EXPECT_FALSE(parse_shard("1", error));
  EXPECT_FALSE(parse_shard("-1/4", error));
  EXPECT_FALSE(parse_shard("1/4x", error));
}

TEST(ScanExclude, DomainsAddressesAndPrefixes) {
  ExcludeList list;
  std::string error;
  for (const char* line :
       {"Example.ORG.", "192.0.2.0/24", "2001:db8::/32", "198.51.100.7", "# comment", ""}) {
    ASSERT_TRUE(list.add(line, error)) << line << ": " << error;
  }
  EXPECT_FALSE(list.add("192.0.2.0/33", error));
  EXPECT_FALSE(list.add("not a domain", error));
  EXPECT_TRUE(list.excludes_domain("example.org"));
  EXPECT_TRUE(list.excludes_domain("mail.example.org"));
  EXPECT_FALSE(list.excludes_domain("notexample.org"));
  EXPECT_FALSE(list.excludes_domain("org"));
  const auto ip = [](const char* s) { return boost::asio::ip::make_address(s); };
  EXPECT_TRUE(list.excludes_address(ip("192.0.2.200")));
  EXPECT_FALSE(list.excludes_address(ip("192.0.3.1")));
  EXPECT_TRUE(list.excludes_address(ip("198.51.100.7")));
  EXPECT_FALSE(list.excludes_address(ip("198.51.100.8")));
  EXPECT_TRUE(list.excludes_address(ip("2001:db8:1::25")));
  EXPECT_FALSE(list.excludes_address(ip("2001:db9::25")));
  EXPECT_FALSE(list.excludes_address(ip("::ffff:192.0.3.1")));
  EXPECT_TRUE(list.excludes_address(ip("::ffff:192.0.2.1")));  // IPv4-mapped is the same host
}

TEST(ScanTokenBucket, RateAndBurstOnAnInjectedClock) {
  using namespace std::chrono_literals;
  const TokenBucket::Clock::time_point t0{};
  TokenBucket bucket(2.0, 2.0, t0);  // 2 a second, 2 saved up
  EXPECT_EQ(bucket.take(t0), TokenBucket::Clock::duration::zero());
  EXPECT_EQ(bucket.take(t0), TokenBucket::Clock::duration::zero());
  const auto wait = bucket.take(t0);
  EXPECT_GT(wait, 499ms);
  EXPECT_LE(wait, 500ms);
  EXPECT_EQ(bucket.take(t0 + 500ms), TokenBucket::Clock::duration::zero());
  EXPECT_GT(bucket.take(t0 + 500ms), 0ms);
  EXPECT_EQ(bucket.take(t0 + 10s), TokenBucket::Clock::duration::zero());  // burst caps savings
  EXPECT_EQ(bucket.take(t0 + 10s), TokenBucket::Clock::duration::zero());
  EXPECT_GT(bucket.take(t0 + 10s), 0ms);
  TokenBucket unlimited(0, 0, t0);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(unlimited.take(t0), TokenBucket::Clock::duration::zero());
}

std::string temp_file(const std::string& text) {
  char path[] = "/tmp/scan_file_XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const std::string kHeader =
    R"({"schema":"intransit.scan/1","type":"header","input_sha256":"00","options":{},"shard":{"index":0,"count":1}})";

TEST(ScanFileRead, ATruncatedLastLineIsDropped) {
  const std::string body =
      kHeader + "\n" + R"({"schema":"intransit.check/1","domain":"a.test","verdict":"plaintext"})" +
      "\n";
  const auto path = temp_file(body + R"({"schema":"intransit.check/1","domain":"b.te)");
  std::string error;
  const auto file = read_scan_file(path, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->keep_bytes, body.size());
  EXPECT_GT(file->truncated_bytes, 0U);
  EXPECT_EQ(file->tally.domains, 1U);
  EXPECT_EQ(file->tally.counts.at("plaintext"), 1U);
  EXPECT_EQ(file->done.count(fnv1a64("a.test")), 1U);
  EXPECT_EQ(file->done.count(fnv1a64("b.test")), 0U);
  std::remove(path.c_str());
}

TEST(ScanFileRead, AFooterIsCutForAppending) {
  const std::string body =
      kHeader + "\n" +
      R"({"schema":"intransit.scan/1","type":"skipped","domain":"x.test","reason":"excluded"})" +
      "\n";
  const auto path =
      temp_file(body + R"({"schema":"intransit.scan/1","type":"footer","complete":false})" + "\n");
  std::string error;
  const auto file = read_scan_file(path, error);
  ASSERT_TRUE(file) << error;
  ASSERT_TRUE(file->footer);
  EXPECT_EQ(file->keep_bytes, body.size());
  EXPECT_EQ(file->tally.counts.at("skipped"), 1U);
  std::remove(path.c_str());
}

TEST(ScanFileRead, RefusesWhatIsNoScanFile) {
  std::string error;
  const auto no_header = temp_file(R"({"schema":"intransit.check/1","domain":"a.test"})"
                                   "\n");
  EXPECT_FALSE(read_scan_file(no_header, error));
  const auto garbage = temp_file(kHeader + "\nnot json\n" + kHeader + "\n");
  EXPECT_FALSE(read_scan_file(garbage, error));
  std::remove(no_header.c_str());
  std::remove(garbage.c_str());
}

TEST(ScanProgress, SaysDoneRateAndTimeLeft) {
  Tally t;
  for (int i = 0; i < 50; ++i) t.add("opportunistic");
  const auto line = ProgressLine::text(t, 150, 0, 10.0, 7);
  EXPECT_EQ(line, "50/150 domains, 5.0/s, 7 in flight, ETA 0:00:20 opportunistic 50");
}

}  // namespace
}  // namespace intransit::scan
