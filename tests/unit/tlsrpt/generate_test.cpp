// generate_test.cpp — `tlsrpt generate` without a network: counts per destination domain for one
// UTC day (sessions only where a server was reached), the result type a delivery shows under each
// policy type, the policy block, unique report-ids, RFC 8460 §5.3 file names, gzip, and that our
// own reader (report.hpp) reads every generated report back with no tolerance noted.
#include <gtest/gtest.h>

#include "tlsrpt/generate.hpp"
#include "tlsrpt/payload.hpp"
#include "tlsrpt/report.hpp"

namespace intransit::tlsrpt {
namespace {

constexpr std::int64_t kDay = 1'796'169'600;  // 2026-12-02T00:00:00Z

logs::Delivery delivery(const std::string& domain, logs::Protection p, std::int64_t at = kDay + 60,
                        const std::string& trust = "") {
  logs::Delivery d;
  d.time = at;
  d.time_known = true;
  d.recipient_domain = domain;
  d.relay_host = "mx." + domain;
  d.relay_address = "192.0.2.7";
  d.relay_port = 25;
  d.protection = p;
  d.tls_trust = trust;
  return d;
}

GenerateOptions options(const std::string& unique = "u1") {
  return {"Sender Org", "tlsrpt@sender.example", "sender.example", kDay, unique};
}

TEST(TlsrptGenerate, SessionFailures) {
  using logs::Protection;
  EXPECT_FALSE(session_failure(delivery("a", Protection::verified), PolicyType::sts));
  EXPECT_EQ(session_failure(delivery("a", Protection::plaintext), PolicyType::sts),
            "starttls-not-supported");
  EXPECT_EQ(session_failure(delivery("a", Protection::encrypted_unverified, 0, "Untrusted"),
                            PolicyType::sts),
            "certificate-not-trusted");
  EXPECT_EQ(session_failure(delivery("a", Protection::encrypted_unverified, 0, "Trusted"),
                            PolicyType::sts),
            "certificate-host-mismatch");
  EXPECT_EQ(session_failure(delivery("a", Protection::encrypted_unverified), PolicyType::tlsa),
            "validation-failure");
  EXPECT_FALSE(session_failure(delivery("a", Protection::encrypted_unverified),
                               PolicyType::no_policy_found));
  auto none = delivery("a", Protection::unknown);
  EXPECT_EQ(session_failure(none, PolicyType::sts), "");  // no session: not counted
}

TEST(TlsrptGenerate, ReportsCountTheDayAndReadBackClean) {
  using logs::Protection;
  std::map<std::string, DomainPolicy> policies;
  policies["sts.test"] = {PolicyType::sts,
                          {"version: STSv1", "mode: enforce", "mx: mx.sts.test", "max_age: 86400"},
                          {"mx.sts.test"},
                          {"mailto:tlsrpt@sts.test"}};
  policies["quiet.test"] = {PolicyType::no_policy_found, {}, {}, {}};  // no rua: no report
  policies["open.test"] = {PolicyType::no_policy_found, {}, {}, {"https://r.open.test/x"}};
  const std::vector<logs::Delivery> deliveries = {
      delivery("sts.test", Protection::verified),
      delivery("sts.test", Protection::verified),
      delivery("sts.test", Protection::plaintext),
      delivery("sts.test", Protection::encrypted_unverified, kDay + 7, "Untrusted"),
      delivery("sts.test", Protection::verified, kDay - 1),       // the day before
      delivery("sts.test", Protection::verified, kDay + 86'400),  // the day after
      delivery("quiet.test", Protection::plaintext),
      delivery("open.test", Protection::encrypted_unverified),
      delivery("other.test", Protection::plaintext),  // no policy looked up
  };
  const auto reports = generate_reports(deliveries, policies, options());
  ASSERT_EQ(reports.size(), 2U);
  const auto& open = reports[0];
  const auto& sts = reports[1];
  EXPECT_EQ(sts.domain, "sts.test");
  EXPECT_EQ(sts.successful, 2U);
  EXPECT_EQ(sts.failed, 2U);
  EXPECT_EQ(sts.file_name, "sender.example!sts.test!1796169600!1796255999!u1.json.gz");
  EXPECT_EQ(open.successful, 1U);
  EXPECT_NE(open.report_id, sts.report_id);

  for (const auto& g : reports) {
    std::string error;
    const auto payload = decode_payload(g.gzip, error);
    ASSERT_TRUE(payload) << error;
    EXPECT_TRUE(payload->gzip);
    EXPECT_EQ(payload->json, g.json);
    const auto r = parse_report(payload->json, error);
    ASSERT_TRUE(r) << error;
    for (const auto& n : r->notes) ADD_FAILURE() << n.id << ": " << n.detail;
    EXPECT_EQ(r->organization, "Sender Org");
    EXPECT_EQ(r->start, kDay);
    ASSERT_EQ(r->policies.size(), 1U);
    EXPECT_EQ(r->policies[0].successful, g.successful);
    EXPECT_EQ(r->policies[0].failed, g.failed);
  }
  std::string error;
  const auto r = parse_report(sts.json, error);
  ASSERT_TRUE(r);
  const auto& p = r->policies[0];
  EXPECT_EQ(p.type, PolicyType::sts);
  EXPECT_EQ(p.policy_string.size(), 4U);
  EXPECT_EQ(p.mx_host, (std::vector<std::string>{"mx.sts.test"}));
  ASSERT_EQ(p.failures.size(), 2U);
  EXPECT_EQ(p.failures[0].result_word, "certificate-not-trusted");
  EXPECT_EQ(p.failures[1].result_word, "starttls-not-supported");
  EXPECT_EQ(p.failures[1].receiving_mx_hostname, "mx.sts.test");
  EXPECT_EQ(p.failures[1].receiving_ip, "192.0.2.7");
  EXPECT_EQ(p.failures[1].failed_sessions, 1U);

  // Another run, another unique part: other ids and names.
  const auto again = generate_reports(deliveries, policies, options("u2"));
  EXPECT_NE(again[1].report_id, sts.report_id);
  EXPECT_NE(again[1].file_name, sts.file_name);
}

}  // namespace
}  // namespace intransit::tlsrpt
