// verdict_test.cpp — the domain verdict of DESIGN.md §3 from hand-built facts: each verdict
// word, the precedence rules (broken over everything, DANE over MTA-STS, could-not-find-out
// never read as "not supported"), and that every finding emitted is in the catalogue.
#include <gtest/gtest.h>

#include <algorithm>

#include "check/verdict.hpp"

namespace intransit::check {
namespace {

dns::Answer answer(dns::RrType type, dns::Status status, dns::Security sec = dns::Security::secure) {
  dns::Answer a;
  a.type = type;
  a.status = status;
  a.security = sec;
  return a;
}

smtp::ProbeResult tls_probe(const std::string& address, bool trusted = true, bool name_ok = true) {
  smtp::ProbeResult p;
  p.address = address;
  p.outcome = ProbeOutcome::ok;
  p.starttls_offered = true;
  smtp::TlsFacts t;
  t.version = "TLSv1.3";
  t.cipher = "TLS_AES_256_GCM_SHA384";
  t.verification.trusted = trusted;
  t.verification.name_matches = name_ok;
  if (!trusted) t.verification.error = "self-signed certificate";
  p.tls = t;
  return p;
}

smtp::ProbeResult probe_with(ProbeOutcome outcome, const std::string& address) {
  smtp::ProbeResult p;
  p.address = address;
  p.outcome = outcome;
  if (outcome == ProbeOutcome::no_starttls) p.findings.emplace_back("starttls.missing");
  return p;
}

MxFacts mx(const std::string& host, std::vector<smtp::ProbeResult> probes, dns::Security sec = dns::Security::secure) {
  MxFacts m;
  m.host = host;
  m.preference = 10;
  m.addresses.host = host;
  m.addresses.a = answer(dns::RrType::a, dns::Status::answer, sec);
  m.addresses.aaaa = answer(dns::RrType::aaaa, dns::Status::nodata, sec);
  for (std::size_t i = 0; i < probes.size(); ++i) m.addresses.ips.push_back("192.0.2." + std::to_string(i + 1));
  m.tlsa_answer = answer(dns::RrType::tlsa, dns::Status::nxdomain, sec);
  m.probes = std::move(probes);
  return m;
}

DomainFacts domain(std::vector<MxFacts> hosts) {
  DomainFacts f;
  f.domain = "example.test";
  f.mx_answer = answer(dns::RrType::mx, dns::Status::answer);
  f.mx = std::move(hosts);
  f.mta_sts.txt = answer(dns::RrType::txt, dns::Status::nxdomain);
  f.tls_rpt.txt = answer(dns::RrType::txt, dns::Status::nxdomain);
  return f;
}

void with_dane(MxFacts& m, bool matched) {
  dns::Tlsa t;
  t.usage = 3;
  t.selector = 1;
  t.matching = 1;
  t.data.assign(32, 0xab);
  m.tlsa = {t, t};
  m.tlsa_answer.status = dns::Status::answer;
  m.dane_applies = true;
  for (auto& p : m.probes) {
    if (!p.tls) continue;
    tls::DaneVerification v;
    v.usable_records = 2;
    v.matched = matched;
    if (matched) v.matched_record = t.to_string();
    if (!matched) v.error = "no matching DANE TLSA records";
    p.tls->dane = v;
  }
}

void with_sts(DomainFacts& f, policy::StsMode mode, std::vector<std::string> patterns) {
  f.mta_sts.txt.status = dns::Status::answer;
  f.mta_sts.record = policy::StsRecord{"20261128"};
  PolicyFetch fetch;
  fetch.status = FetchStatus::ok;
  f.mta_sts.fetch = fetch;
  policy::StsPolicy p;
  p.mode = mode;
  p.max_age = 604800;
  p.mx = std::move(patterns);
  f.mta_sts.policy = p;
}

bool has(const Assessment& a, const std::string& id) {
  return std::any_of(a.findings.begin(), a.findings.end(), [&](const Finding& f) { return f.id == id; });
}

void all_catalogued(const Assessment& a) {
  for (const auto& f : a.findings) EXPECT_TRUE(catalogued(f.id)) << f.id;
}

TEST(Verdict, OpportunisticWhenEveryAddressHasTls) {
  const auto a = assess(domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_NE(a.summary.find("strip STARTTLS"), std::string::npos);
  EXPECT_TRUE(has(a, "tlsrpt.missing"));
  EXPECT_TRUE(has(a, "mtasts.none"));
  all_catalogued(a);
}

TEST(Verdict, PlaintextAndPartial) {
  auto plain = assess(domain({mx("mx.example.test", {probe_with(ProbeOutcome::no_starttls, "192.0.2.1:25")})}));
  EXPECT_EQ(plain.verdict, Verdict::plaintext);
  EXPECT_TRUE(has(plain, "starttls.missing"));
  auto partial = assess(domain({mx("mx1.example.test", {tls_probe("192.0.2.1:25")}),
                                mx("mx2.example.test", {probe_with(ProbeOutcome::no_starttls, "192.0.2.2:25")})}));
  EXPECT_EQ(partial.verdict, Verdict::partial);
  EXPECT_EQ(partial.addresses_plaintext, 1U);
  all_catalogued(partial);
}

TEST(Verdict, DaneEnforcedWhenEveryAddressMatches) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25", false, false)});
  with_dane(m, true);
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::enforced);
  EXPECT_EQ(a.enforced_by, std::vector<std::string>{"dane"});
  EXPECT_TRUE(has(a, "dane.matched"));
  all_catalogued(a);
}

TEST(Verdict, DaneMismatchIsBroken) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  with_dane(m, false);
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, "dane.tlsa-mismatch"));
  EXPECT_EQ(a.findings.front().severity, Severity::critical);  // most severe first
}

TEST(Verdict, DaneWithoutStarttlsIsBroken) {
  auto m = mx("mx.example.test", {probe_with(ProbeOutcome::no_starttls, "192.0.2.1:25")});
  with_dane(m, false);
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, "dane.starttls-missing"));
}

TEST(Verdict, DaneOnOnlyOneOfTwoHostsIsNotEnforced) {
  auto m1 = mx("mx1.example.test", {tls_probe("192.0.2.1:25")});
  with_dane(m1, true);
  const auto a = assess(domain({m1, mx("mx2.example.test", {tls_probe("192.0.2.2:25")})}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
}

TEST(Verdict, TlsaInUnsignedZoneIsOnlyOpportunistic) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")}, dns::Security::insecure);
  dns::Tlsa t;
  t.usage = 3;
  t.data = {1};
  m.tlsa = {t};
  m.tlsa_answer.status = dns::Status::answer;
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_TRUE(has(a, "dane.tlsa-insecure"));
}

TEST(Verdict, TlsaLookupFailureInSignedZoneIsUntestedNotDowngrade) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  m.tlsa_answer.status = dns::Status::servfail;
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, "dns-failure");
  EXPECT_TRUE(has(a, "dane.tlsa-lookup-failed"));
}

TEST(Verdict, MtaStsEnforce) {
  auto f = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  with_sts(f, policy::StsMode::enforce, {"*.example.test"});
  auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::enforced);
  EXPECT_EQ(a.enforced_by, std::vector<std::string>{"mta-sts"});

  with_sts(f, policy::StsMode::enforce, {"mx.other.test"});
  a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, "mtasts.mx-mismatch"));

  auto bad_cert = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25", false)})});
  with_sts(bad_cert, policy::StsMode::enforce, {"mx.example.test"});
  a = assess(bad_cert);
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, "mtasts.cert-invalid"));
  all_catalogued(a);
}

TEST(Verdict, MtaStsTestingMismatchIsLowSeverityAndOpportunistic) {
  auto f = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  with_sts(f, policy::StsMode::testing, {"mx.other.test"});
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  const auto it = std::find_if(a.findings.begin(), a.findings.end(), [](const Finding& x) { return x.id == "mtasts.mx-mismatch"; });
  ASSERT_NE(it, a.findings.end());
  EXPECT_EQ(it->severity, Severity::low);
}

TEST(Verdict, DanePrecedesFailingMtaSts) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25", false)});
  with_dane(m, true);
  auto f = domain({m});
  with_sts(f, policy::StsMode::enforce, {"mx.example.test"});
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::enforced);
  EXPECT_EQ(a.enforced_by, std::vector<std::string>{"dane"});
  EXPECT_TRUE(has(a, "mtasts.cert-invalid"));
}

TEST(Verdict, PolicyFetchFailureMeansNoPolicy) {
  auto f = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  f.mta_sts.txt.status = dns::Status::answer;
  f.mta_sts.record = policy::StsRecord{"1"};
  PolicyFetch fetch;
  fetch.status = FetchStatus::redirect;
  fetch.detail = "answered 301";
  f.mta_sts.fetch = fetch;
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_TRUE(has(a, "mtasts.policy-fetch"));
}

TEST(Verdict, ServfailIsUntestedNeverNoMail) {
  auto f = domain({});
  f.mx_answer = answer(dns::RrType::mx, dns::Status::servfail, dns::Security::insecure);
  auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, "dns-failure");
  f.mx_answer.status = dns::Status::timeout;
  EXPECT_EQ(assess(f).verdict, Verdict::untested);
}

TEST(Verdict, BogusMxIsBroken) {
  auto f = domain({});
  f.mx_answer = answer(dns::RrType::mx, dns::Status::servfail, dns::Security::bogus);
  f.mx_answer.why = "signature expired";
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, "dns.bogus"));
}

TEST(Verdict, NullMx) {
  auto f = domain({});
  f.null_mx = true;
  EXPECT_EQ(assess(f).verdict, Verdict::no_mail);
  auto mixed = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  mixed.null_mx = true;
  const auto a = assess(mixed);
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_TRUE(has(a, "mx.null-with-others"));
}

TEST(Verdict, UnreachableAndRateLimitedAreUntestedWithTheirReason) {
  auto a = assess(domain({mx("mx.example.test", {probe_with(ProbeOutcome::connect_timeout, "192.0.2.1:25"),
                                                 probe_with(ProbeOutcome::connect_refused, "192.0.2.2:25")})}));
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, "unreachable");
  a = assess(domain({mx("mx.example.test", {probe_with(ProbeOutcome::rate_limited, "192.0.2.1:25")})}));
  EXPECT_EQ(a.untested_reason, "rate-limited");
}

TEST(Verdict, OneUnreachableAddressDoesNotHideTheOthers) {
  const auto a = assess(domain({mx("mx.example.test", {tls_probe("192.0.2.1:25"),
                                                       probe_with(ProbeOutcome::connect_timeout, "192.0.2.2:25")})}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_TRUE(has(a, "mx.untested"));
}

TEST(Verdict, MxWithoutAddressAndImplicitMx) {
  auto m = mx("mx.example.test", {});
  auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::no_mail);
  EXPECT_TRUE(has(a, "mx.no-address"));

  auto f = domain({});
  f.mx_answer.status = dns::Status::nodata;
  HostAddresses own;
  own.a = answer(dns::RrType::a, dns::Status::nodata);
  own.aaaa = answer(dns::RrType::aaaa, dns::Status::servfail);
  f.implicit_lookup = own;
  EXPECT_EQ(assess(f).verdict, Verdict::untested);  // could not find out, not "no mail"
}

TEST(Verdict, MxPointingAtAnAliasIsFlagged) {
  auto m = mx("mail.example.test", {tls_probe("192.0.2.1:25")});
  m.addresses.a.canonical_name = "real-host.example.net";
  const auto a = assess(domain({m}));
  EXPECT_TRUE(has(a, "mx.cname"));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
}

TEST(Verdict, BogusTlsaIsBroken) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  m.tlsa_answer.security = dns::Security::bogus;
  m.tlsa_answer.status = dns::Status::servfail;
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, "dns.bogus"));
}

TEST(Verdict, OnlyPkixTlsaUsagesLeaveTlsUnauthenticated) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  dns::Tlsa pkix;
  pkix.usage = 1;
  pkix.data = {1};
  m.tlsa = {pkix};
  m.tlsa_answer.status = dns::Status::answer;
  m.dane_applies = true;
  m.probes[0].tls->dane_error = "no usable TLSA record";
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);  // RFC 7672 §2.2: unusable records, unauthenticated TLS
  EXPECT_TRUE(has(a, "dane.pkix-usage"));
  EXPECT_TRUE(has(a, "dane.tlsa-unusable"));
}

TEST(Verdict, RequireTlsAfterStarttlsIsNoted) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  smtp::Capabilities caps;
  caps.keywords["REQUIRETLS"] = {};
  m.probes[0].capabilities_tls = caps;
  EXPECT_TRUE(has(assess(domain({m})), "smtp.requiretls"));
  m.probes[0].capabilities_tls.reset();
  m.probes[0].capabilities = caps;  // before TLS it does not count (RFC 8689 §4)
  EXPECT_FALSE(has(assess(domain({m})), "smtp.requiretls"));
}

TEST(Verdict, SweepRevealsObsoleteVersionsTheProbeDidNotNegotiate) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  smtp::SweepResult sweep;
  for (const char* v : {"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}) {
    smtp::VersionSweep vs;
    vs.version = v;
    vs.supported = std::string(v) != "TLSv1.1";
    sweep.versions.push_back(vs);
  }
  m.sweeps = {sweep};
  const auto a = assess(domain({m}));
  const auto it = std::find_if(a.findings.begin(), a.findings.end(), [](const Finding& x) { return x.id == "tls.obsolete-version"; });
  ASSERT_NE(it, a.findings.end());
  EXPECT_EQ(it->evidence, "accepts TLSv1.0 (sweep)");
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
}

}  // namespace
}  // namespace intransit::check
