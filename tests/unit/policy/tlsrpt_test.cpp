// Unit tests for policy/tlsrpt.hpp (RFC 8460 §3).
#include "policy/tlsrpt.hpp"

#include <gtest/gtest.h>

using namespace intransit::policy;

TEST(TlsRpt, ParsesMailtoAndHttpsUris) {
  std::string error;
  const auto r = parse_tlsrpt_record(
      "v=TLSRPTv1; rua=mailto:tlsrpt@example.test, https://r.example/v1;", error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->rua,
            (std::vector<std::string>{"mailto:tlsrpt@example.test", "https://r.example/v1"}));
}

TEST(TlsRpt, RejectsBadRecords) {
  std::string error;
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv1;", error));                              // no rua
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv1; rua=http://insecure.example", error));  // http
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv1; rua=mailto:", error));
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv1; rua=mailto:a@b; rua=mailto:c@d", error));
  EXPECT_FALSE(parse_tlsrpt_record("rua=mailto:a@b; v=TLSRPTv1", error));
}

TEST(TlsRpt, SelectionNeedsExactlyOne) {
  std::string error;
  EXPECT_FALSE(select_tlsrpt_record({"something else"}, error));
  EXPECT_TRUE(error.empty());
  EXPECT_FALSE(
      select_tlsrpt_record({"v=TLSRPTv1; rua=mailto:a@b", "v=TLSRPTv1; rua=mailto:c@d"}, error));
  EXPECT_FALSE(error.empty());
  EXPECT_TRUE(select_tlsrpt_record({"v=TLSRPTv1; rua=mailto:tlsrpt@tlsrpt.test"}, error));
}
