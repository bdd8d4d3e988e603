// mail_access_dialogue_test.cpp — the probe's IMAP (RFC 9051/3501: CAPABILITY, STARTTLS,
// PREAUTH, LOGINDISABLED), POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS) and submission
// (RFC 4954 AUTH before STARTTLS, RFC 8314 §3.3) dialogues over the scripted peer and a manual
// clock: outcomes and the client.* findings.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>

#include "core/finding_id.hpp"
#include "smtp/probe.hpp"
#include "support/scripted_peer.hpp"

namespace {
namespace asio = boost::asio;
using intransit::FindingId;
using intransit::ProbeOutcome;
using intransit::smtp::Phase;
using intransit::smtp::ProbeOptions;
using intransit::smtp::ProbeResult;
using intransit::smtp::Protocol;
using intransit::smtp::TlsMode;
using namespace intransit::test;
using namespace std::chrono_literals;

ProbeOptions options(Protocol protocol, TlsMode mode = TlsMode::starttls) {
  ProbeOptions o;
  o.endpoint = asio::ip::tcp::endpoint(asio::ip::make_address("192.0.2.143"), 143);
  o.server_name = "imap.example.test";
  o.protocol = protocol;
  o.mode = mode;
  return o;
}

ProbeResult run(ScriptedPeer& peer, ManualClock& clock, ProbeOptions o) {
  asio::io_context io;
  ProbeResult result;
  bool done = false;
  asio::co_spawn(io, intransit::smtp::probe(std::move(o), peer, clock),
                 [&](const std::exception_ptr& error, ProbeResult r) {
                   if (error) std::rethrow_exception(error);
                   result = std::move(r);
                   done = true;
                 });
  io.run();
  EXPECT_TRUE(done);
  return result;
}

bool has(const std::vector<FindingId>& v, std::string_view s) {
  return std::any_of(v.begin(), v.end(), [&](FindingId id) { return to_string(id) == s; });
}

std::vector<PeerStep> imap_session(std::string caps) {
  return {send("* OK [CAPABILITY IMAP4rev1] ready\r\n"),
          expect("a1 CAPABILITY"),
          send("* CAPABILITY " + caps + "\r\na1 OK done\r\n"),
          expect("a2 STARTTLS"),
          send("a2 OK Begin TLS negotiation now\r\n"),
          tls_ok(),
          expect("a3 CAPABILITY"),
          send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na3 OK done\r\n"),
          expect("a4 LOGOUT"),
          send("* BYE logging out\r\na4 OK bye\r\n")};
}

TEST(MailAccessDialogue, ImapStarttlsWithLogindisabled) {
  ManualClock clock;
  ScriptedPeer peer(imap_session("IMAP4rev1 STARTTLS LOGINDISABLED"), clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_EQ(r.phase, Phase::ehlo_tls);
  EXPECT_TRUE(r.starttls_offered);
  EXPECT_EQ(r.banner, "* OK [CAPABILITY IMAP4rev1] ready");
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_TRUE(r.capabilities_tls->has("AUTH=PLAIN"));
  EXPECT_FALSE(has(r.findings, "client.cleartext-auth"));
  EXPECT_TRUE(has(r.findings, "client.capabilities-changed"));
  EXPECT_TRUE(has(r.findings, "client.implicit-tls-preferred"));
  EXPECT_EQ(intransit::smtp::protocol_name(r.protocol, r.mode), "imap");
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
  EXPECT_TRUE(peer.script_done());
}

TEST(MailAccessDialogue, ImapWithoutLogindisabledIsCleartextAuth) {
  ManualClock clock;
  ScriptedPeer peer(imap_session("IMAP4rev1 STARTTLS"), clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "client.cleartext-auth"));
}

TEST(MailAccessDialogue, ImapAuthPlainBeforeTlsIsCleartextAuth) {
  ManualClock clock;
  ScriptedPeer peer(imap_session("IMAP4rev1 STARTTLS LOGINDISABLED AUTH=PLAIN"), clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_TRUE(has(r.findings, "client.cleartext-auth"));
}

TEST(MailAccessDialogue, ImapPreauthMeansNoStarttls) {
  ManualClock clock;
  ScriptedPeer peer({send("* PREAUTH welcome, you are logged in\r\n"), expect("a1 LOGOUT"),
                     send("* BYE\r\na1 OK bye\r\n")},
                    clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::no_starttls);
  EXPECT_EQ(r.phase, Phase::banner);
  EXPECT_TRUE(has(r.findings, "client.preauth"));
  EXPECT_TRUE(has(r.findings, "starttls.missing"));
  EXPECT_TRUE(peer.mismatches().empty());
}

TEST(MailAccessDialogue, ImapWithoutStarttlsCapability) {
  ManualClock clock;
  ScriptedPeer peer({send("* OK ready\r\n"), expect("a1 CAPABILITY"),
                     send("* CAPABILITY IMAP4rev1 LOGINDISABLED\r\na1 OK done\r\n"),
                     expect("a2 LOGOUT"), send("a2 OK bye\r\n")},
                    clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::no_starttls);
  EXPECT_FALSE(r.starttls_offered);
  EXPECT_TRUE(has(r.findings, "starttls.missing"));
  EXPECT_TRUE(peer.script_done());
}

TEST(MailAccessDialogue, ImapStarttlsNoIsRefused) {
  ManualClock clock;
  auto script = imap_session("IMAP4rev1 STARTTLS LOGINDISABLED");
  script.resize(4);
  script.push_back(send("a2 NO TLS unavailable\r\n"));
  script.push_back(expect("a3 LOGOUT"));
  script.push_back(send("a3 OK bye\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::starttls_refused);
  EXPECT_EQ(r.phase, Phase::starttls);
  EXPECT_TRUE(has(r.findings, "starttls.refused"));
  EXPECT_TRUE(peer.mismatches().empty());
}

TEST(MailAccessDialogue, ImapInjectionAfterBeginTlsIsDiscarded) {  // CVE-2011-0411 class
  ManualClock clock;
  auto script = imap_session("IMAP4rev1 STARTTLS LOGINDISABLED");
  script[4] = send("a2 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=LOGIN\r\n");
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.plaintext-after-starttls"));
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_FALSE(r.capabilities_tls->has("AUTH=LOGIN"));
}

// NO STARTTLS (USENIX Security 2021): the tagged go-ahead, then the injected response in a
// segment of its own before the ClientHello.
TEST(MailAccessDialogue, ImapInjectionSplitFromTheTaggedOkIsDiscarded) {
  ManualClock clock;
  auto script = imap_session("IMAP4rev1 STARTTLS LOGINDISABLED");
  script.insert(script.begin() + 5, send("* CAPABILITY IMAP4rev1 AUTH=LOGIN\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.plaintext-after-starttls"));
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_FALSE(r.capabilities_tls->has("AUTH=LOGIN"));
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
}

// A tagged OK for the STARTTLS not yet sent (the tag is predictable): dropped before the
// command, and the server's own tagged answer is the one the probe acts on.
TEST(MailAccessDialogue, ImapTaggedOkInjectedAheadOfStarttlsIsDropped) {
  ManualClock clock;
  auto script = imap_session("IMAP4rev1 STARTTLS LOGINDISABLED");
  script.insert(script.begin() + 3, send("a2 OK Begin TLS negotiation now\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.unsolicited-data"));
  EXPECT_FALSE(has(r.findings, "smtp.plaintext-after-starttls"));
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
  EXPECT_TRUE(peer.script_done());
}

TEST(MailAccessDialogue, ImapGreetingWithoutLineEndHitsTheDeadline) {
  ManualClock clock;
  ScriptedPeer peer({send("* OK never ending"), stall()}, clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::reply_deadline);
  EXPECT_EQ(r.phase, Phase::banner);
}

TEST(MailAccessDialogue, ImapEndlessLineIsBounded) {
  ManualClock clock;
  ScriptedPeer peer({send("* OK " + std::string(100000, 'x'))}, clock);
  const auto r = run(peer, clock, options(Protocol::imap));
  EXPECT_EQ(r.outcome, ProbeOutcome::line_too_long);
}

TEST(MailAccessDialogue, ImapsIsImplicitTlsWithoutStarttlsFindings) {
  ManualClock clock;
  ScriptedPeer peer({tls_ok(), send("* OK ready\r\n"), expect("a1 CAPABILITY"),
                     send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK done\r\n"),
                     expect("a2 LOGOUT"), send("a2 OK bye\r\n")},
                    clock);
  const auto r = run(peer, clock, options(Protocol::imap, TlsMode::implicit));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_EQ(intransit::smtp::protocol_name(r.protocol, r.mode), "imaps");
  EXPECT_FALSE(has(r.findings, "client.cleartext-auth"));
  EXPECT_FALSE(has(r.findings, "client.implicit-tls-preferred"));
  EXPECT_TRUE(peer.script_done());
}

std::vector<PeerStep> pop3_session(std::string caps) {
  return {send("+OK POP3 ready\r\n"),
          expect("CAPA"),
          send("+OK capabilities\r\n" + caps + ".\r\n"),
          expect("STLS"),
          send("+OK Begin TLS\r\n"),
          tls_ok(),
          expect("CAPA"),
          send("+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n"),
          expect("QUIT"),
          send("+OK bye\r\n")};
}

TEST(MailAccessDialogue, Pop3StlsHappyPath) {
  ManualClock clock;
  ScriptedPeer peer(pop3_session("STLS\r\nPIPELINING\r\n"), clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(r.starttls_offered);
  EXPECT_FALSE(has(r.findings, "client.cleartext-auth"));
  EXPECT_TRUE(has(r.findings, "client.capabilities-changed"));
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_TRUE(r.capabilities_tls->has("SASL"));
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
  EXPECT_TRUE(peer.script_done());
}

TEST(MailAccessDialogue, Pop3UserOrSaslPlainBeforeStlsIsCleartextAuth) {
  for (const std::string extra : {"USER\r\n", "SASL LOGIN CRAM-MD5\r\n"}) {
    ManualClock clock;
    ScriptedPeer peer(pop3_session("STLS\r\n" + extra), clock);
    const auto r = run(peer, clock, options(Protocol::pop3));
    EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
    EXPECT_TRUE(has(r.findings, "client.cleartext-auth")) << extra;
  }
}

TEST(MailAccessDialogue, Pop3WithoutStls) {
  ManualClock clock;
  ScriptedPeer peer({send("+OK ready\r\n"), expect("CAPA"), send("+OK\r\nUSER\r\n.\r\n"),
                     expect("QUIT"), send("+OK bye\r\n")},
                    clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::no_starttls);
  EXPECT_TRUE(has(r.findings, "starttls.missing"));
  EXPECT_TRUE(has(r.findings, "client.cleartext-auth"));
  EXPECT_TRUE(peer.script_done());
}

TEST(MailAccessDialogue, Pop3StlsErrIsRefused) {
  ManualClock clock;
  auto script = pop3_session("STLS\r\n");
  script.resize(4);
  script.push_back(send("-ERR not now\r\n"));
  script.push_back(expect("QUIT"));
  script.push_back(send("+OK bye\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::starttls_refused);
  EXPECT_TRUE(has(r.findings, "starttls.refused"));
  EXPECT_TRUE(peer.mismatches().empty());
}

TEST(MailAccessDialogue, Pop3InjectionAfterStlsOkIsDiscarded) {
  ManualClock clock;
  auto script = pop3_session("STLS\r\n");
  script[4] = send("+OK Begin TLS\r\n+OK\r\nUSER\r\n.\r\n");
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.plaintext-after-starttls"));
}

TEST(MailAccessDialogue, Pop3InjectionSplitFromTheStlsOkIsDiscarded) {
  ManualClock clock;
  auto script = pop3_session("STLS\r\n");
  script.insert(script.begin() + 5, send("+OK\r\nUSER\r\n.\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.plaintext-after-starttls"));
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
}

TEST(MailAccessDialogue, Pop3CapaWithoutEndIsBounded) {
  ManualClock clock;
  std::string endless = "+OK\r\n";
  for (int i = 0; i < 2000; ++i) endless += "X-LINE " + std::to_string(i) + "\r\n";
  ScriptedPeer peer({send("+OK ready\r\n"), expect("CAPA"), send(endless)}, clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::reply_too_large) << r.detail;
  EXPECT_EQ(r.phase, Phase::ehlo);
}

TEST(MailAccessDialogue, Pop3CapaThatStopsWithoutDotHitsTheDeadline) {
  ManualClock clock;
  ScriptedPeer peer({send("+OK ready\r\n"), expect("CAPA"), send("+OK\r\nSTLS\r\n"), stall()},
                    clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::reply_deadline);
  EXPECT_EQ(r.phase, Phase::ehlo);
}

TEST(MailAccessDialogue, Pop3ErrGreetingIsARefusal) {
  ManualClock clock;
  ScriptedPeer peer({send("-ERR go away\r\n")}, clock);
  const auto r = run(peer, clock, options(Protocol::pop3));
  EXPECT_EQ(r.outcome, ProbeOutcome::rejected);
}

TEST(MailAccessDialogue, SubmissionAuthPlainBeforeStarttlsIsCleartextAuth) {
  ManualClock clock;
  ScriptedPeer peer(
      {send("220 mail ESMTP\r\n"), expect("EHLO intransit.invalid"),
       send("250-mail\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"), expect("STARTTLS"),
       send("220 go ahead\r\n"), tls_ok(), expect("EHLO intransit.invalid"),
       send("250-mail\r\n250 AUTH PLAIN\r\n"), expect("QUIT"), send("221 bye\r\n")},
      clock);
  const auto r = run(peer, clock, options(Protocol::submission));
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "client.cleartext-auth"));
  EXPECT_TRUE(has(r.findings, "client.implicit-tls-preferred"));
  EXPECT_EQ(intransit::smtp::protocol_name(r.protocol, r.mode), "submission");
  EXPECT_TRUE(peer.script_done());
}

TEST(MailAccessDialogue, SmtpRaisesNoClientFindings) {
  ManualClock clock;
  ScriptedPeer peer({send("220 mail ESMTP\r\n"), expect("EHLO intransit.invalid"),
                     send("250-mail\r\n250 AUTH PLAIN\r\n"), expect("QUIT"), send("221 bye\r\n")},
                    clock);
  const auto r = run(peer, clock, options(Protocol::smtp));
  EXPECT_EQ(r.outcome, ProbeOutcome::no_starttls);
  EXPECT_FALSE(has(r.findings, "client.cleartext-auth"));
  EXPECT_FALSE(has(r.findings, "client.implicit-tls-preferred"));
}

TEST(MailAccessDialogue, ProtocolNamesAndPorts) {
  using intransit::smtp::protocol_for_port;
  using intransit::smtp::protocol_from_name;
  EXPECT_EQ(protocol_for_port(993).protocol, Protocol::imap);
  EXPECT_EQ(protocol_for_port(993).mode, TlsMode::implicit);
  EXPECT_EQ(protocol_for_port(110).protocol, Protocol::pop3);
  EXPECT_EQ(protocol_for_port(2525).protocol, Protocol::smtp);
  ASSERT_TRUE(protocol_from_name("pop3s"));
  EXPECT_EQ(protocol_from_name("pop3s")->mode, TlsMode::implicit);
  EXPECT_FALSE(protocol_from_name("nntp"));
}

}  // namespace
