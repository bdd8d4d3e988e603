// Unit tests for core/text.hpp: escaping of hostile bytes and UTF-8 validation (RFC 3629 §4).
#include "core/text.hpp"
#include "core/safe_output.hpp"

#include <ostream>
#include <sstream>

#include <gtest/gtest.h>

#include <string>

using intransit::text::is_valid_utf8;
using intransit::text::printable;

TEST(Printable, KeepsPrintableAsciiAndUtf8) {
  EXPECT_EQ(printable("220 mx.example ESMTP ready"), "220 mx.example ESMTP ready");
  EXPECT_EQ(printable("gr\xC3\xBC\xC3\x9F dich \xE2\x82\xAC \xF0\x9F\x93\xA7"),
            "gr\xC3\xBC\xC3\x9F dich \xE2\x82\xAC \xF0\x9F\x93\xA7");
}

TEST(Printable, EscapesControlsNulAndBackslash) {
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable("\r\n\t\x1b[31m\x7f"), "\\x0d\\x0a\\x09\\x1b[31m\\x7f");
  EXPECT_EQ(printable("C:\\x00"), "C:\\\\x00");  // a literal backslash cannot forge an escape
}

TEST(Printable, EscapesC1ControlsEncodedAsUtf8) {
  EXPECT_EQ(printable("\xC2\x9B"
                      "2J"),
            "\\xc2\\x9b2J");                     // U+009B CSI
  EXPECT_EQ(printable("\xC2\xA0"), "\xC2\xA0");  // U+00A0 is not a control
}

TEST(Printable, EscapesEachByteOfInvalidUtf8) {
  EXPECT_EQ(printable("\xFF"), "\\xff");
  EXPECT_EQ(printable("\xC0\xAF"), "\\xc0\\xaf");                    // overlong "/"
  EXPECT_EQ(printable("\xED\xA0\x80"), "\\xed\\xa0\\x80");           // UTF-16 surrogate
  EXPECT_EQ(printable("\xE2\x82"), "\\xe2\\x82");                    // truncated sequence
  EXPECT_EQ(printable("\xF4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(Utf8, ValidatesPerRfc3629) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));  // overlong NUL
  EXPECT_FALSE(is_valid_utf8("abc\x80"));
}

// is_plain_printable reads eight bytes at a time: every byte that printable() would change, at
// every position of a string longer than two words, must be seen.
namespace intransit::text {
namespace {
TEST(Text, PlainPrintableSeesEveryEscapedByteAtEveryPosition) {
  const std::string base(19, 'a');
  EXPECT_TRUE(is_plain_printable(base + " ~!"));
  for (const char bad : {'\0', '\x01', '\x1f', '\x7f', '\\', '\x80', '\xc3', '\xff'}) {
    for (std::size_t at = 0; at < base.size(); ++at) {
      std::string s = base;
      s[at] = bad;
      EXPECT_FALSE(is_plain_printable(s)) << int(static_cast<unsigned char>(bad)) << " at " << at;
      EXPECT_EQ(is_plain_printable(s), printable(s) == s);
    }
  }
}
}  // namespace
}  // namespace intransit::text

// RELIABILITY.md item 51 (issue 14 item 1): the text output boundary.
TEST(TerminalText, KeepsLayoutEscapesStrangersControls) {
  using intransit::text::terminal_text;
  EXPECT_EQ(terminal_text("a\tb\nc\\xff", false), "a\tb\nc\\xff");  // layout and prior escapes pass
  EXPECT_EQ(terminal_text("caf\xe9 \xff", false), "caf\\xe9 \\xff");
  EXPECT_EQ(terminal_text("x\ry\x07", false), "x\\x0dy\\x07");
  EXPECT_EQ(terminal_text("x\ry", false, true), "x\ry");
  EXPECT_EQ(terminal_text("\x1b[31mred\x1b[0m", true), "\x1b[31mred\x1b[0m");  // own colour codes
  EXPECT_EQ(terminal_text("\x1b[31mred\x1b[0m", false), "\\x1b[31mred\\x1b[0m");  // not on a file
  EXPECT_EQ(terminal_text("\x1b[8mhidden\x1b[2J", true), "\\x1b[8mhidden\\x1b[2J");  // not ours
  EXPECT_EQ(terminal_text("\xC2\x9B"
                          "2J",
                          true),
            "\\xc2\\x9b2J");
}

TEST(SafeOutputBuf, EscapesAcrossWritesWithoutSplittingCharacters) {
  std::stringbuf target;
  {
    intransit::text::SafeOutputBuf filter(&target, false);
    std::ostream out(&filter);
    out << "gr\xC3";  // a UTF-8 sequence split across two writes stays whole
    out.flush();
    out << "\xBC\xC3\x9F "
        << "bad \xff\x01" << std::endl;
    out << "tail \xE2\x82";  // an incomplete sequence at the very end is escaped at destruction
  }
  EXPECT_EQ(target.str(), "gr\xC3\xBC\xC3\x9F bad \\xff\\x01\ntail \\xe2\\x82");
  EXPECT_TRUE(is_valid_utf8(target.str()));
}
