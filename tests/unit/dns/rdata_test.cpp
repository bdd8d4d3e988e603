// rdata_test.cpp — the DNS record-data decoders on hand-made wire data (RFC 1035 §3.1, §3.3.9,
// §3.3.14; RFC 3596 §2.2; RFC 6698 §2.1; RFC 7505 null MX), including truncation and
// overlong names.
#include <gtest/gtest.h>

#include "dns/rdata.hpp"

namespace intransit::dns {
namespace {

std::vector<std::uint8_t> bytes(std::initializer_list<int> list) {
  std::vector<std::uint8_t> v;
  for (int b : list) v.push_back(static_cast<std::uint8_t>(b));
  return v;
}

std::vector<std::uint8_t> wire_name(const std::string& dotted) {
  std::vector<std::uint8_t> v;
  std::size_t start = 0;
  while (start < dotted.size()) {
    auto dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    v.push_back(static_cast<std::uint8_t>(dot - start));
    for (std::size_t i = start; i < dot; ++i) v.push_back(static_cast<std::uint8_t>(dotted[i]));
    start = dot + 1;
  }
  v.push_back(0);
  return v;
}

TEST(Rdata, MxWithPreferenceAndLowerCasedName) {
  auto rd = bytes({0, 10});
  const auto name = wire_name("MX1.Example.TEST");
  rd.insert(rd.end(), name.begin(), name.end());
  std::string error;
  const auto mx = decode_mx(rd, error);
  ASSERT_TRUE(mx) << error;
  EXPECT_EQ(mx->preference, 10);
  EXPECT_EQ(mx->host, "mx1.example.test");
}

TEST(Rdata, NullMxIsTheRoot) {
  std::string error;
  const auto mx = decode_mx(bytes({0, 0, 0}), error);  // RFC 7505 §3: "0 ."
  ASSERT_TRUE(mx) << error;
  EXPECT_EQ(mx->host, ".");
}

TEST(Rdata, TruncatedAndTrailingMxRefused) {
  std::string error;
  EXPECT_FALSE(decode_mx(bytes({0, 10, 3, 'm', 'x'}), error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(decode_mx(bytes({0, 10, 0, 7}), error));
  EXPECT_NE(error.find("after"), std::string::npos);
}

TEST(Rdata, CompressionPointerAndLongLabelRefused) {
  std::string error;
  EXPECT_FALSE(decode_mx(bytes({0, 10, 0xC0, 12}), error));
  std::vector<std::uint8_t> rd = {0, 1, 64};
  rd.insert(rd.end(), 64, 'a');
  rd.push_back(0);
  EXPECT_FALSE(decode_mx(rd, error));
}

TEST(Rdata, NameOver255OctetsRefused) {
  std::vector<std::uint8_t> rd = {0, 1};
  for (int i = 0; i < 5; ++i) {
    rd.push_back(60);
    rd.insert(rd.end(), 60, 'a');
  }
  rd.push_back(0);
  std::string error;
  EXPECT_FALSE(decode_mx(rd, error));
  EXPECT_NE(error.find("255"), std::string::npos);
}

TEST(Rdata, OddLabelBytesAreEscaped) {
  std::vector<std::uint8_t> rd = {0, 1, 3, 'a', ' ', 0x00, 0};
  std::string error;
  const auto mx = decode_mx(rd, error);
  ASSERT_TRUE(mx) << error;
  EXPECT_EQ(mx->host, "a\\032\\000");
}

TEST(Rdata, TxtConcatenatesCharacterStrings) {
  std::string error;
  const auto t = decode_txt(bytes({7, 'v', '=', 'S', 'T', 'S', 'v', '1', 3, ';', 'i', 'd'}), error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(*t, "v=STSv1;id");
  EXPECT_FALSE(decode_txt(bytes({5, 'a', 'b'}), error));
  EXPECT_FALSE(decode_txt({}, error));
  const auto empty_string = decode_txt(bytes({0}), error);
  ASSERT_TRUE(empty_string);
  EXPECT_EQ(*empty_string, "");
}

TEST(Rdata, Addresses) {
  std::string error;
  EXPECT_EQ(decode_a(bytes({127, 0, 1, 2}), error).value_or(""), "127.0.1.2");
  EXPECT_FALSE(decode_a(bytes({127, 0, 1}), error));
  auto v6 = std::vector<std::uint8_t>(16, 0);
  v6[15] = 1;
  EXPECT_EQ(decode_aaaa(v6, error).value_or(""), "::1");
  EXPECT_FALSE(decode_aaaa(bytes({1, 2, 3, 4}), error));
}

TEST(Rdata, TlsaPresentationForm) {
  std::string error;
  const auto t = decode_tlsa(bytes({3, 1, 1, 0xAB, 0x01}), error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->to_string(), "3 1 1 ab01");
  EXPECT_FALSE(decode_tlsa(bytes({3, 1, 1}), error));
}

TEST(Rdata, SmimeaHasTlsaWireForm) {
  const auto rd = bytes({3, 0, 1, 0xab, 0xcd});
  std::string error;
  const auto s = decode_smimea(rd, error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->to_string(), "3 0 1 abcd");
  EXPECT_FALSE(decode_smimea(bytes({3, 0, 1}), error));
  EXPECT_NE(error.find("SMIMEA"), std::string::npos);
}

TEST(Rdata, OpenpgpkeyIsTheKeyBoundedAndNonEmpty) {
  std::string error;
  const auto k = decode_openpgpkey(bytes({0x99, 0x00, 0x01}), error);
  ASSERT_TRUE(k) << error;
  EXPECT_EQ(k->size(), 3U);
  EXPECT_FALSE(decode_openpgpkey({}, error));
  EXPECT_FALSE(error.empty());
  const std::vector<std::uint8_t> huge(300 * 1024, 1);
  EXPECT_FALSE(decode_openpgpkey(huge, error));
  EXPECT_NE(error.find("larger"), std::string::npos);
}

}  // namespace
}  // namespace intransit::dns
