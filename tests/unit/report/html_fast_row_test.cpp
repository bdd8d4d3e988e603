// html_fast_row_test.cpp — FastRowReader (report/html/fast_row.hpp) gives exactly the row of
// domain_row() over nlohmann's parse for every check line of the report fixtures, hostile ones
// included, keeps nlohmann's readings of odd shapes, and declines what it must leave to nlohmann.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "report/html/fast_row.hpp"
#include "report/html/input.hpp"

namespace intransit::report::html {
namespace {

void expect_same(const DomainRow& a, const DomainRow& b, const std::string& what) {
  EXPECT_EQ(a.domain, b.domain) << what;
  EXPECT_EQ(a.verdict, b.verdict) << what;
  EXPECT_EQ(a.untested_reason, b.untested_reason) << what;
  EXPECT_EQ(a.dane, b.dane) << what;
  EXPECT_EQ(a.mta_sts, b.mta_sts) << what;
  EXPECT_EQ(a.tls_rpt, b.tls_rpt) << what;
  EXPECT_EQ(a.operators, b.operators) << what;
  EXPECT_EQ(a.tls_versions, b.tls_versions) << what;
  EXPECT_EQ(a.cert_problems, b.cert_problems) << what;
  EXPECT_EQ(a.findings, b.findings) << what;
  EXPECT_EQ(a.mx_hosts, b.mx_hosts) << what;
}

// The fast row of `line` against nlohmann's; returns whether the fast reader took the line.
bool compare(FastRowReader& fast, const std::string& line) {
  const auto row = fast.check_row(line);
  const auto j = nlohmann::json::parse(line, nullptr, false);
  const bool is_check = !j.is_discarded() && j.is_object() && j.contains("schema") &&
                        j["schema"] == "intransit.check/1";
  if (row) {
    EXPECT_TRUE(is_check) << line.substr(0, 200);
    if (is_check) expect_same(*row, domain_row(j), line.substr(0, 200));
  }
  return row.has_value();
}

TEST(HtmlFastRow, SameRowAsNlohmannOnEveryFixtureLine) {
  FastRowReader fast;
  int taken = 0;
  for (const char* name : {"check-all.jsonl", "hostile-check.jsonl", "scan.jsonl",
                           "scan-baseline.jsonl", "outbound.jsonl", "trace-mailbox.jsonl"}) {
    std::ifstream in(std::string(REPORT_DATA_DIR) + "/" + name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    for (std::string line; std::getline(in, line);) taken += compare(fast, line) ? 1 : 0;
  }
  EXPECT_GT(taken, 20);
}

TEST(HtmlFastRow, KeepsNlohmannsReadingOfOddShapes) {
  FastRowReader fast;
  const std::string head = R"({"schema":"intransit.check/1",)";
  for (
      const std::string body : {
          R"("domain":"a.test","domain":"b.test","verdict":"enforced"})",  // last key wins
          R"("domain":"a.test","enforced_by":"dane"})",        // a string iterates as itself
          R"("domain":"a.test","enforced_by":{"x":"dane"}})",  // an object as its values
          R"("domain":7,"verdict":"??","mx":"x","findings":1})",
          R"("mx":{"a":{"host":"MX.Example.COM.","dane_applies":true,"addresses":[{"tls":{"version":"TLSv1.3"},"certificate":{"trusted":false,"verify_error":"expired","name_matches":false},"findings":[{"id":"f1"},{"id":"f1"},"f2",{"id":3}]}]}}})",
          R"("mx":[{"host":"mx.a.test","addresses":{"v4":{"findings":{"k":{"id":"z"}}}}},null,1],"mta_sts":{"policy":{"mode":"testing"}},"tls_rpt":{"record":{}}})",
          R"("mx":[],"findings":[{"id":"x"},{"id":""},{"ID":"y"}],"tls_rpt":{"record":[]}})",
          R"("domain":"caf\u00e9.test","untested_reason":"a\"b\\c\ud83d\ude00"})",
      }) {
    // The surrogate pair is declined (left to nlohmann); everything else is taken.
    EXPECT_EQ(compare(fast, head + body), body.find("\\ud83d") == std::string::npos) << body;
  }
}

TEST(HtmlFastRow, DeclinesWhatNlohmannMustDecide) {
  FastRowReader fast;
  EXPECT_FALSE(fast.check_row(R"({"schema":"intransit.scan/1","type":"header"})"));
  EXPECT_FALSE(fast.check_row(R"({"schema":"intransit.check/1","domain":"a)"));
  EXPECT_FALSE(fast.check_row("{\"schema\":\"intransit.check/1\",\"domain\":\"\xff\"}"));
  EXPECT_FALSE(fast.check_row(R"({"schema":"intransit.check/1","domain":"\udc00"})"));
  EXPECT_FALSE(fast.check_row(R"({"schema":"intransit.check/1"} {})"));
  EXPECT_FALSE(fast.check_row(R"(["schema","intransit.check/1"])"));
  EXPECT_FALSE(fast.check_row(R"({"schema":"intransit.check/1","schema":"x"})"));
  std::string deep = R"({"schema":"intransit.check/1","x":)";
  for (int i = 0; i < kMaxJsonDepth + 1; ++i) deep += "[";
  for (int i = 0; i < kMaxJsonDepth + 1; ++i) deep += "]";
  EXPECT_FALSE(fast.check_row(deep + "}"));
  // And still reads a good line after all of those.
  EXPECT_TRUE(fast.check_row(R"({"schema":"intransit.check/1","domain":"ok.test"})"));
}

TEST(HtmlFastRow, DocumentsComeAsRowsAfterTheFirstCheckOnly) {
  const std::string content =
      "{\"schema\":\"intransit.scan/1\",\"type\":\"header\"}\n"
      "{\"schema\":\"intransit.check/1\",\"domain\":\"a.test\"}\n"
      "{\"schema\":\"intransit.check/1\",\"domain\":\"b.test\"}\n"
      "{\"schema\":\"intransit.check/1\",\"domain\":\"\\ud83d\\ude00\"}\n";
  std::vector<Document> docs;
  parse_documents(
      content, "in.jsonl", [&](Document&& d) { docs.push_back(std::move(d)); }, true);
  ASSERT_EQ(docs.size(), 4u);
  EXPECT_FALSE(docs[1].row);
  EXPECT_EQ(docs[1].json["domain"], "a.test");
  ASSERT_TRUE(docs[2].row);
  EXPECT_EQ(docs[2].row->domain, "b.test");
  EXPECT_EQ(docs[2].line, 3u);
  EXPECT_TRUE(docs[2].json.is_null());
  EXPECT_FALSE(docs[3].row);  // a surrogate escape: declined, read whole by nlohmann
  EXPECT_EQ(docs[3].json["domain"], "\xf0\x9f\x98\x80");
  // A line nlohmann refuses is still refused, with its line number, after rows began.
  EXPECT_THROW(parse_documents(
                   content + "{\"schema\":\"intransit.check/1\",\"x\":\"\\udc00\"}\n", "in.jsonl",
                   [](Document&&) {}, true),
               InputError);
}

}  // namespace
}  // namespace intransit::report::html
