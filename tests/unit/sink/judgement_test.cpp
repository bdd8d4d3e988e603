// judgement_test.cpp — `sink report`'s reasoning (sink/judgement.hpp) on hand-made records: the
// verdict per sender, the plaintext-retry correlation, "not tested" kept apart from "passed",
// and deliveries whose session row was lost to a crash.
#include <gtest/gtest.h>

#include <algorithm>

#include "sink/judgement.hpp"

namespace intransit::sink {
namespace {

struct Builder {
  StoreContents c;
  std::int64_t next = 1;
  // One session; `delivered` accepted messages in it.
  Builder& session(const std::string& client, const std::string& scenario, TlsOutcome tls,
                   int delivered, bool requiretls = false) {
    SessionRecord s;
    s.id = next++;
    s.started = "2026-11-28T10:00:0" + std::to_string(s.id % 10) + ".000Z";
    s.client_ip = client;
    s.scenario = scenario;
    s.tls = tls;
    s.ehlo = "mx." + client;
    if (tls == TlsOutcome::ok) s.tls_version = "TLSv1.3";
    s.messages_accepted = delivered;
    c.sessions.push_back(s);
    for (int i = 0; i < delivered; ++i) {
      DeliveryRecord d;
      d.session_id = s.id;
      d.client_ip = client;
      d.scenario = scenario;
      d.tls = tls == TlsOutcome::ok;
      d.accepted = true;
      d.requiretls = requiretls;
      c.deliveries.push_back(d);
    }
    return *this;
  }
};

bool has(const SenderJudgement& j, BehaviourId id) {
  return std::any_of(j.behaviours.begin(), j.behaviours.end(),
                     [&](const Behaviour& b) { return b.id == id; });
}

TEST(SinkJudgement, OpportunisticSenderFallsBackAndAcceptsAnything) {
  Builder b;
  b.session("192.0.2.1", "valid", TlsOutcome::ok, 1)
      .session("192.0.2.1", "no-starttls", TlsOutcome::none, 1)
      .session("192.0.2.1", "self-signed", TlsOutcome::ok, 1)
      .session("192.0.2.1", "handshake-fails", TlsOutcome::failed, 0)
      .session("192.0.2.1", "handshake-fails", TlsOutcome::none, 1);
  const auto senders = judge_senders(b.c);
  ASSERT_EQ(senders.size(), 1U);
  const auto& j = senders[0];
  EXPECT_EQ(j.verdict, SenderVerdict::plaintext_fallback);
  EXPECT_TRUE(has(j, BehaviourId::plaintext_fallback));
  EXPECT_TRUE(has(j, BehaviourId::accepts_any_certificate));
  EXPECT_TRUE(has(j, BehaviourId::uses_starttls));
  EXPECT_EQ(j.behaviours.front().severity, Severity::high);
  const auto hf =
      std::find_if(j.scenarios.begin(), j.scenarios.end(),
                   [](const ScenarioOutcome& s) { return s.scenario == "handshake-fails"; });
  ASSERT_NE(hf, j.scenarios.end());
  ASSERT_EQ(hf->attempts.size(), 2U);
  EXPECT_FALSE(hf->attempts[0].plaintext_retry);
  EXPECT_TRUE(hf->attempts[1].plaintext_retry);  // the retry without TLS after the broken handshake
  EXPECT_EQ(j.scenarios.front().scenario, "valid");  // catalogue order, not alphabetical
}

TEST(SinkJudgement, EncryptOnlySenderAcceptsAnyCertificate) {
  Builder b;
  b.session("192.0.2.2", "no-starttls", TlsOutcome::none, 0)
      .session("192.0.2.2", "self-signed", TlsOutcome::ok, 1);
  const auto j = judge_senders(b.c).at(0);
  EXPECT_EQ(j.verdict, SenderVerdict::accepts_any_certificate);
  EXPECT_TRUE(has(j, BehaviourId::refuses_plaintext));
}

TEST(SinkJudgement, VerifyingSenderAndItsPolicies) {
  Builder b;
  b.session("192.0.2.3", "no-starttls", TlsOutcome::none, 0)
      .session("192.0.2.3", "wrong-name", TlsOutcome::ok, 0)
      .session("192.0.2.3", "dane-mismatch", TlsOutcome::ok, 0)
      .session("192.0.2.3", "requiretls", TlsOutcome::ok, 1, true)
      .session("192.0.2.3", "tls10-only", TlsOutcome::failed, 0);
  const auto j = judge_senders(b.c).at(0);
  EXPECT_EQ(j.verdict, SenderVerdict::verifies);
  EXPECT_TRUE(has(j, BehaviourId::checks_certificates));
  EXPECT_TRUE(has(j, BehaviourId::honours_dane));
  EXPECT_TRUE(has(j, BehaviourId::uses_requiretls));
  EXPECT_TRUE(has(j, BehaviourId::refuses_tls10));
  EXPECT_FALSE(has(j, BehaviourId::honours_mta_sts));  // never reached: not tested, not "honoured"
}

TEST(SinkJudgement, TooLittleEvidenceIsUntested) {
  Builder b;
  b.session("192.0.2.4", "valid", TlsOutcome::ok, 1);
  EXPECT_EQ(judge_senders(b.c).at(0).verdict, SenderVerdict::untested);
  EXPECT_TRUE(judge_senders(StoreContents{}).empty());
}

TEST(SinkJudgement, DeliveriesWithoutTheirSessionRowStillCount) {
  Builder b;
  b.session("192.0.2.5", "no-starttls", TlsOutcome::none, 2);
  b.c.sessions.clear();  // the sink was killed before it wrote the session row
  const auto j = judge_senders(b.c).at(0);
  EXPECT_EQ(j.verdict, SenderVerdict::plaintext_fallback);
  EXPECT_EQ(j.scenarios.at(0).delivered_plaintext, 2);
}

TEST(SinkJudgement, SendersAreJudgedApart) {
  Builder b;
  b.session("192.0.2.6", "no-starttls", TlsOutcome::none, 1)
      .session("192.0.2.7", "no-starttls", TlsOutcome::none, 0);
  const auto senders = judge_senders(b.c);
  ASSERT_EQ(senders.size(), 2U);
  EXPECT_EQ(senders[0].verdict, SenderVerdict::plaintext_fallback);
  EXPECT_EQ(senders[1].verdict, SenderVerdict::untested);
  EXPECT_TRUE(has(senders[1], BehaviourId::refuses_plaintext));
}

}  // namespace
}  // namespace intransit::sink

// Issue 14 (sink helper), RELIABILITY item 39: a session that talked before the greeting is a
// finding on that sender, and only on that sender; it does not change the TLS verdict.
namespace intransit::sink {
namespace {

TEST(SinkJudgement, EarlyTalkerIsAFindingOnThatSender) {
  Builder b;
  b.session("192.0.2.1", "valid", TlsOutcome::ok, 1)
      .session("192.0.2.1", "no-starttls", TlsOutcome::none, 0);
  b.c.sessions.back().pregreet = true;
  b.c.sessions.back().end_reason = "pregreet";
  b.session("192.0.2.2", "valid", TlsOutcome::ok, 1);
  const auto senders = judge_senders(b.c);
  ASSERT_EQ(senders.size(), 2U);
  EXPECT_TRUE(has(senders[0], BehaviourId::talks_before_greeting));
  EXPECT_FALSE(has(senders[1], BehaviourId::talks_before_greeting));
  const auto it =
      std::find_if(senders[0].behaviours.begin(), senders[0].behaviours.end(),
                   [](const Behaviour& x) { return x.id == BehaviourId::talks_before_greeting; });
  ASSERT_NE(it, senders[0].behaviours.end());
  EXPECT_EQ(it->scenarios, std::vector<std::string>{"no-starttls"});
  EXPECT_EQ(senders[0].verdict, SenderVerdict::untested);
}

}  // namespace
}  // namespace intransit::sink
