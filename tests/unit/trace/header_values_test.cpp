// header_values_test.cpp — the fast path's readings of Message-ID and From
// (trace/header_scan.hpp simple_message_id, simple_unstructured) against GMime's own
// (g_mime_utils_decode_message_id; g_mime_utils_header_unfold + g_mime_utils_header_decode_text)
// on random values: wherever the fast path claims a value, both must say the same.
#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "trace/header_scan.hpp"

namespace intransit::trace {
namespace {

std::string gmime_string(char* owned) {
  std::string s = owned != nullptr ? owned : "(null)";
  g_free(owned);
  return s;
}

std::string random_value(std::mt19937& rng, std::string_view alphabet, std::size_t max_length) {
  std::string s;
  const std::size_t length = rng() % max_length;
  for (std::size_t i = 0; i < length; ++i) s += alphabet[rng() % alphabet.size()];
  return s;
}

TEST(HeaderValues, MessageIdAgreesWithGMime) {
  g_mime_init();
  std::mt19937 rng(5322);
  std::size_t claimed = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string v = "<" + random_value(rng, "ab.Z9-_+=$/!{}'`~@@..( \"", 30) + ">";
    if (rng() % 3 == 0) v = " " + v + "\t";
    const auto fast = simple_message_id(v);
    if (!fast) continue;
    ++claimed;
    ASSERT_EQ(std::string(*fast), gmime_string(g_mime_utils_decode_message_id(v.c_str()))) << v;
  }
  EXPECT_GT(claimed, 200U);  // the generator does reach the fast path
  EXPECT_EQ(simple_message_id(" <1.666621404@example.org>").value_or(""),
            "1.666621404@example.org");
  EXPECT_FALSE(simple_message_id("<a@b> (comment)"));
  EXPECT_FALSE(simple_message_id("<a..b@c>"));
}

TEST(HeaderValues, UnstructuredAgreesWithGMime) {
  g_mime_init();
  std::mt19937 rng(2047);
  std::size_t claimed = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string v = random_value(rng, "ab Z\t.@<>\"()=?,;:\\[]-_+!x1 \xc3\xa9", 24);
    if (rng() % 4 == 0) v = " " + v;
    const auto fast = simple_unstructured(v);
    if (!fast) continue;
    ++claimed;
    char* unfolded = g_mime_utils_header_unfold(v.c_str());
    const std::string gmime = gmime_string(g_mime_utils_header_decode_text(nullptr, unfolded));
    g_free(unfolded);
    ASSERT_EQ(std::string(*fast), gmime) << v;
  }
  EXPECT_GT(claimed, 10000U);
  EXPECT_FALSE(simple_unstructured("=?utf-8?q?caf=C3=A9?= <a@b>"));
  EXPECT_FALSE(simple_unstructured("Caf\xc3\xa9 <a@b>"));
}

}  // namespace
}  // namespace intransit::trace
