// key_lookup_names_test.cpp — WKD hashes and URLs against the example of
// draft-koch-openpgp-webkey-service §3.1, z-base-32 on bit boundaries, and the OPENPGPKEY owner
// name of RFC 7929 §3's example ("hugh@example.com").
#include <gtest/gtest.h>

#include <vector>

#include "policy/key_lookup_names.hpp"

namespace intransit::policy {
namespace {

MailAddress address(const std::string& text) {
  std::string error;
  const auto a = split_address(text, error);
  EXPECT_TRUE(a) << error;
  return a.value_or(MailAddress{});
}

TEST(KeyLookupNames, ZBase32OnBitBoundaries) {
  EXPECT_EQ(zbase32({}), "");
  const std::vector<std::uint8_t> zero{0};
  EXPECT_EQ(zbase32(zero), "yy");  // 8 bits: two characters, the last one padded with zeros
  const std::vector<std::uint8_t> ff{0xff, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(zbase32(ff), "99999999");  // 40 bits: eight full characters
  const std::vector<std::uint8_t> first{0x08};
  EXPECT_EQ(zbase32(first), "by");  // 00001|000(00)
}

TEST(KeyLookupNames, WkdHashOfTheDraftExample) {
  // §3.1: "Joe.Doe@Example.ORG" -> iy9q119eutrkn8s1mk4r39qejnbu3n5q (case-insensitive)
  EXPECT_EQ(wkd_hash("Joe.Doe"), "iy9q119eutrkn8s1mk4r39qejnbu3n5q");
  EXPECT_EQ(wkd_hash("joe.doe"), wkd_hash("JOE.DOE"));
  EXPECT_EQ(wkd_hash("x").size(), 32U);
}

TEST(KeyLookupNames, WkdUrlsOfBothMethods) {
  const auto a = address("Joe.Doe@Example.ORG");
  EXPECT_EQ(a.domain, "example.org");
  EXPECT_EQ(a.local, "Joe.Doe");
  EXPECT_EQ(
      wkd_direct_url(a),
      "https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe");
  EXPECT_EQ(wkd_advanced_url(a),
            "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/"
            "iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe");
  EXPECT_EQ(wkd_policy_url(a, true),
            "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/policy");
  EXPECT_EQ(wkd_policy_url(a, false), "https://example.org/.well-known/openpgpkey/policy");
}

TEST(KeyLookupNames, LocalParameterIsPercentEncoded) {
  EXPECT_EQ(wkd_local_parameter("a+b c&d=é"), "a%2Bb%20c%26d%3D%C3%A9");
}

TEST(KeyLookupNames, OwnerNamesOfRfc7929Example) {
  const auto a = address("hugh@example.com");
  EXPECT_EQ(openpgpkey_owner(a),
            "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com");
  EXPECT_EQ(smimea_owner(a),
            "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._smimecert.example.com");
}

TEST(KeyLookupNames, AddressesThatCannotBeLookedUp) {
  std::string error;
  EXPECT_FALSE(split_address("no-at-sign", error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(split_address("@example.org", error));
  EXPECT_FALSE(split_address("user@", error));
  EXPECT_FALSE(split_address("user@exa/mple.org", error));
  EXPECT_FALSE(split_address(std::string("us\ner@example.org"), error));
  EXPECT_FALSE(split_address(std::string(400, 'a') + "@example.org", error));
  const auto quoted = split_address("\"a@b\"@Example.org.", error);
  ASSERT_TRUE(quoted) << error;
  EXPECT_EQ(quoted->local, "\"a@b\"");
  EXPECT_EQ(quoted->domain, "example.org");
}

}  // namespace
}  // namespace intransit::policy
