// verify_test.cpp — `tlsrpt --verify` without a network: the targets drawn from reports (one per
// policy domain, result-type and receiving MX, sessions added, duplicates skipped), the result
// type -> re-test map, and the judges on hand-built engine facts: still failing, no longer
// reproduces, and could not test (never read as fixed).
#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

#include "tlsrpt/retest.hpp"
#include "tlsrpt/verify.hpp"

namespace intransit::tlsrpt {
namespace {

ReadReport report_with(const std::string& org, const std::string& id, Status status,
                       std::vector<FailureDetail> failures) {
  ReadReport r;
  r.status = status;
  r.report.organization = org;
  r.report.report_id = id;
  PolicyResult p;
  p.domain = "example.test";
  p.failures = std::move(failures);
  r.report.policies.push_back(p);
  return r;
}

FailureDetail failure(const std::string& word, const std::string& mx, std::uint64_t n) {
  FailureDetail f;
  f.result_word = word;
  f.result_type = result_type_from_word(word);
  f.receiving_mx_hostname = mx;
  f.failed_sessions = n;
  return f;
}

Target target(const std::string& word, const std::string& mx = "mx.example.test") {
  Target t;
  t.domain = "example.test";
  t.result_word = word;
  t.result_type = result_type_from_word(word);
  t.mx = mx;
  return t;
}

TEST(TlsrptVerify, TargetsAreDistinctAndAddUpSessions) {
  std::vector<ReadReport> reports = {
      report_with("A", "1", Status::new_report,
                  {failure("starttls-not-supported", "MX.Example.Test.", 3),
                   failure("tlsa-invalid", "mx.example.test", 1)}),
      report_with("B", "2", Status::new_report,
                  {failure("starttls-not-supported", "mx.example.test", 4)}),
      report_with("A", "1", Status::duplicate,
                  {failure("starttls-not-supported", "mx.example.test", 50)}),
  };
  const auto targets = retest_targets(reports);
  ASSERT_EQ(targets.size(), 2U);
  EXPECT_EQ(targets[0].result_word, "starttls-not-supported");
  EXPECT_EQ(targets[0].mx, "mx.example.test");
  EXPECT_EQ(targets[0].failed_sessions, 7U);
  EXPECT_EQ(targets[0].reporters, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(targets[1].result_word, "tlsa-invalid");
}

TEST(TlsrptVerify, ResultTypesMapToWhatCanBeCheckedNow) {
  EXPECT_EQ(retest_for(ResultType::sts_policy_fetch_error), Retest::policy_fetch);
  EXPECT_EQ(retest_for(ResultType::sts_webpki_invalid), Retest::policy_fetch);
  EXPECT_EQ(retest_for(ResultType::certificate_expired), Retest::probe);
  EXPECT_EQ(retest_for(ResultType::starttls_not_supported), Retest::probe);
  EXPECT_EQ(retest_for(ResultType::tlsa_invalid), Retest::dane);
  EXPECT_EQ(retest_for(ResultType::dane_required), Retest::dane);
  EXPECT_EQ(retest_for(std::nullopt), Retest::none);
}

smtp::ProbeResult probe(ProbeOutcome outcome, bool tls = false) {
  smtp::ProbeResult p;
  p.address = "192.0.2.1:25";
  p.server_name = "mx.example.test";
  p.outcome = outcome;
  if (tls) {
    p.tls.emplace();
    p.tls->version = "TLSv1.3";
    p.tls->verification.trusted = true;
    p.tls->verification.name_matches = true;
  }
  return p;
}

TEST(TlsrptVerify, ProbeJudgement) {
  auto v = judge_probes(target("starttls-not-supported"), {probe(ProbeOutcome::no_starttls)});
  EXPECT_EQ(v.state, RetestState::still_failing);
  v = judge_probes(target("starttls-not-supported"), {probe(ProbeOutcome::ok, true)});
  EXPECT_EQ(v.state, RetestState::no_longer_reproduces);
  EXPECT_EQ(v.checks.size(), 1U);
  // A connection that could not be made is not a fix.
  v = judge_probes(target("starttls-not-supported"), {probe(ProbeOutcome::connect_timeout)});
  EXPECT_EQ(v.state, RetestState::could_not_test);
  v = judge_probes(target("starttls-not-supported"), {});
  EXPECT_EQ(v.state, RetestState::could_not_test);
  // One address failing outweighs another that works.
  auto expired = probe(ProbeOutcome::ok, true);
  expired.tls->verification.trusted = false;
  expired.tls->verification.error_code = X509_V_ERR_CERT_HAS_EXPIRED;
  expired.tls->verification.error = "certificate has expired";
  v = judge_probes(target("certificate-expired"), {probe(ProbeOutcome::ok, true), expired});
  EXPECT_EQ(v.state, RetestState::still_failing);
  EXPECT_NE(v.now.find("expired"), std::string::npos);
  auto wrong = probe(ProbeOutcome::ok, true);
  wrong.tls->verification.name_matches = false;
  wrong.tls->verification.checked_name = "mx.example.test";
  EXPECT_EQ(judge_probes(target("certificate-host-mismatch"), {wrong}).state,
            RetestState::still_failing);
  EXPECT_EQ(judge_probes(target("certificate-not-trusted"), {wrong}).state,
            RetestState::no_longer_reproduces);
  EXPECT_EQ(judge_probes(target("validation-failure"), {wrong}).state, RetestState::still_failing);
}

check::DomainFacts sts_facts() {
  check::DomainFacts facts;
  facts.domain = "example.test";
  facts.mta_sts.txt.status = dns::Status::answer;
  facts.mta_sts.txt.security = dns::Security::insecure;
  facts.mta_sts.record.emplace();
  return facts;
}

check::PolicyFetch fetched(check::FetchStatus status, const std::string& detail) {
  check::PolicyFetch f;
  f.url = "https://mta-sts.example.test/.well-known/mta-sts.txt";
  f.status = status;
  f.detail = detail;
  f.address = "192.0.2.2:443";
  return f;
}

TEST(TlsrptVerify, PolicyJudgement) {
  const auto facts = sts_facts();
  auto redirect = fetched(check::FetchStatus::redirect, "answered 301 (Location: x)");
  auto no_v6 = fetched(check::FetchStatus::no_address, "mta-sts.example.test has no IPv6 address");
  auto v = judge_policy(target("sts-policy-fetch-error"), facts, {redirect, no_v6});
  EXPECT_EQ(v.state, RetestState::still_failing);
  EXPECT_NE(v.now.find("301"), std::string::npos);
  EXPECT_EQ(v.checks.size(), 2U);
  auto ok = fetched(check::FetchStatus::ok, "200 text/plain");
  ok.body = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n";
  EXPECT_EQ(judge_policy(target("sts-policy-fetch-error"), facts, {ok, no_v6}).state,
            RetestState::no_longer_reproduces);
  // Fixed over IPv4 but not over IPv6: still failing.
  EXPECT_EQ(judge_policy(target("sts-policy-fetch-error"), facts, {ok, redirect}).state,
            RetestState::still_failing);
  auto timeout = fetched(check::FetchStatus::timeout, "timed out");
  EXPECT_EQ(judge_policy(target("sts-policy-fetch-error"), facts, {timeout, no_v6}).state,
            RetestState::could_not_test);
  auto bad = ok;
  bad.body = "version: STSv1\r\nmode: sometimes\r\n";
  EXPECT_EQ(judge_policy(target("sts-policy-invalid"), facts, {bad, no_v6}).state,
            RetestState::still_failing);
  auto lookup_failed = facts;
  lookup_failed.mta_sts.txt.status = dns::Status::servfail;
  EXPECT_EQ(judge_policy(target("sts-policy-fetch-error"), lookup_failed, {}).state,
            RetestState::could_not_test);
}

TEST(TlsrptVerify, DaneJudgement) {
  check::DomainFacts facts;
  facts.domain = "example.test";
  check::MxFacts mx;
  mx.host = "mx.example.test";
  mx.tlsa_base = mx.host;
  mx.tlsa_answer.status = dns::Status::answer;
  mx.tlsa_answer.security = dns::Security::secure;
  mx.tlsa.emplace_back();
  mx.dane_applies = true;
  auto p = probe(ProbeOutcome::ok, true);
  p.tls->dane.emplace();
  p.tls->dane->usable_records = 1;
  mx.probes.push_back(p);
  facts.mx.push_back(mx);
  EXPECT_EQ(judge_dane(target("tlsa-invalid"), facts).state, RetestState::still_failing);
  facts.mx[0].probes[0].tls->dane->matched = true;
  EXPECT_EQ(judge_dane(target("tlsa-invalid"), facts).state, RetestState::no_longer_reproduces);
  facts.mx[0].tlsa_answer.security = dns::Security::bogus;
  facts.mx[0].tlsa_answer.why = "signature expired";
  auto v = judge_dane(target("dnssec-invalid"), facts);
  EXPECT_EQ(v.state, RetestState::still_failing);
  EXPECT_NE(v.now.find("signature expired"), std::string::npos);
  facts.mx[0].tlsa_answer.security = dns::Security::unknown;
  facts.mx[0].tlsa_answer.status = dns::Status::timeout;
  EXPECT_EQ(judge_dane(target("tlsa-invalid"), facts).state, RetestState::could_not_test);
  EXPECT_EQ(judge_dane(target("tlsa-invalid", "gone.example.test"), facts).state,
            RetestState::could_not_test);
}

}  // namespace
}  // namespace intransit::tlsrpt
