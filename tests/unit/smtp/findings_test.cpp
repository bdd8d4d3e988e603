// Unit tests for smtp/findings.hpp: stable finding ids from probe facts.
#include "smtp/findings.hpp"

#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

#include <algorithm>

using intransit::FindingId;
using intransit::ProbeOutcome;
using intransit::smtp::add_fact_findings;
using intransit::smtp::ProbeResult;
using intransit::smtp::TlsFacts;

namespace {

bool has(const ProbeResult& r, FindingId id) {
  return std::find(r.findings.begin(), r.findings.end(), id) != r.findings.end();
}

ProbeResult tls_result(const std::string& version, bool trusted, int error_code,
                       bool name_matches) {
  ProbeResult r;
  r.outcome = ProbeOutcome::ok;
  TlsFacts t;
  t.version = version;
  t.forward_secrecy = true;
  t.chain.emplace_back();
  t.verification.trusted = trusted;
  t.verification.error_code = error_code;
  t.verification.name_matches = name_matches;
  r.tls = t;
  return r;
}

}  // namespace

TEST(Findings, GoodSessionHasNone) {
  auto r = tls_result("TLSv1.3", true, 0, true);
  add_fact_findings(r);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Findings, StarttlsMissingAndRefused) {
  ProbeResult missing;
  missing.outcome = ProbeOutcome::no_starttls;
  add_fact_findings(missing);
  EXPECT_TRUE(has(missing, FindingId::starttls_missing));
  ProbeResult refused;
  refused.outcome = ProbeOutcome::starttls_refused;
  add_fact_findings(refused);
  EXPECT_TRUE(has(refused, FindingId::starttls_refused));
}

TEST(Findings, ObsoleteVersionAndNoForwardSecrecy) {
  auto r = tls_result("TLSv1", true, 0, true);
  r.tls->forward_secrecy = false;
  add_fact_findings(r);
  EXPECT_TRUE(has(r, FindingId::tls_obsolete_version));
  EXPECT_TRUE(has(r, FindingId::tls_no_forward_secrecy));
  auto ok12 = tls_result("TLSv1.2", true, 0, true);
  add_fact_findings(ok12);
  EXPECT_FALSE(has(ok12, FindingId::tls_obsolete_version));
}

TEST(Findings, CertificateProblemsByVerifyCode) {
  auto expired = tls_result("TLSv1.3", false, X509_V_ERR_CERT_HAS_EXPIRED, true);
  add_fact_findings(expired);
  EXPECT_TRUE(has(expired, FindingId::cert_expired));
  auto self = tls_result("TLSv1.3", false, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, true);
  add_fact_findings(self);
  EXPECT_TRUE(has(self, FindingId::cert_self_signed));
  auto unknown_ca =
      tls_result("TLSv1.3", false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, false);
  add_fact_findings(unknown_ca);
  EXPECT_TRUE(has(unknown_ca, FindingId::cert_untrusted));
  EXPECT_TRUE(has(unknown_ca, FindingId::cert_name_mismatch));
}

TEST(Findings, HandshakeOnlyFactsRaiseNothing) {
  auto r = tls_result("TLSv1", false, 0, false);
  r.tls->chain.clear();  // the sweep's handshake-only probes never see a certificate
  add_fact_findings(r);
  EXPECT_TRUE(r.findings.empty());
}

namespace {

// Issue 14 item 24: an id the dialogue raised for several replies is listed once.
TEST(Findings, RepeatedIdsAreListedOnce) {
  ProbeResult r;
  r.outcome = ProbeOutcome::no_starttls;
  r.findings = {FindingId::smtp_bare_lf_in_reply, FindingId::smtp_bare_lf_in_reply,
                FindingId::smtp_unsolicited_data, FindingId::smtp_bare_lf_in_reply};
  add_fact_findings(r);
  EXPECT_EQ(r.findings, (std::vector<FindingId>{FindingId::smtp_bare_lf_in_reply,
                                                FindingId::smtp_unsolicited_data,
                                                FindingId::starttls_missing}));
}

// RELIABILITY item 59: a chain over the verify depth is its own finding, not "untrusted".
TEST(Findings, ChainTooLong) {
  auto r = tls_result("TLSv1.3", false, X509_V_ERR_CERT_CHAIN_TOO_LONG, true);
  add_fact_findings(r);
  EXPECT_TRUE(has(r, FindingId::cert_chain_too_long));
  EXPECT_FALSE(has(r, FindingId::cert_untrusted));
}

}  // namespace
