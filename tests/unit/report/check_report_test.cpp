// check_report_test.cpp — the `check` report (report/check_report.hpp) from hand-built facts:
// issue 14 items 12, 15 and 24. The text says "lookup failed" where the JSON does, shows the
// sweep it ran, says why an MTA-STS policy is not usable, lists a repeated finding once and
// prints a 10 kB certificate subject once, cut with a marker; a failed lookup's DNSSEC status
// is "unknown" in the JSON (RELIABILITY.md item 58). `check --address` (issue 21): the keys sit
// beside the verdict, in the JSON's `keys` member and the text's "Explicit encryption" section.
#include <gtest/gtest.h>

#include <sstream>

#include "check/keys_verdict.hpp"
#include "check/verdict.hpp"
#include "report/check_report.hpp"
#include "report/probe_report.hpp"

namespace intransit::report {
namespace {

dns::Answer answer(dns::RrType type, dns::Status status, dns::Security sec) {
  dns::Answer a;
  a.name = "example.test";
  a.type = type;
  a.status = status;
  a.security = sec;
  return a;
}

check::DomainFacts facts_with_one_tls_mx() {
  check::DomainFacts f;
  f.domain = "example.test";
  f.mx_answer = answer(dns::RrType::mx, dns::Status::answer, dns::Security::insecure);
  f.mta_sts.txt = answer(dns::RrType::txt, dns::Status::nxdomain, dns::Security::insecure);
  f.tls_rpt.txt = answer(dns::RrType::txt, dns::Status::nxdomain, dns::Security::insecure);
  check::MxFacts mx;
  mx.host = "mx.example.test";
  mx.addresses.a = answer(dns::RrType::a, dns::Status::answer, dns::Security::insecure);
  mx.addresses.aaaa = answer(dns::RrType::aaaa, dns::Status::nodata, dns::Security::insecure);
  mx.addresses.ips = {"192.0.2.1"};
  smtp::ProbeResult p;
  p.address = "192.0.2.1:25";
  p.outcome = ProbeOutcome::ok;
  smtp::TlsFacts t;
  t.version = "TLSv1.3";
  t.cipher = "TLS_AES_256_GCM_SHA384";
  t.forward_secrecy = true;
  tls::CertificateFacts leaf;
  leaf.subject = "CN=mx.example.test";
  leaf.issuer = "CN=Example CA";
  t.chain = {leaf};
  t.verification.trusted = true;
  t.verification.name_matches = true;
  p.tls = t;
  mx.probes = {p};
  f.mx = {mx};
  return f;
}

std::string text_of(const check::DomainFacts& f, bool verbose = false) {
  std::ostringstream out;
  TextStyle style;
  style.verbose = verbose;
  write_check_text(out, f, check::assess(f), style);
  return out.str();
}

TEST(CheckReport, FailedTlsRptLookupSaysLookupFailedNotNone) {
  auto f = facts_with_one_tls_mx();
  f.tls_rpt.txt = answer(dns::RrType::txt, dns::Status::timeout, dns::Security::unknown);
  f.tls_rpt.txt.why = "no answer within 10000 ms";
  const auto text = text_of(f);
  EXPECT_NE(text.find("TLS-RPT     lookup failed (timeout"), std::string::npos) << text;
  const auto j = check_to_json(f, check::assess(f));
  EXPECT_EQ(j["tls_rpt"]["dns"]["status"], "timeout");
  EXPECT_EQ(j["tls_rpt"]["dns"]["dnssec"], "unknown");  // RELIABILITY item 58
}

TEST(CheckReport, FailedMxLookupHasUnknownDnssecInJson) {
  check::DomainFacts f;
  f.domain = "example.test";
  f.mx_answer = answer(dns::RrType::mx, dns::Status::servfail, dns::Security::unknown);
  f.mx_answer.why = "SERVFAIL";
  const auto j = check_to_json(f, check::assess(f));
  EXPECT_EQ(j["dnssec"]["status"], "unknown");
  EXPECT_EQ(j["dnssec"]["mx"]["reason"], "SERVFAIL");
  EXPECT_NE(text_of(f).find("DNSSEC      MX answer unknown"), std::string::npos);
}

TEST(CheckReport, InvalidPolicySaysWhyNotOk) {
  auto f = facts_with_one_tls_mx();
  f.mta_sts.txt.status = dns::Status::answer;
  f.mta_sts.record = policy::StsRecord{"1"};
  check::PolicyFetch fetch;
  fetch.status = check::FetchStatus::ok;
  fetch.detail = "200 text/plain, 40 bytes";
  f.mta_sts.fetch = fetch;
  f.mta_sts.policy_error = "mode must be enforce, testing or none";
  const auto text = text_of(f);
  EXPECT_EQ(text.find("policy not usable: ok"), std::string::npos) << text;
  EXPECT_NE(text.find("MTA-STS     policy invalid: mode must be enforce, testing or none"),
            std::string::npos)
      << text;
}

TEST(CheckReport, SweepIsPrintedWhenItRan) {
  auto f = facts_with_one_tls_mx();
  smtp::SweepResult sweep;
  smtp::VersionSweep v;
  v.version = "TLSv1.2";
  v.supported = true;
  v.ciphers = {{"AES256-GCM-SHA384", tls::Rating::phase_out}};
  sweep.versions = {v};
  f.mx[0].sweeps = {sweep};
  for (bool verbose : {false, true}) {
    const auto text = text_of(f, verbose);
    EXPECT_EQ(text.find("not checked"), std::string::npos) << text;
    EXPECT_NE(text.find("TLSv1.2      AES256-GCM-SHA384 phase-out"), std::string::npos) << text;
    EXPECT_NE(text.find("tls.suite-phase-out"), std::string::npos) << text;
  }
}

TEST(CheckReport, RepeatedFindingIsPrintedOnceWithACount) {
  auto f = facts_with_one_tls_mx();
  f.mx[0].probes[0].findings = {intransit::FindingId::smtp_bare_lf_in_reply,
                                intransit::FindingId::smtp_bare_lf_in_reply};
  const auto text = text_of(f, true);
  const auto first = text.find("] smtp.bare-lf-in-reply");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_EQ(text.find("] smtp.bare-lf-in-reply", first + 1), std::string::npos) << text;
  EXPECT_NE(text.find("(seen 2 times)"), std::string::npos) << text;
  const auto j = check_to_json(f, check::assess(f));
  for (const auto& x : j["findings"]) {
    if (x["id"] == "smtp.bare-lf-in-reply") {
      EXPECT_EQ(x["count"], 2);
    }
  }
}

TEST(CheckReport, HugeSelfIssuedSubjectIsPrintedOnceAndCut) {
  auto f = facts_with_one_tls_mx();
  auto& t = *f.mx[0].probes[0].tls;
  t.chain[0].subject = "CN=" + std::string(10000, 'x');
  t.chain[0].issuer = t.chain[0].subject;
  t.verification.trusted = false;
  t.verification.error = "self-signed certificate";
  t.verification.error_code = 18;  // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
  f.mx[0].probes[0].findings = {intransit::FindingId::cert_self_signed};
  const auto text = text_of(f, true);
  EXPECT_EQ(text.find(std::string(kTextField + 1, 'x')),
            std::string::npos);  // never more than the cut
  EXPECT_NE(text.find("more bytes]"), std::string::npos) << text.substr(0, 2000);
  EXPECT_NE(text.find("issued by itself"), std::string::npos);
  EXPECT_LE(text.size(), 4000U);
  const auto j = check_to_json(f, check::assess(f));
  EXPECT_EQ(
      j["mx"][0]["addresses"][0]["certificate"]["chain"][0]["subject"].get<std::string>().size(),
      10003U);
}

// Two addresses as `check --address` gathers them: one where every source answered with
// nothing (none), one with a usable key from a DNSSEC-secure OPENPGPKEY answer.
std::vector<check::AddressKeys> two_addresses() {
  check::AddressKeys nobody;
  nobody.address = "nobody@example.test";
  nobody.parsed = policy::MailAddress{"nobody", "example.test"};
  nobody.wkd.method = "advanced";
  nobody.wkd.status = check::SourceStatus::absent;
  nobody.openpgpkey.status = check::SourceStatus::absent;
  nobody.openpgpkey.security = dns::Security::secure;
  nobody.smimea.status = check::SourceStatus::absent;
  nobody.smimea.security = dns::Security::secure;
  check::judge_keys(nobody);
  check::AddressKeys dana = nobody;
  dana.address = "dana@example.test";
  dana.parsed = policy::MailAddress{"dana", "example.test"};
  dana.openpgpkey.status = check::SourceStatus::found;
  policy::OpenPgpKeyFacts key;
  key.problem = policy::KeyProblem::none;
  key.fingerprint = "ABCD";
  key.encryption_fingerprint = "EF01";
  key.user_ids = {"<dana@example.test>"};
  dana.openpgpkey.openpgp = {key};
  check::judge_keys(dana);
  return {nobody, dana};
}

TEST(CheckReport, KeysSitBesideTheVerdictAndNeverChangeIt) {
  const auto f = facts_with_one_tls_mx();
  const auto keys = two_addresses();
  ASSERT_EQ(keys[0].verdict, check::KeysVerdict::none);
  ASSERT_EQ(keys[1].verdict, check::KeysVerdict::ready_dnssec);
  const auto plain = check_to_json(f, check::assess(f));
  EXPECT_FALSE(plain.contains("keys"));  // only when asked
  const auto j = check_to_json(f, check::assess(f), keys);
  ASSERT_TRUE(j.contains("keys"));
  ASSERT_EQ(j["keys"].size(), 2U);
  EXPECT_EQ(j["keys"][0]["schema"], "intransit.keys/1");
  EXPECT_EQ(j["keys"][0]["address"], "nobody@example.test");
  EXPECT_EQ(j["keys"][0]["verdict"], "none");
  EXPECT_EQ(j["keys"][1]["verdict"], "ready-dnssec");
  EXPECT_EQ(j["verdict"], plain["verdict"]);
  EXPECT_EQ(j["findings"], plain["findings"]);

  std::ostringstream out;
  write_check_text(out, f, check::assess(f), TextStyle{}, keys);
  const auto text = out.str();
  const auto section = text.find("Explicit encryption");
  ASSERT_NE(section, std::string::npos) << text;
  EXPECT_GT(section, text.find("TLS-RPT"));  // after the transport part
  EXPECT_NE(text.find("  nobody@example.test: none\n    no published key", section),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  dana@example.test: ready (authenticated by DNSSEC)", section),
            std::string::npos)
      << text;
  EXPECT_EQ(text_of(f).find("Explicit encryption"), std::string::npos);
}

}  // namespace
}  // namespace intransit::report
