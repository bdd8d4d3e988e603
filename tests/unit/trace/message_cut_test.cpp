// message_cut_test.cpp — the bounded copy of a message (trace/message_cut.hpp): header lines and
// the header block capped and what was cut counted (RELIABILITY.md item 37), reading that ends on
// an endless header (/dev/zero, item 54), and the mbox split of a stream read in pieces of any size
// (a pipe, item 54) giving the same messages as one read.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "trace/message_cut.hpp"

namespace intransit::trace {
namespace {

std::string cut_copy(std::string_view message, bool from_line, HeaderCut* cut = nullptr) {
  MessageCutter cutter;
  cutter.reset(from_line);
  cutter.feed(message);
  if (cut != nullptr) *cut = cutter.cut();
  return std::string(cutter.copy());
}

TEST(MessageCut, PlainMessageIsKeptWhole) {
  const std::string m =
      "From a@example.org Sat Nov 28 10:00:00 2026\nReceived: from a by b with ESMTPS; date\r\n"
      "Subject: x\n\nbody\nline\n";
  HeaderCut cut;
  EXPECT_EQ(cut_copy(m, true, &cut), m);
  EXPECT_FALSE(cut.any());
}

// Item 37: a 2 MB header line is kept up to kHeaderLineBytes, the rest counted; the lines after it
// are kept.
TEST(MessageCut, LongLineIsCutAndCounted) {
  const std::string line = "Received: " + std::string(2'000'000 - 10, 'x');
  const std::string m = "From a\n" + line.substr(0, 50'000) + "\nSubject: after\n\nbody\n";
  HeaderCut cut;
  const std::string copy = cut_copy(m, true, &cut);
  EXPECT_EQ(cut.long_lines, 1U);
  EXPECT_EQ(cut.long_line_bytes, 50'000 - limits::kHeaderLineBytes);
  EXPECT_FALSE(cut.block_cut);
  EXPECT_EQ(copy,
            "From a\n" + line.substr(0, limits::kHeaderLineBytes) + "\nSubject: after\n\nbody\n");
}

// Item 37: past kHeaderBlockBytes read, nothing more of the message is read; the copy ends with a
// whole line.
TEST(MessageCut, HeaderBlockIsReadUpToItsCap) {
  std::string m = "From a\n";
  for (int i = 0; i < 5000; ++i) m += "X-Filler: " + std::string(200, 'y') + "\n";
  m += "\nbody\n";
  MessageCutter cutter;
  cutter.reset(true);
  EXPECT_FALSE(cutter.feed(m));  // needs no more
  EXPECT_TRUE(cutter.cut().block_cut);
  EXPECT_LE(cutter.copy().size(), limits::kHeaderBlockBytes + 1);
  EXPECT_EQ(cutter.copy().back(), '\n');
  EXPECT_EQ(cutter.copy().find("body"), std::string_view::npos);
}

// Item 54: an endless header with no line end (/dev/zero) stops being read at the block cap.
TEST(MessageCut, EndlessHeaderEndsAtTheCap) {
  MessageCutter cutter;
  cutter.reset(false);
  const std::string zeros(4096, '\0');
  std::size_t fed = 0;
  while (cutter.feed(zeros)) {
    fed += zeros.size();
    ASSERT_LE(fed, 2 * limits::kHeaderBlockBytes) << "still reading";
  }
  EXPECT_TRUE(cutter.cut().block_cut);
  EXPECT_EQ(cutter.cut().long_lines, 1U);
  EXPECT_LE(cutter.copy().size(), limits::kHeaderLineBytes + 1);
}

// The body is kept only as far as trace reads it (inline PGP armour at its start).
TEST(MessageCut, BodyIsKeptUpToItsCap) {
  const std::string m = "Subject: x\n\n" + std::string(1'000'000, 'b');
  MessageCutter cutter;
  cutter.reset(false);
  EXPECT_FALSE(cutter.feed(m));
  EXPECT_EQ(cutter.copy().size(),
            std::string("Subject: x\n\n").size() + limits::kMessageBodyKeepBytes);
  EXPECT_FALSE(cutter.cut().any());
}

// Fed one byte at a time, the copy and the counts are what one feed gives.
TEST(MessageCut, PiecesOfAnySizeGiveTheSameCopy) {
  const std::string m = "From a\r\nReceived: " + std::string(40'000, 'r') + "\r\n\r\nbody\n";
  HeaderCut whole_cut;
  const std::string whole = cut_copy(m, true, &whole_cut);
  MessageCutter cutter;
  cutter.reset(true);
  for (const char c : m) cutter.feed(std::string_view(&c, 1));
  EXPECT_EQ(cutter.copy(), whole);
  EXPECT_EQ(cutter.cut(), whole_cut);
  EXPECT_EQ(whole_cut.long_lines, 1U);
}

std::vector<std::string> split(std::string_view mbox, std::size_t piece, std::size_t prefix) {
  std::size_t at = prefix;
  MboxSplitter splitter(
      [&](char* buf, std::size_t n) {
        const std::size_t k = std::min({n, piece, mbox.size() - at});
        std::copy_n(mbox.data() + at, k, buf);
        at += k;
        return k;
      },
      mbox.substr(0, prefix));
  std::vector<std::string> out;
  MessageCutter cutter;
  while (splitter.next(cutter)) out.emplace_back(cutter.copy());
  EXPECT_EQ(splitter.consumed(), mbox.size());
  return out;
}

// Item 54: a stream read in pieces of any size (a pipe hands out what it has) splits into the same
// messages, at lines that start "From " only, with the five bytes read first to tell an mbox.
TEST(MboxSplit, PiecesOfAnySizeGiveTheSameMessages) {
  const std::string mbox =
      "From a Sat\nSubject: 1\n\nbody From not a start\nFro\n>From quoted\n"
      "From b Sat\nSubject: 2\n\n\nFrom c Sat\nSubject: 3\n\nFrom";
  const std::vector<std::string> expected{
      "From a Sat\nSubject: 1\n\nbody From not a start\nFro\n>From quoted\n",
      "From b Sat\nSubject: 2\n\n\n", "From c Sat\nSubject: 3\n\nFrom"};
  for (std::size_t piece = 1; piece <= mbox.size(); ++piece) {
    EXPECT_EQ(split(mbox, piece, 5), expected) << "pieces of " << piece;
    EXPECT_EQ(split(mbox, piece, 0), expected) << "pieces of " << piece << ", no prefix";
  }
}

TEST(MboxSplit, FindStartLeavesACutFromUndecided) {
  std::size_t undecided = 0;
  EXPECT_EQ(find_mbox_start("x\nFro", 0, false, undecided), 5U);
  EXPECT_EQ(undecided, 2U);
  EXPECT_EQ(find_mbox_start("From x", 0, true, undecided), 0U);
  EXPECT_EQ(find_mbox_start("From x", 0, false, undecided), 6U);
  EXPECT_EQ(undecided, 6U);
}

}  // namespace
}  // namespace intransit::trace
