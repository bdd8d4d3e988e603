// Unit tests for policy/mtasts.hpp: RFC 8461 §3.1 records, §3.2 policies (and the hostile
// policies of RELIABILITY.md item 33), §4.1 MX patterns.
#include "policy/mtasts.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace intransit::policy;

TEST(StsRecord, ParsesIdAndIgnoresExtensions) {
  std::string error;
  const auto r = parse_sts_record("v=STSv1; id=20160831085700Z; ext=1;", error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->id, "20160831085700Z");
}

TEST(StsRecord, RejectsBadIds) {
  std::string error;
  EXPECT_FALSE(parse_sts_record("v=STSv1;", error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=", error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=" + std::string(33, 'a'), error));  // over 32
  EXPECT_TRUE(parse_sts_record("v=STSv1; id=" + std::string(32, 'a'), error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=abc-def", error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; id=b", error));
  EXPECT_FALSE(parse_sts_record("id=a; v=STSv1", error));
}

// Issue 14 item 13: extension values and names follow RFC 8461 §3.1's grammar
// (sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E), sts-ext-name = (ALPHA / DIGIT)
// *31(ALPHA / DIGIT / "_" / "-" / ".")); a record that breaks it is invalid, so senders assume
// no policy.
TEST(StsRecord, ExtensionGrammarRfc8461Section31) {
  std::string error;
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; x=", error));  // empty value
  EXPECT_NE(error.find("extension"), std::string::npos) << error;
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; x==", error));  // "=" is not allowed
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; x=a=b", error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; x=a b", error));  // SP
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; x=a\x7f", error));
  EXPECT_FALSE(parse_sts_record(std::string("v=STSv1; id=a; x=a\x01"), error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; _x=1", error));  // name must start alnum
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; " + std::string(33, 'n') + "=1", error));
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a; x\xc3\xa9=1", error));
  EXPECT_TRUE(parse_sts_record("v=STSv1; id=a; " + std::string(32, 'n') + "=1", error)) << error;
  EXPECT_TRUE(
      parse_sts_record("v=STSv1; id=a; ext.v-1_x=!\"#$%&'()*+,-./09:<>?@AZ[]^_`az{|}~", error))
      << error;
}

TEST(StsRecord, SelectionNeedsExactlyOne) {
  std::string error;
  EXPECT_FALSE(select_sts_record({"v=spf1 -all", "hello"}, error));
  EXPECT_TRUE(error.empty());  // no record: no policy, not an error
  EXPECT_FALSE(select_sts_record({"v=STSv1; id=a", "v=STSv1; id=b"}, error));
  EXPECT_NE(error.find("2 v=STSv1 records"), std::string::npos);
  EXPECT_TRUE(select_sts_record({"v=spf1 -all", "v=STSv1; id=abc"}, error));
  EXPECT_FALSE(select_sts_record({"v=STSv10; id=a"}, error));  // not v=STSv1
  EXPECT_TRUE(error.empty());
}

TEST(StsPolicy, ParsesAValidPolicyWithCrlf) {
  std::string error;
  const auto p = parse_sts_policy(
      "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
      "mx: *.Example.NET\r\nmax_age: 604800\r\n",
      error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->mode, StsMode::enforce);
  EXPECT_EQ(p->max_age, 604800u);
  EXPECT_EQ(p->mx, (std::vector<std::string>{"mail.example.com", "*.example.net"}));
}

TEST(StsPolicy, RefusesWhatIsNotStrictlyValid) {
  std::string error;
  const std::string head = "version: STSv1\nmode: enforce\nmx: mx.example\n";
  EXPECT_FALSE(parse_sts_policy(head + "max_age: 31557601\n", error));              // over a year
  EXPECT_FALSE(parse_sts_policy(head + "max_age: 99999999999999999999\n", error));  // 20 digits
  EXPECT_FALSE(parse_sts_policy(head + "max_age: -1\n", error));
  EXPECT_TRUE(parse_sts_policy(head + "max_age: 31557600\n", error)) << error;
  EXPECT_FALSE(parse_sts_policy("mode: enforce\nversion: STSv1\nmx: a.b\nmax_age: 1\n",
                                error));  // version first
  EXPECT_FALSE(
      parse_sts_policy("version: STSv1\nmode: Enforce\nmx: a.b\nmax_age: 1\n", error));  // case
  EXPECT_FALSE(parse_sts_policy(head + "mode: testing\nmax_age: 1\n", error));  // duplicate
  EXPECT_FALSE(
      parse_sts_policy("version: STSv1\rmode: enforce\rmx: a.b\rmax_age: 1\r", error));  // CR only
  EXPECT_FALSE(parse_sts_policy(head + std::string("max_age: 1\nx: a\0b\n", 17), error));  // NUL
  EXPECT_FALSE(parse_sts_policy("version: STSv1\nmode: enforce\nmax_age: 1\n", error));    // no mx
  EXPECT_TRUE(parse_sts_policy("version: STSv1\nmode: none\nmax_age: 1\n", error)) << error;
  EXPECT_FALSE(parse_sts_policy(head + "mx: bad_host!\nmax_age: 1\n", error));
}

TEST(StsPolicy, CapsMxLinesAndSize) {
  std::string error;
  std::string body = "version: STSv1\nmode: enforce\nmax_age: 1\n";
  for (int i = 0; i < 1001; ++i) body += "mx: mx" + std::to_string(i) + ".example\n";
  EXPECT_FALSE(parse_sts_policy(body, error));
  EXPECT_NE(error.find("1000 mx lines"), std::string::npos);
  EXPECT_FALSE(parse_sts_policy(
      "version: STSv1\nmode: none\nmax_age: 1\n" + std::string(70000, '#'), error));
}

TEST(MxPattern, Rfc8461Section41) {
  EXPECT_TRUE(mx_matches("mail.example.com", "MAIL.example.com."));
  EXPECT_TRUE(mx_matches("*.example.net", "mx1.example.net"));
  EXPECT_FALSE(mx_matches("*.example.net", "example.net"));      // needs one label
  EXPECT_FALSE(mx_matches("*.example.net", "a.b.example.net"));  // exactly one label
  EXPECT_FALSE(mx_matches("*.example.net", "mx1.example.net.evil"));
  EXPECT_FALSE(mx_matches("mail.example.com", "mail.example.co"));
}
