// verdict_test.cpp — the domain verdict of DESIGN.md §3 from hand-built facts: each verdict
// word, the precedence rules (broken over everything, DANE over MTA-STS, could-not-find-out
// never read as "not supported"), and that every finding emitted is in the catalogue.
#include <gtest/gtest.h>

#include <algorithm>

#include "check/verdict.hpp"

namespace intransit::check {
namespace {

dns::Answer answer(dns::RrType type, dns::Status status,
                   dns::Security sec = dns::Security::secure) {
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
  if (outcome == ProbeOutcome::no_starttls) p.findings.push_back(FindingId::starttls_missing);
  return p;
}

MxFacts mx(const std::string& host, std::vector<smtp::ProbeResult> probes,
           dns::Security sec = dns::Security::secure) {
  MxFacts m;
  m.host = host;
  m.preference = 10;
  m.addresses.host = host;
  m.addresses.a = answer(dns::RrType::a, dns::Status::answer, sec);
  m.addresses.aaaa = answer(dns::RrType::aaaa, dns::Status::nodata, sec);
  for (std::size_t i = 0; i < probes.size(); ++i)
    m.addresses.ips.push_back("192.0.2." + std::to_string(i + 1));
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

bool has(const Assessment& a, FindingId id) {
  return std::any_of(a.findings.begin(), a.findings.end(),
                     [&](const Finding& f) { return f.id == id; });
}

// Every finding's scope has a shape its catalogue row allows (core/finding_id.cpp).
void all_catalogued(const Assessment& a) {
  for (const auto& f : a.findings) {
    const auto kind = scope_kind_of(f.scope);
    ASSERT_TRUE(kind.has_value()) << to_string(f.id) << " " << f.scope;
    EXPECT_TRUE(scope_allowed(f.id, *kind)) << to_string(f.id) << " " << f.scope;
  }
}

TEST(Verdict, OpportunisticWhenEveryAddressHasTls) {
  const auto a = assess(domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_NE(a.summary.find("strip STARTTLS"), std::string::npos);
  EXPECT_TRUE(has(a, FindingId::tlsrpt_missing));
  EXPECT_TRUE(has(a, FindingId::mtasts_none));
  all_catalogued(a);
}

TEST(Verdict, PlaintextAndPartial) {
  auto plain = assess(
      domain({mx("mx.example.test", {probe_with(ProbeOutcome::no_starttls, "192.0.2.1:25")})}));
  EXPECT_EQ(plain.verdict, Verdict::plaintext);
  EXPECT_TRUE(has(plain, FindingId::starttls_missing));
  auto partial = assess(
      domain({mx("mx1.example.test", {tls_probe("192.0.2.1:25")}),
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
  EXPECT_EQ(a.enforced_by, std::vector<Enforcer>{Enforcer::dane});
  EXPECT_TRUE(has(a, FindingId::dane_matched));
  all_catalogued(a);
}

TEST(Verdict, DaneMismatchIsBroken) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  with_dane(m, false);
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, FindingId::dane_tlsa_mismatch));
  EXPECT_EQ(a.findings.front().severity, Severity::critical);  // most severe first
}

TEST(Verdict, DaneWithoutStarttlsIsBroken) {
  auto m = mx("mx.example.test", {probe_with(ProbeOutcome::no_starttls, "192.0.2.1:25")});
  with_dane(m, false);
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, FindingId::dane_starttls_missing));
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
  EXPECT_TRUE(has(a, FindingId::dane_tlsa_insecure));
}

TEST(Verdict, TlsaLookupFailureInSignedZoneIsUntestedNotDowngrade) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  m.tlsa_answer.status = dns::Status::servfail;
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, UntestedReason::dns_failure);
  EXPECT_TRUE(has(a, FindingId::dane_tlsa_lookup_failed));
}

TEST(Verdict, MtaStsEnforce) {
  auto f = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  with_sts(f, policy::StsMode::enforce, {"*.example.test"});
  auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::enforced);
  EXPECT_EQ(a.enforced_by, std::vector<Enforcer>{Enforcer::mta_sts});

  with_sts(f, policy::StsMode::enforce, {"mx.other.test"});
  a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, FindingId::mtasts_mx_mismatch));

  auto bad_cert = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25", false)})});
  with_sts(bad_cert, policy::StsMode::enforce, {"mx.example.test"});
  a = assess(bad_cert);
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, FindingId::mtasts_cert_invalid));
  all_catalogued(a);
}

TEST(Verdict, MtaStsTestingMismatchIsLowSeverityAndOpportunistic) {
  auto f = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  with_sts(f, policy::StsMode::testing, {"mx.other.test"});
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  const auto it = std::find_if(a.findings.begin(), a.findings.end(), [](const Finding& x) {
    return x.id == FindingId::mtasts_mx_mismatch;
  });
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
  EXPECT_EQ(a.enforced_by, std::vector<Enforcer>{Enforcer::dane});
  EXPECT_TRUE(has(a, FindingId::mtasts_cert_invalid));
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
  EXPECT_TRUE(has(a, FindingId::mtasts_policy_fetch));
}

TEST(Verdict, ServfailIsUntestedNeverNoMail) {
  auto f = domain({});
  f.mx_answer = answer(dns::RrType::mx, dns::Status::servfail, dns::Security::insecure);
  auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, UntestedReason::dns_failure);
  f.mx_answer.status = dns::Status::timeout;
  EXPECT_EQ(assess(f).verdict, Verdict::untested);
}

TEST(Verdict, BogusMxIsBroken) {
  auto f = domain({});
  f.mx_answer = answer(dns::RrType::mx, dns::Status::servfail, dns::Security::bogus);
  f.mx_answer.why = "signature expired";
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, FindingId::dns_bogus));
}

TEST(Verdict, NullMx) {
  auto f = domain({});
  f.null_mx = true;
  EXPECT_EQ(assess(f).verdict, Verdict::no_mail);
  auto mixed = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  mixed.null_mx = true;
  const auto a = assess(mixed);
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_TRUE(has(a, FindingId::mx_null_with_others));
}

TEST(Verdict, UnreachableAndRateLimitedAreUntestedWithTheirReason) {
  auto a = assess(
      domain({mx("mx.example.test", {probe_with(ProbeOutcome::connect_timeout, "192.0.2.1:25"),
                                     probe_with(ProbeOutcome::connect_refused, "192.0.2.2:25")})}));
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, UntestedReason::unreachable);
  a = assess(
      domain({mx("mx.example.test", {probe_with(ProbeOutcome::rate_limited, "192.0.2.1:25")})}));
  EXPECT_EQ(a.untested_reason, UntestedReason::rate_limited);
}

TEST(Verdict, OneUnreachableAddressDoesNotHideTheOthers) {
  const auto a = assess(
      domain({mx("mx.example.test", {tls_probe("192.0.2.1:25"),
                                     probe_with(ProbeOutcome::connect_timeout, "192.0.2.2:25")})}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_TRUE(has(a, FindingId::mx_untested));
}

TEST(Verdict, MxWithoutAddressAndImplicitMx) {
  auto m = mx("mx.example.test", {});
  auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::no_mail);
  EXPECT_TRUE(has(a, FindingId::mx_no_address));

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
  EXPECT_TRUE(has(a, FindingId::mx_cname));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
}

TEST(Verdict, BogusTlsaIsBroken) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  m.tlsa_answer.security = dns::Security::bogus;
  m.tlsa_answer.status = dns::Status::servfail;
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::broken);
  EXPECT_TRUE(has(a, FindingId::dns_bogus));
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
  EXPECT_EQ(a.verdict,
            Verdict::opportunistic);  // RFC 7672 §2.2: unusable records, unauthenticated TLS
  EXPECT_TRUE(has(a, FindingId::dane_pkix_usage));
  EXPECT_TRUE(has(a, FindingId::dane_tlsa_unusable));
}

TEST(Verdict, RequireTlsAfterStarttlsIsNoted) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  smtp::Capabilities caps;
  caps.keywords["REQUIRETLS"] = {};
  m.probes[0].capabilities_tls = caps;
  EXPECT_TRUE(has(assess(domain({m})), FindingId::smtp_requiretls));
  m.probes[0].capabilities_tls.reset();
  m.probes[0].capabilities = caps;  // before TLS it does not count (RFC 8689 §4)
  EXPECT_FALSE(has(assess(domain({m})), FindingId::smtp_requiretls));
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
  const auto it = std::find_if(a.findings.begin(), a.findings.end(), [](const Finding& x) {
    return x.id == FindingId::tls_obsolete_version;
  });
  ASSERT_NE(it, a.findings.end());
  EXPECT_EQ(it->evidence, "accepts TLSv1.0 (sweep)");
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
}

// RELIABILITY item 58 (issue 14 item 12): when no nameserver answered at all, the domain is
// untested for "no-network", with advice about this machine, not a dns-failure of the domain.
TEST(Verdict, NoNetworkIsUntestedWithAdviceAboutThisMachine) {
  auto f = domain({});
  f.mx_answer = answer(dns::RrType::mx, dns::Status::error, dns::Security::unknown);
  f.no_network = "the first lookup, . NS, failed: timeout (no answer within 5000 ms)";
  const auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_EQ(a.untested_reason, UntestedReason::no_network);
  EXPECT_TRUE(has(a, FindingId::dns_no_network));
  EXPECT_FALSE(has(a, FindingId::dns_mx_lookup_failed));
  EXPECT_NE(a.summary.find("this machine"), std::string::npos) << a.summary;
  all_catalogued(a);
}

// Issue 14 item 12: a failed _mta-sts lookup is its own finding, even when the MX lookup
// failed too (the verdict then stops early).
TEST(Verdict, FailedMtaStsLookupIsAFindingEvenWhenMxFails) {
  auto f = domain({});
  f.mx_answer = answer(dns::RrType::mx, dns::Status::servfail, dns::Security::unknown);
  f.mta_sts.txt = answer(dns::RrType::txt, dns::Status::timeout, dns::Security::unknown);
  auto a = assess(f);
  EXPECT_EQ(a.verdict, Verdict::untested);
  EXPECT_TRUE(has(a, FindingId::mtasts_record_lookup_failed));
  auto ok = domain({mx("mx.example.test", {tls_probe("192.0.2.1:25")})});
  ok.mta_sts.txt = answer(dns::RrType::txt, dns::Status::servfail, dns::Security::unknown);
  a = assess(ok);
  EXPECT_EQ(std::count_if(
                a.findings.begin(), a.findings.end(),
                [](const Finding& x) { return x.id == FindingId::mtasts_record_lookup_failed; }),
            1);
}

// Issue 14 item 15: the sweep's suite ratings become findings, not only JSON.
TEST(Verdict, SweepSuiteRatingsAreFindings) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  smtp::SweepResult sweep;
  smtp::VersionSweep v12;
  v12.version = "TLSv1.2";
  v12.supported = true;
  v12.ciphers = {{"ECDHE-RSA-AES256-GCM-SHA384", tls::Rating::good},
                 {"AES256-GCM-SHA384", tls::Rating::phase_out},
                 {"ECDHE-RSA-DES-CBC3-SHA", tls::Rating::phase_out},
                 {"NULL-SHA256", tls::Rating::insufficient}};
  sweep.versions = {v12};
  m.sweeps = {sweep};
  const auto a = assess(domain({m}));
  const auto find = [&](FindingId id) {
    return std::find_if(a.findings.begin(), a.findings.end(),
                        [&](const Finding& x) { return x.id == id; });
  };
  ASSERT_NE(find(FindingId::tls_suite_phase_out), a.findings.end());
  EXPECT_EQ(find(FindingId::tls_suite_phase_out)->evidence,
            "accepts TLSv1.2: AES256-GCM-SHA384, ECDHE-RSA-DES-CBC3-SHA (sweep)");
  ASSERT_NE(find(FindingId::tls_suite_insufficient), a.findings.end());
  EXPECT_EQ(find(FindingId::tls_suite_insufficient)->evidence,
            "accepts TLSv1.2: NULL-SHA256 (sweep)");
  all_catalogued(a);
}

// Issue 14 item 15: where every TLSA record is unusable, RFC 7672 §2.2 still makes DANE
// senders insist on TLS: the summary must not say a stripping attacker reads their mail.
TEST(Verdict, UnusableTlsaSummaryDoesNotPromisePlaintextToStrippers) {
  auto m = mx("mx.example.test", {tls_probe("192.0.2.1:25")});
  dns::Tlsa pkix;
  pkix.usage = 1;
  pkix.data = {1};
  m.tlsa = {pkix};
  m.tlsa_answer.status = dns::Status::answer;
  m.dane_applies = true;
  m.probes[0].tls->dane_error = "no usable TLSA record";
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::opportunistic);
  EXPECT_EQ(a.summary.find("strip STARTTLS and read it"), std::string::npos) << a.summary;
  EXPECT_NE(a.summary.find("DANE senders insist on TLS"), std::string::npos) << a.summary;
}

// Issue 14 item 24: a finding raised several times in one scope is listed once, with a count.
TEST(Verdict, RepeatedFindingsAreListedOnceWithACount) {
  auto p = probe_with(ProbeOutcome::no_starttls, "192.0.2.1:25");
  p.findings = {FindingId::starttls_missing, FindingId::smtp_bare_lf_in_reply,
                FindingId::smtp_bare_lf_in_reply, FindingId::smtp_bare_lf_in_reply};
  const auto a = assess(domain({mx("mx.example.test", {p})}));
  const auto n = std::count_if(a.findings.begin(), a.findings.end(), [](const Finding& x) {
    return x.id == FindingId::smtp_bare_lf_in_reply;
  });
  EXPECT_EQ(n, 1);
  const auto it = std::find_if(a.findings.begin(), a.findings.end(), [](const Finding& x) {
    return x.id == FindingId::smtp_bare_lf_in_reply;
  });
  ASSERT_NE(it, a.findings.end());
  EXPECT_EQ(it->count, 3U);
}

// Issue 14 item 14 (RFC 7672 §2.2.2): DANE through a CNAME'd MX host uses the expanded name's
// TLSA records and says so.
TEST(Verdict, DaneThroughAnAliasNamesTheExpandedBase) {
  auto m = mx("mail.example.test", {tls_probe("192.0.2.1:25")});
  m.addresses.a.canonical_name = "mx.provider.test";
  m.tlsa_base = "mx.provider.test";
  with_dane(m, true);
  const auto a = assess(domain({m}));
  EXPECT_EQ(a.verdict, Verdict::enforced);
  EXPECT_TRUE(has(a, FindingId::dane_cname_expanded));
  all_catalogued(a);
}

// Issue 14 item 15: the finding catalogue cites the RFC section that states each rule (RFC 9325
// replaced RFC 7525; RFC 7525 §3.2 is "Strict TLS", not forward secrecy).
TEST(Finding, RfcReferencesNameTheRule) {
  EXPECT_EQ(make_finding(FindingId::tls_no_forward_secrecy, "", "").rfc(), "RFC 9325 §4.1, §6.3");
  EXPECT_EQ(make_finding(FindingId::tls_obsolete_version, "", "").rfc(), "RFC 8996 §4, §5");
  EXPECT_EQ(make_finding(FindingId::cert_name_mismatch, "", "").rfc(), "RFC 9525 §6.3");
  EXPECT_EQ(make_finding(FindingId::smtp_requiretls, "", "").rfc(), "RFC 8689 §2");
  EXPECT_EQ(finding_id_from_string("cert.chain-too-long"), FindingId::cert_chain_too_long);
}

}  // namespace
}  // namespace intransit::check
