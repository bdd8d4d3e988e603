// probe_dialogue_test.cpp — the probe's SMTP client dialogue (RFC 5321 §4.1, RFC 3207) through
// its transport seam, against the in-memory scripted peer and a manual clock: no sockets, no
// wall time. Banner refusals, EHLO refused, STARTTLS refused, replies spread over reads, response
// injection, deadlines (virtual time), handshake failures, and every operation failing in turn.
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
using namespace intransit::test;
using namespace std::chrono_literals;

ProbeOptions options() {
  ProbeOptions o;
  o.endpoint = asio::ip::tcp::endpoint(asio::ip::make_address("192.0.2.25"), 25);
  o.server_name = "mx.example.test";
  return o;
}

ProbeResult run(ScriptedPeer& peer, ManualClock& clock, ProbeOptions o = options()) {
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

// Findings by their catalogue text, so the test also pins the words scripts see.
bool has(const std::vector<FindingId>& v, std::string_view s) {
  return std::any_of(v.begin(), v.end(), [&](FindingId id) { return to_string(id) == s; });
}

// A whole STARTTLS session, as a well-behaved server runs it.
std::vector<PeerStep> good_session() {
  return {send("220 mx.example.test ESMTP\r\n"),
          expect("EHLO intransit.invalid"),
          send("250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"),
          expect("STARTTLS"),
          send("220 2.0.0 go ahead\r\n"),
          tls_ok(),
          expect("EHLO intransit.invalid"),
          send("250-mx.example.test\r\n250 PIPELINING\r\n"),
          expect("QUIT"),
          send("221 2.0.0 bye\r\n")};
}

TEST(ProbeDialogue, StarttlsSessionCompletes) {
  ManualClock clock;
  ScriptedPeer peer(good_session(), clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_EQ(r.phase, Phase::ehlo_tls);
  EXPECT_TRUE(r.starttls_offered);
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_TRUE(r.capabilities_tls->has("PIPELINING"));
  EXPECT_EQ(r.address, "192.0.2.25:25");
  EXPECT_EQ(r.elapsed, 0ms);  // no time passed on the manual clock
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
  EXPECT_TRUE(peer.script_done());
}

TEST(ProbeDialogue, Banner554IsARefusal) {
  ManualClock clock;
  ScriptedPeer peer({send("554 5.7.1 no service for you\r\n")}, clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::rejected);
  EXPECT_EQ(r.phase, Phase::banner);
  EXPECT_EQ(r.last_code, 554);
  EXPECT_TRUE(peer.client_lines().empty());  // no QUIT after a refused greeting
}

TEST(ProbeDialogue, Banner421IsRateLimiting) {
  ManualClock clock;
  ScriptedPeer peer({send("421 4.7.0 try later\r\n")}, clock);
  EXPECT_EQ(run(peer, clock).outcome, ProbeOutcome::rate_limited);
}

// EHLO refused: the probe does not fall back to HELO, which could not offer STARTTLS
// (RFC 3207 §4 extends EHLO only); the server is reported as one without STARTTLS.
TEST(ProbeDialogue, EhloRefusedMeansNoStarttls) {
  ManualClock clock;
  ScriptedPeer peer({send("220 old.example.test SMTP\r\n"), expect("EHLO intransit.invalid"),
                     send("502 5.5.2 command not recognized\r\n")},
                    clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::no_starttls);
  EXPECT_EQ(r.phase, Phase::ehlo);
  EXPECT_TRUE(has(r.findings, "starttls.missing"));
  EXPECT_TRUE(peer.mismatches().empty());
}

TEST(ProbeDialogue, Starttls454IsRefusedAndQuits) {
  ManualClock clock;
  ScriptedPeer peer({send("220 mx ESMTP\r\n"), expect("EHLO intransit.invalid"),
                     send("250-mx\r\n250 STARTTLS\r\n"), expect("STARTTLS"),
                     send("454 4.7.0 TLS not available\r\n"), expect("QUIT"), send("221 bye\r\n")},
                    clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::starttls_refused);
  EXPECT_EQ(r.phase, Phase::starttls);
  EXPECT_TRUE(has(r.findings, "starttls.refused"));
  EXPECT_TRUE(peer.mismatches().empty());
  EXPECT_TRUE(peer.script_done());
}

TEST(ProbeDialogue, ReplyLinesSpreadOverReads) {
  ManualClock clock;
  ScriptedPeer peer({send("2"), send("20 mx ESM"), send("TP\r"), send("\n"),
                     expect("EHLO intransit.invalid"), send("250-mx\r"), send("\n250-PIPE"),
                     send("LINING\r\n250 8BITMIME\r\n"), expect("QUIT"), send("221 bye\r\n")},
                    clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::no_starttls);
  EXPECT_EQ(r.banner, "mx ESMTP");
  ASSERT_TRUE(r.capabilities);
  EXPECT_TRUE(r.capabilities->has("PIPELINING"));
  EXPECT_TRUE(r.capabilities->has("8BITMIME"));
  EXPECT_TRUE(peer.mismatches().empty());
}

TEST(ProbeDialogue, PlaintextAfterThe220ToStarttlsIsDiscarded) {  // CVE-2011-0411
  ManualClock clock;
  auto script = good_session();
  script[4] = send("220 2.0.0 go ahead\r\n250-FAKE injected\r\n250 AUTH PLAIN\r\n");
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::ok);
  EXPECT_TRUE(has(r.findings, "smtp.plaintext-after-starttls"));
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_FALSE(r.capabilities_tls->has("AUTH"));  // the forged lines count for nothing
}

// NO STARTTLS (Poddebniak et al., USENIX Security 2021): the injected lines in a TCP segment of
// their own, after the go-ahead and before the ClientHello. Seen because they have arrived.
TEST(ProbeDialogue, PlaintextSplitFromThe220IntoItsOwnSegmentIsDiscarded) {
  ManualClock clock;
  auto script = good_session();
  script.insert(script.begin() + 5, send("250-FAKE injected\r\n250 AUTH PLAIN\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.plaintext-after-starttls"));
  ASSERT_TRUE(r.capabilities_tls);
  EXPECT_FALSE(r.capabilities_tls->has("AUTH"));
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
  EXPECT_TRUE(peer.script_done());
}

// A go-ahead already there before STARTTLS is sent: a client reading it as the answer would
// start TLS on the attacker's word. It is dropped; the server's own 220 is the one used.
TEST(ProbeDialogue, AResponseInjectedAheadOfStarttlsIsDroppedAndReported) {
  ManualClock clock;
  auto script = good_session();
  script.insert(script.begin() + 3, send("220 2.0.0 injected go ahead\r\n"));
  ScriptedPeer peer(script, clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(has(r.findings, "smtp.unsolicited-data"));
  EXPECT_FALSE(has(r.findings, "smtp.plaintext-after-starttls"));
  EXPECT_TRUE(peer.mismatches().empty()) << peer.mismatches().front();
  EXPECT_TRUE(peer.script_done());
  const auto said = std::any_of(r.transcript.begin(), r.transcript.end(), [](const auto& line) {
    return line.text.find("before STARTTLS was sent") != std::string::npos;
  });
  EXPECT_TRUE(said);
}

// An honest server: neither check fires (no false alarm from the new reads).
TEST(ProbeDialogue, AnHonestStarttlsSessionRaisesNoInjectionFinding) {
  ManualClock clock;
  ScriptedPeer peer(good_session(), clock);
  const auto r = run(peer, clock);
  EXPECT_FALSE(has(r.findings, "smtp.unsolicited-data"));
  EXPECT_FALSE(has(r.findings, "smtp.plaintext-after-starttls"));
}

TEST(ProbeDialogue, SilentBannerTimesOutInVirtualTime) {
  ManualClock clock;
  ScriptedPeer peer({stall()}, clock);
  auto o = options();
  o.deadlines.banner = 45s;
  const auto r = run(peer, clock, o);
  EXPECT_EQ(r.outcome, ProbeOutcome::banner_timeout);
  EXPECT_EQ(r.phase, Phase::banner);
  EXPECT_EQ(r.elapsed, 45s);
}

TEST(ProbeDialogue, TheWholeProbeDeadlineCutsAPhaseShort) {
  ManualClock clock;
  ScriptedPeer peer({stall()}, clock);
  auto o = options();
  o.deadlines.banner = 60s;
  o.deadlines.total = 7s;
  const auto r = run(peer, clock, o);
  EXPECT_EQ(r.outcome, ProbeOutcome::banner_timeout);
  EXPECT_EQ(r.elapsed, 7s);
}

TEST(ProbeDialogue, ADripThatNeverEndsItsReply) {  // RELIABILITY.md item 5
  ManualClock clock;
  ScriptedPeer peer({send("220 slow"), send(" and slower"), stall()}, clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::reply_deadline);
  EXPECT_EQ(r.phase, Phase::banner);
}

TEST(ProbeDialogue, HandshakeFailureAndStall) {
  for (const bool stalls : {false, true}) {
    ManualClock clock;
    auto script = good_session();
    script.resize(5);
    script.push_back(stalls ? stall() : tls_fail());
    ScriptedPeer peer(script, clock);
    const auto r = run(peer, clock);
    EXPECT_EQ(r.outcome, stalls ? ProbeOutcome::tls_timeout : ProbeOutcome::tls_handshake_failed);
    EXPECT_EQ(r.phase, Phase::tls_handshake);
  }
}

TEST(ProbeDialogue, EofMidReplyIsALostConnection) {  // RELIABILITY.md item 20
  ManualClock clock;
  ScriptedPeer peer({send("220 mx ESMTP\r\n"), expect("EHLO intransit.invalid"),
                     send("250-mx\r\n250-PIPEL"), eof()},
                    clock);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::connection_lost);
  EXPECT_EQ(r.phase, Phase::ehlo);
}

// Operations of good_session(): 1 connect, 2 read banner, 3 write EHLO, 4 read, 5 write
// STARTTLS, 6 read, 7 handshake, 8 write EHLO, 9 read, 10 write QUIT, 11 read. Whichever fails,
// the probe ends in one outcome; it is ok only once the post-TLS EHLO reply is in.
TEST(ProbeDialogue, EveryOperationFailingInTurn) {
  const Phase where[] = {Phase::connect,       Phase::banner,   Phase::ehlo,
                         Phase::ehlo,          Phase::starttls, Phase::starttls,
                         Phase::tls_handshake, Phase::ehlo_tls, Phase::ehlo_tls};
  for (int n = 1; n <= 12; ++n) {
    ManualClock clock;
    ScriptedPeer peer(good_session(), clock);
    peer.fail_operation(n);
    const auto r = run(peer, clock);
    if (n <= 9) {
      EXPECT_NE(r.outcome, ProbeOutcome::ok) << "operation " << n;
      EXPECT_EQ(r.phase, where[n - 1]) << "operation " << n;
    } else {
      EXPECT_EQ(r.outcome, ProbeOutcome::ok) << "operation " << n << ": " << r.detail;
    }
  }
}

TEST(ProbeDialogue, TheFourthOperationFailingLosesTheEhloReply) {
  ManualClock clock;
  ScriptedPeer peer(good_session(), clock);
  peer.fail_operation(4);
  const auto r = run(peer, clock);
  EXPECT_EQ(r.outcome, ProbeOutcome::connection_lost);
  EXPECT_EQ(r.phase, Phase::ehlo);
  EXPECT_NE(r.detail.find("while waiting for the reply to EHLO"), std::string::npos) << r.detail;
}

TEST(ProbeDialogue, ImplicitTlsShakesHandsFirst) {  // RFC 8314 §3
  ManualClock clock;
  ScriptedPeer peer({tls_ok(), send("220 mx ESMTP\r\n"), expect("EHLO intransit.invalid"),
                     send("250 mx\r\n"), expect("QUIT"), send("221 bye\r\n")},
                    clock);
  auto o = options();
  o.mode = intransit::smtp::TlsMode::implicit;
  const auto r = run(peer, clock, o);
  EXPECT_EQ(r.outcome, ProbeOutcome::ok) << r.detail;
  EXPECT_TRUE(peer.mismatches().empty());
  EXPECT_TRUE(peer.script_done());
}

}  // namespace
