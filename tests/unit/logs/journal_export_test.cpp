// Unit tests of the `journalctl -o export` reader (logs/journal_export.hpp): text and binary
// fields, every chunking of the same stream, bounded fields, cut input, format detection.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "logs/journal_export.hpp"

namespace intransit::logs {
namespace {

std::string binary_field(const std::string& name, const std::string& value) {
  std::string out = name + "\n";
  std::uint64_t n = value.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return out + value + "\n";
}

const std::string kStream =
    "__CURSOR=s=abc;i=1\n__REALTIME_TIMESTAMP=1796216470100000\n_HOSTNAME=mx\n"
    "SYSLOG_IDENTIFIER=postfix/smtp\n_PID=77\nSYSLOG_PID=42\nMESSAGE=ABC123: to=<u@a.test>\n\n" +
    std::string("__CURSOR=s=abc;i=2\n_PID=9\n") +
    binary_field("MESSAGE", std::string("two\nlines \xff", 11)) + "_HOSTNAME=mx2\n\n";

struct Collected {
  std::vector<JournalEntry> entries;
  int cuts = 0;
};

Collected read_in_chunks(const std::string& stream, std::size_t chunk, std::size_t cap = 1024) {
  Collected c;
  JournalExportReader reader([&](const JournalEntry& e) { c.entries.push_back(e); },
                             [&] { ++c.cuts; }, cap);
  for (std::size_t i = 0; i < stream.size(); i += chunk) {
    reader.push(stream.data() + i, std::min(chunk, stream.size() - i));
  }
  reader.finish();
  return c;
}

TEST(JournalExport, TextAndBinaryFieldsInEveryChunking) {
  for (std::size_t chunk = 1; chunk <= kStream.size(); ++chunk) {
    const auto c = read_in_chunks(kStream, chunk);
    ASSERT_EQ(c.entries.size(), 2U) << "chunk " << chunk;
    EXPECT_EQ(c.cuts, 0);
    EXPECT_EQ(c.entries[0].message, "ABC123: to=<u@a.test>");
    EXPECT_EQ(c.entries[0].pid, "42");  // SYSLOG_PID wins over _PID
    EXPECT_EQ(c.entries[0].identifier, "postfix/smtp");
    EXPECT_EQ(c.entries[0].realtime, "1796216470100000");
    EXPECT_EQ(c.entries[1].message, std::string("two\nlines \xff", 11));
    EXPECT_EQ(c.entries[1].pid, "9");
    EXPECT_EQ(c.entries[1].host, "mx2");
  }
}

TEST(JournalExport, OversizedFieldsAreSkippedAndCounted) {
  const std::string big(5000, 'x');
  const std::string stream = "MESSAGE=" + big + "\n_PID=1\n\n" + binary_field("MESSAGE", big) +
                             "_PID=2\n\nMESSAGE=fine\n\n";
  const auto c = read_in_chunks(stream, 100, 1024);
  ASSERT_EQ(c.entries.size(), 3U);
  EXPECT_EQ(c.cuts, 2);
  EXPECT_EQ(c.entries[0].message, "");
  EXPECT_EQ(c.entries[1].pid, "2");
  EXPECT_EQ(c.entries[2].message, "fine");
}

TEST(JournalExport, AHugeDeclaredLengthIsNotAllocated) {
  std::string stream = "MESSAGE\n";
  for (int i = 0; i < 8; ++i) stream.push_back('\xff');  // 2^64 - 1 bytes announced
  stream += "short";
  const auto c = read_in_chunks(stream, 3);
  EXPECT_EQ(c.cuts, 1);  // cut inside the field at the end of input
  EXPECT_TRUE(c.entries.empty());
}

TEST(JournalExport, InputCutShortStillGivesTheEntry) {
  const auto c = read_in_chunks("_PID=1\nMESSAGE=last", 4);
  ASSERT_EQ(c.entries.size(), 1U);
  EXPECT_EQ(c.entries[0].pid, "1");
  EXPECT_EQ(c.entries[0].message, "last");  // a last line without its newline still counts
  EXPECT_EQ(c.cuts, 0);
}

TEST(JournalExport, Detection) {
  EXPECT_TRUE(looks_like_journal_export("__CURSOR=s=1\n"));
  EXPECT_TRUE(looks_like_journal_export("MESSAGE=x"));
  EXPECT_FALSE(looks_like_journal_export("Dec  2 12:00:01 mx postfix/smtp[1]: a=b\n"));
  EXPECT_FALSE(looks_like_journal_export("{\"MESSAGE\":\"x\"}\n"));
  EXPECT_FALSE(looks_like_journal_export("2026-12-02 13:02:01 1kABCD-0001Ab-Cd => u@exim.test\n"));
  EXPECT_FALSE(looks_like_journal_export(""));
}

}  // namespace
}  // namespace intransit::logs
