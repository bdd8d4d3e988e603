// client_audit_test.cpp — check::assess_client with hand-built facts: the per-leg verdict in
// check's words (enforced, opportunistic, partial, plaintext, broken, no-mail, untested), the
// RFC 7817 name findings, and discovery findings (unsigned SRV, autoconfig over plain http,
// socketType plain). "Could not find out" is never "not offered".
#include <gtest/gtest.h>

#include <algorithm>

#include "check/client_audit.hpp"

namespace intransit::check {
namespace {

SrvLookup srv_answer(std::size_t service, dns::Security security, std::string target) {
  SrvLookup l;
  l.service = kSrvServices[service];
  l.answer.name = std::string(l.service.label) + ".example.test";
  l.answer.status = dns::Status::answer;
  l.answer.security = security;
  l.records = {{0, 0, 993, std::move(target)}};
  l.not_offered = l.records.front().target == ".";
  return l;
}

SrvLookup srv_none(std::size_t service, dns::Status status = dns::Status::nxdomain) {
  SrvLookup l;
  l.service = kSrvServices[service];
  l.answer.name = std::string(l.service.label) + ".example.test";
  l.answer.status = status;
  l.answer.security =
      status == dns::Status::servfail ? dns::Security::unknown : dns::Security::secure;
  return l;
}

ClientProbe tls_probe(std::vector<std::string> names, bool trusted = true) {
  ClientProbe p;
  p.report.result.address = "192.0.2.1:993";
  p.report.result.outcome = ProbeOutcome::ok;
  p.report.result.tls.emplace();
  p.report.result.tls->chain.emplace_back();
  p.report.result.tls->chain.front().dns_names = std::move(names);
  p.report.result.tls->verification.trusted = trusted;
  return p;
}

ServerAudit server(Leg leg, std::string host, bool authenticated, std::vector<ClientProbe> probes) {
  ServerAudit sa;
  sa.server.leg = leg;
  sa.server.host = std::move(host);
  sa.server.port = 993;
  sa.server.mode = smtp::TlsMode::implicit;
  sa.server.origins.push_back({Source::srv, "_imaps._tcp.example.test", authenticated});
  sa.probes = std::move(probes);
  return sa;
}

ClientReport report_with(std::vector<SrvLookup> srv, std::vector<ServerAudit> servers) {
  ClientReport r;
  r.domain = "example.test";
  r.discovery.domain = r.domain;
  r.discovery.srv = std::move(srv);
  r.servers = std::move(servers);
  assess_client(r);
  return r;
}

Verdict leg_verdict(const ClientReport& r, Leg leg) {
  for (const auto& l : r.legs) {
    if (l.leg == leg) return l.verdict;
  }
  return Verdict::untested;
}

bool has(const ClientReport& r, FindingId id) {
  return std::any_of(r.findings.begin(), r.findings.end(),
                     [id](const Finding& f) { return f.id == id; });
}

TEST(ClientAudit, SignedSrvAndCertificateForTheTargetIsEnforced) {
  const auto r = report_with(
      {srv_answer(2, dns::Security::secure, "mail.provider.test")},
      {server(Leg::imap, "mail.provider.test", true, {tls_probe({"mail.provider.test"})})});
  EXPECT_EQ(r.servers[0].probes[0].name, NameCheck::delegated);
  EXPECT_EQ(leg_verdict(r, Leg::imap), Verdict::enforced);
  EXPECT_FALSE(has(r, FindingId::client_srv_insecure));
}

TEST(ClientAudit, UnsignedSrvToAForeignNameIsNotAuthenticated) {
  const auto r = report_with(
      {srv_answer(2, dns::Security::insecure, "mail.provider.test")},
      {server(Leg::imap, "mail.provider.test", false, {tls_probe({"mail.provider.test"})})});
  EXPECT_EQ(r.servers[0].probes[0].name, NameCheck::foreign_unauthenticated);
  EXPECT_EQ(leg_verdict(r, Leg::imap), Verdict::opportunistic);
  EXPECT_TRUE(has(r, FindingId::client_srv_foreign_unauthenticated));
  EXPECT_TRUE(has(r, FindingId::client_srv_insecure));
}

TEST(ClientAudit, CertificateForTheDomainIsEnoughEvenUnsigned) {
  const auto r = report_with({srv_answer(2, dns::Security::insecure, "mail.provider.test")},
                             {server(Leg::imap, "mail.provider.test", false,
                                     {tls_probe({"*.provider.test", "example.test"})})});
  EXPECT_EQ(r.servers[0].probes[0].name, NameCheck::domain);
  EXPECT_EQ(leg_verdict(r, Leg::imap), Verdict::enforced);
}

TEST(ClientAudit, UntrustedOrMismatchedCertificateIsOpportunistic) {
  const auto r = report_with(
      {}, {server(Leg::imap, "imap.example.test", true, {tls_probe({"imap.example.test"}, false)}),
           server(Leg::submission, "smtp.example.test", true, {tls_probe({"other.test"})})});
  EXPECT_EQ(leg_verdict(r, Leg::imap), Verdict::opportunistic);
  EXPECT_EQ(leg_verdict(r, Leg::submission), Verdict::opportunistic);
  EXPECT_TRUE(has(r, FindingId::client_cert_name));
}

TEST(ClientAudit, PlaintextPartialBrokenAndUntested) {
  ClientProbe no_tls;
  no_tls.report.result.outcome = ProbeOutcome::no_starttls;
  ClientProbe refused;
  refused.report.result.outcome = ProbeOutcome::connect_refused;
  ClientProbe handshake;
  handshake.report.result.outcome = ProbeOutcome::tls_handshake_failed;
  const auto r = report_with(
      {}, {server(Leg::imap, "imap.example.test", true, {no_tls}),
           server(Leg::imap, "imap2.example.test", true, {tls_probe({"imap2.example.test"})}),
           server(Leg::pop3, "pop.example.test", true, {refused}),
           server(Leg::submission, "smtp.example.test", true, {handshake})});
  EXPECT_EQ(leg_verdict(r, Leg::imap), Verdict::partial);
  EXPECT_EQ(leg_verdict(r, Leg::pop3), Verdict::untested);  // refused: could not find out
  EXPECT_EQ(leg_verdict(r, Leg::submission), Verdict::broken);
}

TEST(ClientAudit, DotTargetIsNotOfferedAndAFailedLookupIsUntested) {
  const auto r = report_with({srv_answer(4, dns::Security::secure, "."), srv_none(5),
                              srv_none(2, dns::Status::servfail), srv_none(3)},
                             {});
  EXPECT_EQ(leg_verdict(r, Leg::pop3), Verdict::no_mail);
  EXPECT_EQ(leg_verdict(r, Leg::imap), Verdict::untested);
  EXPECT_TRUE(has(r, FindingId::client_srv_lookup_failed));
  EXPECT_EQ(leg_verdict(r, Leg::submission), Verdict::untested);  // nothing published
}

TEST(ClientAudit, BogusSrvIsBroken) {
  auto bogus = srv_answer(0, dns::Security::bogus, "smtp.example.test");
  bogus.records.clear();
  const auto r = report_with({bogus}, {});
  EXPECT_EQ(leg_verdict(r, Leg::submission), Verdict::broken);
}

TEST(ClientAudit, AutoconfigInClearAndSocketPlain) {
  ClientReport r;
  r.domain = "example.test";
  AutoconfigLookup plain;
  plain.source = AutoconfigSource::plain_http;
  plain.fetch.status = FetchStatus::ok;
  plain.fetch.url = "http://autoconfig.example.test/mail/config-v1.1.xml";
  r.discovery.autoconfig.push_back(plain);
  ServerAudit sa;
  sa.server.leg = Leg::submission;
  sa.server.host = "smtp.example.test";
  sa.server.port = 587;
  sa.server.plaintext = true;
  sa.server.origins.push_back({Source::autoconfig_https, "https://autoconfig.example.test/", true});
  r.servers.push_back(sa);
  assess_client(r);
  EXPECT_TRUE(has(r, FindingId::client_autoconfig_http));
  EXPECT_TRUE(has(r, FindingId::client_socket_plain));
  EXPECT_EQ(leg_verdict(r, Leg::submission), Verdict::plaintext);
}

}  // namespace
}  // namespace intransit::check
