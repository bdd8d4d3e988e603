// report_test.cpp — the TLS-RPT report parser (RFC 8460 §4) on fixtures after RFC 8460
// Appendix B and reporters' formats (tests/data/tlsrpt/), each tolerance named, each refusal
// with its reason; gzip decoding with its bounds; the date-time reader; the result catalogue.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "tlsrpt/datetime.hpp"
#include "tlsrpt/payload.hpp"
#include "tlsrpt/report.hpp"
#include "tlsrpt/result_types.hpp"

namespace intransit::tlsrpt {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(TLSRPT_DATA_DIR) + "/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool has_note(const Report& r, std::string_view id) {
  return std::any_of(r.notes.begin(), r.notes.end(), [&](const Note& n) { return n.id == id; });
}

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(TlsrptReport, ReadsRfc8460AppendixBStrictly) {
  std::string error;
  const auto r = parse_report(fixture("rfc8460-appendix-b.json"), error);
  ASSERT_TRUE(r) << error;
  EXPECT_TRUE(r->notes.empty()) << r->notes.front().id;
  EXPECT_EQ(r->organization, "Company-X");
  EXPECT_EQ(r->report_id, "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
  EXPECT_EQ(format_datetime(r->start), "2016-04-01T00:00:00Z");
  EXPECT_EQ(format_datetime(r->end), "2016-04-01T23:59:59Z");
  ASSERT_EQ(r->policies.size(), 1U);
  const auto& p = r->policies[0];
  EXPECT_EQ(p.type, PolicyType::sts);
  EXPECT_EQ(p.domain, "company-y.example");
  EXPECT_EQ(p.policy_string.size(), 4U);
  EXPECT_EQ(p.successful, 5326U);
  EXPECT_EQ(p.failed, 303U);
  ASSERT_EQ(p.failures.size(), 3U);
  EXPECT_EQ(p.failures[0].result_type, ResultType::certificate_expired);
  EXPECT_EQ(p.failures[1].receiving_ip, "203.0.113.56");
  EXPECT_EQ(p.failures[2].failure_reason_code, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
}

TEST(TlsrptReport, GoogleStyleWithoutMxHostNeedsNoTolerance) {
  std::string error;
  const auto r = parse_report(fixture("google-style.json"), error);
  ASSERT_TRUE(r) << error;
  EXPECT_TRUE(r->notes.empty());
  EXPECT_TRUE(r->policies[0].mx_host.empty());
  EXPECT_EQ(r->policies[0].successful, 41U);
}

TEST(TlsrptReport, MicrosoftFractionsAreRfc3339) {
  std::string error;
  const auto r = parse_report(fixture("microsoft-style.json"), error);
  ASSERT_TRUE(r) << error;
  EXPECT_TRUE(r->notes.empty());
  EXPECT_EQ(format_datetime(r->end), "2026-11-30T23:59:59Z");
  EXPECT_EQ(r->policies[0].failures[0].result_type, ResultType::certificate_host_mismatch);
}

TEST(TlsrptReport, QuirksAreToleratedAndEachIsNamed) {
  std::string error;
  const auto r = parse_report(fixture("quirks.json"), error);
  ASSERT_TRUE(r) << error;
  for (const char* id :
       {"utf8-bom", "date-without-zone", "date-space-separator", "missing-contact-info",
        "policy-string-not-list", "mx-host-not-list", "number-as-string", "unknown-member"}) {
    EXPECT_TRUE(has_note(*r, id)) << id;
  }
  const auto& p = r->policies[0];
  EXPECT_EQ(p.domain, "mtasts.test");
  EXPECT_EQ(p.policy_string.size(), 4U);
  EXPECT_EQ(p.policy_string[1], "mode: testing");
  EXPECT_EQ(p.mx_host, std::vector<std::string>{"mx.mtasts.test"});
  EXPECT_EQ(p.successful, 12U);
  EXPECT_EQ(p.failures[0].failed_sessions, 2U);
}

TEST(TlsrptReport, InvalidUtf8IsRepairedAndNamed) {
  std::string error;
  const auto r = parse_report(fixture("invalid-utf8.json"), error);
  ASSERT_TRUE(r) << error;
  EXPECT_TRUE(has_note(*r, "invalid-utf8"));
  EXPECT_TRUE(text::is_valid_utf8(r->organization));
  EXPECT_TRUE(text::is_valid_utf8(r->policies[0].failures[0].receiving_mx_hostname));
}

TEST(TlsrptReport, RefusalsSayWhy) {
  std::string error;
  EXPECT_FALSE(parse_report(fixture("missing-report-id.json"), error));
  EXPECT_NE(error.find("report-id"), std::string::npos) << error;
  EXPECT_FALSE(parse_report("[1,2]", error));
  EXPECT_NE(error.find("not a JSON object"), std::string::npos);
  EXPECT_FALSE(parse_report("{\"organization-name\":", error));
  EXPECT_NE(error.find("not valid JSON"), std::string::npos);
  const std::string negative =
      R"({"organization-name":"o","report-id":"r","contact-info":"c","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-02T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"d"},"summary":{"total-successful-session-count":-1,"total-failure-session-count":0}}]})";
  EXPECT_FALSE(parse_report(negative, error));
  EXPECT_NE(error.find("total-successful-session-count"), std::string::npos) << error;
}

// Fuzzer finds (tests/fuzz/corpus/tlsrpt_report/crash-*): a number past a double's range made
// nlohmann::json throw out_of_range, not parse_error; a quoted name cut inside a UTF-8 sequence.
TEST(TlsrptReport, NumberOutOfRangeIsARefusalNotACrash) {
  std::string error;
  EXPECT_FALSE(parse_report("{\"organization-name\":88e888}", error));
  EXPECT_NE(error.find("out of range"), std::string::npos) << error;
}

TEST(TlsrptReport, NotesQuoteWholeUtf8Characters) {
  const std::string key = std::string(63, 'k') + "\xC3\xA9";  // "é" straddles byte 64
  const std::string json =
      R"({"organization-name":"o","report-id":"r","contact-info":"c","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-02T00:00:00Z"},"policies":[],")" +
      key + R"(":1})";
  std::string error;
  const auto r = parse_report(json, error);
  ASSERT_TRUE(r) << error;
  ASSERT_TRUE(has_note(*r, "unknown-member"));
  for (const auto& n : r->notes) EXPECT_TRUE(text::is_valid_utf8(n.detail)) << n.id;
}

TEST(TlsrptReport, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  std::string error;
  EXPECT_FALSE(parse_report(deep, error));
  EXPECT_NE(error.find("nested deeper"), std::string::npos);
  // Brackets inside strings do not count.
  const std::string quoted = "{\"organization-name\":\"" + std::string(200, '[') + "\"}";
  EXPECT_FALSE(parse_report(quoted, error));
  EXPECT_EQ(error.find("nested deeper"), std::string::npos) << error;
}

TEST(TlsrptPayload, GzipIsToldByMagicAndInflated) {
  const std::string json = fixture("rfc8460-appendix-b.json");
  std::string error;
  const auto p = decode_payload(gzip(json), error);
  ASSERT_TRUE(p) << error;
  EXPECT_TRUE(p->gzip);
  EXPECT_EQ(p->json, json);
  const auto plain = decode_payload(json, error);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->gzip);
}

TEST(TlsrptPayload, GzipBombIsRefusedPastTheCap) {
  const std::string zeros(limits::tlsrpt::kReportBytes + 1024, ' ');
  std::string error;
  EXPECT_FALSE(decode_payload(gzip(zeros), error));
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
}

TEST(TlsrptPayload, TruncatedGzipSaysSo) {
  const std::string gz = gzip(fixture("rfc8460-appendix-b.json"));
  std::string error;
  EXPECT_FALSE(decode_payload(gz.substr(0, gz.size() / 2), error));
  EXPECT_NE(error.find("ends early"), std::string::npos) << error;
}

TEST(TlsrptDatetime, Rfc3339AndTolerances) {
  EXPECT_EQ(parse_datetime("2026-12-01T00:00:00Z")->tolerance, DateTolerance::none);
  EXPECT_EQ(parse_datetime("2026-12-01T01:00:00+01:00")->epoch,
            parse_datetime("2026-12-01T00:00:00Z")->epoch);
  EXPECT_EQ(parse_datetime("2026-12-01T00:00:00.123Z")->tolerance, DateTolerance::none);
  EXPECT_EQ(parse_datetime("2026-12-01T00:00:00")->tolerance, DateTolerance::no_zone);
  EXPECT_EQ(parse_datetime("2026-12-01")->tolerance, DateTolerance::date_only);
  EXPECT_FALSE(parse_datetime("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_datetime("2026-12-01T00:00:00Zjunk"));
  EXPECT_FALSE(parse_datetime("yesterday"));
  EXPECT_EQ(format_day(parse_datetime("2024-02-29T23:59:59Z")->epoch), "2024-02-29");
}

TEST(TlsrptResultTypes, CatalogueCoversRfc8460Section43InOrder) {
  for (std::size_t i = 0; i < kResultTypeTable.size(); ++i) {
    const auto& e = kResultTypeTable[i];
    EXPECT_EQ(static_cast<std::size_t>(e.type), i);
    EXPECT_EQ(result_type_from_word(e.word), e.type);
    EXPECT_FALSE(e.meaning.empty() || e.causes.empty() || e.remedy.empty());
  }
  EXPECT_EQ(result_type_from_word("STS-POLICY-FETCH-ERROR"), ResultType::sts_policy_fetch_error);
  EXPECT_FALSE(result_type_from_word("sts-policy-fetch"));
  EXPECT_NE(info(ResultType::sts_policy_fetch_error).causes.find("redirect"), std::string::npos);
}

}  // namespace
}  // namespace intransit::tlsrpt
