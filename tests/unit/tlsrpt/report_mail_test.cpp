// report_mail_test.cpp — the RFC 8460 §5.3 message of `tlsrpt generate --submit`, parsed back with
// GMime: multipart/report; report-type="tlsrpt", a text/plain part and the application/tlsrpt+gzip
// part (base64, the §5.3 file name as filename, the very gzip bytes), the TLS-Report-Domain and
// TLS-Report-Submitter fields and the Subject; CRLF only; and `tlsrpt`'s own reader (ingest.hpp)
// finding the report in it. Also mailto: rua addresses and the policy a domain's facts give.
#include <gtest/gtest.h>

#include <gmime/gmime.h>

#include <filesystem>
#include <fstream>

#include "policy/mailto.hpp"
#include "tlsrpt/generate.hpp"
#include "tlsrpt/generate_run.hpp"
#include "tlsrpt/ingest.hpp"
#include "tlsrpt/report_mail.hpp"

namespace intransit::tlsrpt {
namespace {

constexpr std::int64_t kDay = 1'796'169'600;  // 2026-12-02T00:00:00Z

GeneratedReport sample() {
  logs::Delivery d;
  d.time = kDay + 60;
  d.time_known = true;
  d.recipient_domain = "policy.example";
  d.relay_host = "mx.policy.example";
  d.relay_address = "192.0.2.7";
  d.protection = logs::Protection::plaintext;
  DomainPolicy p;
  p.rua = {"mailto:tlsrpt@policy.example"};
  const GenerateOptions o{"Sender Org", "tlsrpt@sender.example", "sender.example", kDay, "u1"};
  auto reports = generate_reports({d, d}, {{"policy.example", p}}, o);
  EXPECT_EQ(reports.size(), 1U);
  return reports.at(0);
}

const ReportMail kMail{"noreply@sender.example", "tlsrpt@policy.example", "sender.example",
                       "Sender Org", kDay + 86'400 + 3600};

struct Unref {
  void operator()(void* o) const { g_object_unref(o); }
};

std::unique_ptr<GMimeMessage, Unref> parse(const std::string& bytes) {
  std::unique_ptr<GMimeStream, Unref> stream(
      g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  std::unique_ptr<GMimeParser, Unref> parser(g_mime_parser_new_with_stream(stream.get()));
  return std::unique_ptr<GMimeMessage, Unref>(
      g_mime_parser_construct_message(parser.get(), nullptr));
}

std::string mime_type(GMimeObject* o) {
  char* t = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(o));
  std::string out = t;
  g_free(t);
  return out;
}

std::string decoded(GMimePart* part) {
  std::unique_ptr<GMimeStream, Unref> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(part), out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return {reinterpret_cast<const char*>(bytes->data), bytes->len};
}

TEST(ReportMail, StructureParsedBackWithGmime) {
  const auto report = sample();
  const auto bytes = report_message(report, kMail);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ASSERT_EQ(bytes[i - 1], '\r') << "bare LF at " << i;
    }
  }
  const auto message = parse(bytes);
  ASSERT_TRUE(message);
  auto* object = GMIME_OBJECT(message.get());
  EXPECT_STREQ(g_mime_object_get_header(object, "TLS-Report-Domain"), "policy.example");
  EXPECT_STREQ(g_mime_object_get_header(object, "TLS-Report-Submitter"), "sender.example");
  EXPECT_EQ(std::string(g_mime_message_get_subject(message.get())),
            "Report Domain: policy.example Submitter: sender.example Report-ID: <" +
                report.report_id + ">");
  EXPECT_EQ(std::string(g_mime_message_get_message_id(message.get())), report.report_id);
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  EXPECT_EQ(mime_type(body), "multipart/report");
  EXPECT_STREQ(g_mime_object_get_content_type_parameter(body, "report-type"), "tlsrpt");
  ASSERT_TRUE(GMIME_IS_MULTIPART(body));
  auto* parts = GMIME_MULTIPART(body);
  ASSERT_EQ(g_mime_multipart_get_count(parts), 2);
  GMimeObject* text = g_mime_multipart_get_part(parts, 0);
  EXPECT_EQ(mime_type(text), "text/plain");
  EXPECT_NE(decoded(GMIME_PART(text)).find(report.report_id), std::string::npos);
  GMimeObject* attached = g_mime_multipart_get_part(parts, 1);
  EXPECT_EQ(mime_type(attached), "application/tlsrpt+gzip");
  ASSERT_TRUE(GMIME_IS_PART(attached));
  auto* part = GMIME_PART(attached);
  EXPECT_EQ(g_mime_part_get_content_encoding(part), GMIME_CONTENT_ENCODING_BASE64);
  EXPECT_EQ(std::string(g_mime_part_get_filename(part)), report.file_name);
  EXPECT_EQ(std::string(g_mime_object_get_disposition(attached)), "attachment");
  EXPECT_EQ(decoded(part), report.gzip);
}

TEST(ReportMail, OurReaderFindsTheReport) {
  const auto report = sample();
  const auto path = std::filesystem::temp_directory_path() /
                    ("intransit-report-mail-" + std::to_string(getpid()) + ".eml");
  std::ofstream(path, std::ios::binary) << report_message(report, kMail);
  const auto run = ingest({path.string()}, nullptr);
  std::filesystem::remove(path);
  ASSERT_EQ(run.reports.size(), 1U);
  EXPECT_TRUE(run.quarantined.empty());
  const auto& r = run.reports[0].report;
  EXPECT_TRUE(run.reports[0].gzip);
  EXPECT_EQ(r.organization, "Sender Org");
  EXPECT_EQ(r.report_id, report.report_id);
  ASSERT_EQ(r.policies.size(), 1U);
  EXPECT_EQ(r.policies[0].domain, "policy.example");
  EXPECT_EQ(r.policies[0].failed, 2U);
  EXPECT_EQ(r.policies[0].successful, 0U);
}

TEST(ReportMail, HeaderInjectionStaysInItsField) {
  auto report = sample();
  report.domain = "policy.example\r\nBcc: evil@example.test";
  const auto bytes = report_message(report, kMail);
  EXPECT_EQ(bytes.find("\r\nBcc:"), std::string::npos);
}

TEST(ReportMail, MailtoAddresses) {
  EXPECT_EQ(policy::mailto_address("mailto:tlsrpt@example.net"), "tlsrpt@example.net");
  EXPECT_EQ(policy::mailto_address("MAILTO:tls%2Brpt@example.net?subject=x"),
            "tls+rpt@example.net");
  for (const char* bad :
       {"https://example.net/", "mailto:", "mailto:no-at-sign", "mailto:a b@example.net",
        "mailto:a@b%0d%0aRSET", "mailto:a@b%zz", "mailto:<a@b>", "mailto:a@b%"})
    EXPECT_FALSE(policy::mailto_address(bad)) << bad;
}

check::DomainFacts facts(const std::string& domain) {
  check::DomainFacts f;
  f.domain = domain;
  f.tls_rpt.txt.status = dns::Status::nxdomain;
  f.tls_rpt.txt.security = dns::Security::secure;
  return f;
}

TEST(GeneratePolicy, StsPolicyLinesAndMx) {
  auto f = facts("sts.example");
  f.tls_rpt.record = policy::TlsRptRecord{{"mailto:r@sts.example", "https://r.sts.example/x"}};
  check::PolicyFetch fetch;
  fetch.status = check::FetchStatus::ok;
  fetch.body = "version: STSv1\r\nmode: enforce\r\nmx: *.sts.example\r\nmax_age: 86400\r\n";
  f.mta_sts.fetch = fetch;
  f.mta_sts.policy = policy::StsPolicy{policy::StsMode::enforce, 86400, {"*.sts.example"}};
  std::string why;
  const auto p = policy_from_facts(f, why);
  EXPECT_EQ(p.type, PolicyType::sts);
  EXPECT_EQ(p.policy_string, (std::vector<std::string>{"version: STSv1", "mode: enforce",
                                                       "mx: *.sts.example", "max_age: 86400"}));
  EXPECT_EQ(p.mx_host, std::vector<std::string>{"*.sts.example"});
  EXPECT_EQ(p.rua.size(), 2U);
  EXPECT_TRUE(why.empty());
}

TEST(GeneratePolicy, TlsaWhenDaneAppliesElseNone) {
  auto f = facts("dane.example");
  check::MxFacts mx;
  mx.host = "mx.dane.example";
  mx.tlsa.push_back(dns::Tlsa{3, 1, 1, {0xab, 0x12}});
  f.mx.push_back(mx);
  f.mx.push_back(mx);  // the same record twice is listed once
  std::string why;
  EXPECT_EQ(policy_from_facts(f, why).type, PolicyType::no_policy_found) << "unsigned TLSA";
  EXPECT_NE(why.find("no TLS-RPT record"), std::string::npos) << why;
  f.mx[0].dane_applies = f.mx[1].dane_applies = true;
  const auto p = policy_from_facts(f, why);
  EXPECT_EQ(p.type, PolicyType::tlsa);
  EXPECT_EQ(p.policy_string, std::vector<std::string>{"3 1 1 ab12"});
  // An MTA-STS policy in mode none is no policy.
  f.mta_sts.policy = policy::StsPolicy{policy::StsMode::none, 86400, {}};
  f.mta_sts.fetch = check::PolicyFetch{};
  f.mta_sts.fetch->status = check::FetchStatus::ok;
  EXPECT_EQ(policy_from_facts(f, why).type, PolicyType::tlsa);
}

TEST(GeneratePolicy, WhyNoRua) {
  auto f = facts("x.example");
  f.tls_rpt.txt.status = dns::Status::servfail;
  std::string why;
  EXPECT_TRUE(policy_from_facts(f, why).rua.empty());
  EXPECT_NE(why.find("could not be looked up"), std::string::npos) << why;
  f.tls_rpt.error = "two records";
  why.clear();
  policy_from_facts(f, why);
  EXPECT_NE(why.find("unusable: two records"), std::string::npos) << why;
}

}  // namespace
}  // namespace intransit::tlsrpt
