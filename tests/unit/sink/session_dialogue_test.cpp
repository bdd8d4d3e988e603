// session_dialogue_test.cpp — the sink's server session (src/sink/session.hpp) through its
// transport seam, against an in-memory scripted client and a manual clock: no sockets, no wall
// time (issue 15 §4). The store is the real one (SQLite in a temporary directory), so a 250 to
// DATA is checked against what was committed (RFC 5321 §6.1; RELIABILITY items 39, 40, 46).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sink/session.hpp"
#include "support/scripted_client.hpp"

namespace intransit::sink {
namespace {

namespace asio = boost::asio;
using test::eof;
using test::expect;
using test::send;
using test::stall;
using test::tls_fail;
using test::tls_ok;

// The session owns its deadline source; the test keeps the clock.
class ClockRef final : public DeadlineSource {
 public:
  explicit ClockRef(test::ManualClock& clock) : clock_(clock) {}
  Clock::time_point now() const override { return clock_.now(); }
  void arm(Clock::time_point when, std::function<void()> expired) override {
    clock_.arm(when, std::move(expired));
  }
  void cancel() override { clock_.cancel(); }

 private:
  test::ManualClock& clock_;
};

class TestHost final : public SessionHost {
 public:
  TestHost(Store& store, SinkOptions options) : store_(store), options_(std::move(options)) {}
  Store& store() override { return store_; }
  const SinkOptions& options() const override { return options_; }
  asio::ssl::context& tls(SinkScenario /*scenario*/) override { return tls_; }
  std::chrono::seconds request_timeout() const override { return options_.request_timeout; }
  bool passed_greet_test(const asio::ip::address& /*client*/) const override { return false; }
  void note_greet_passed(const asio::ip::address& /*client*/) override { ++greet_passed; }
  bool enter(Session* /*session*/) override { return !draining; }
  void leave(Session* /*session*/) override { ++left; }

  bool draining = false;
  int greet_passed = 0;
  int left = 0;

 private:
  Store& store_;
  SinkOptions options_;
  asio::ssl::context tls_{asio::ssl::context::tls_server};
};

struct Outcome {
  std::vector<std::string> replies;
  std::vector<std::string> mismatches;
  StoreContents stored;
  int left = 0;
};

class SessionDialogue : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("intransit-session-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.hostname = "sink.test";
    options_.greet_wait = std::chrono::milliseconds(0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Outcome run(std::vector<test::PeerStep> script, SinkScenario scenario = SinkScenario::valid,
              std::optional<int> fail_operation = std::nullopt, bool draining = false) {
    const std::string path = (dir_ / ("sink-" + std::to_string(++runs_) + ".sqlite")).string();
    Outcome out;
    {
      asio::io_context io;  // outlives the store: its writer thread may drop the last reference
      Store store(path);    // to a session's commit wait (a timer of `io`)
      test::ManualClock clock;
      auto host = std::make_shared<TestHost>(store, options_);
      host->draining = draining;
      auto client = std::make_unique<test::ScriptedClient>(std::move(script), clock);
      test::ScriptedClient& view = *client;
      if (fail_operation) view.peer().fail_operation(*fail_operation);
      auto session = std::make_shared<Session>(host, scenario, std::move(client),
                                               std::make_unique<ClockRef>(clock));
      bool threw = false;
      asio::co_spawn(io, session->run(),
                     [&threw](const std::exception_ptr& error) { threw = error != nullptr; });
      io.run();
      EXPECT_FALSE(threw);
      out.replies = view.replies();
      out.mismatches = view.peer().mismatches();
      out.left = host->left;
    }  // the store writes everything queued before it closes
    out.stored = read_store(path);
    return out;
  }

  SinkOptions options_;

 private:
  std::filesystem::path dir_;
  int runs_ = 0;
};

std::vector<test::PeerStep> ehlo_with_starttls() {
  return {expect("250-sink.test"),
          expect("250-PIPELINING"),
          expect("250-SIZE " + std::to_string(limits::kSinkMessageBytes)),
          expect("250-ENHANCEDSTATUSCODES"),
          expect("250-8BITMIME"),
          expect("250-STARTTLS"),
          expect("250 SMTPUTF8")};
}

// The greeting and an EHLO answered with STARTTLS on offer.
std::vector<test::PeerStep> greeting_and_ehlo() {
  std::vector<test::PeerStep> steps = {expect("220 sink.test ESMTP intransit sink"),
                                       send("EHLO c.example\r\n")};
  for (auto& step : ehlo_with_starttls()) steps.push_back(std::move(step));
  return steps;
}

std::vector<test::PeerStep> operator+(std::vector<test::PeerStep> a,
                                      const std::vector<test::PeerStep>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(SessionDialogue, DeliveryOverStarttlsIsAnsweredOnlyOnceCommitted) {
  const auto script =
      std::vector<test::PeerStep>{expect("220 sink.test ESMTP intransit sink"),
                                  send("EHLO client.example\r\n")} +
      ehlo_with_starttls() +
      std::vector<test::PeerStep>{send("STARTTLS\r\n"),
                                  expect("220 2.0.0 Ready to start TLS"),
                                  tls_ok(),
                                  send("EHLO client.example\r\n"),
                                  expect("250-sink.test"),
                                  expect("250-PIPELINING"),
                                  expect("250-SIZE " + std::to_string(limits::kSinkMessageBytes)),
                                  expect("250-ENHANCEDSTATUSCODES"),
                                  expect("250-8BITMIME"),
                                  expect("250 SMTPUTF8"),
                                  send("MAIL FROM:<a@client.example>\r\n"),
                                  expect("250 2.1.0 Ok"),
                                  send("RCPT TO:<b@sink.test>\r\n"),
                                  expect("250 2.1.5 Ok"),
                                  send("DATA\r\n"),
                                  expect("354 End data with <CR><LF>.<CR><LF>"),
                                  send("Message-ID: <m1@client.example>\r\n\r\n..dot\r\n.\r\n"),
                                  expect("250 2.0.0 Ok: queued as S1M1"),
                                  send("QUIT\r\n"),
                                  expect("221 2.0.0 Bye")};
  const Outcome out = run(script);
  EXPECT_TRUE(out.mismatches.empty()) << out.mismatches.front();
  ASSERT_EQ(out.stored.sessions.size(), 1U);
  const SessionRecord& s = out.stored.sessions[0];
  EXPECT_EQ(s.end_reason, "quit");
  EXPECT_EQ(s.tls, TlsOutcome::ok);
  EXPECT_TRUE(s.starttls_offered);
  EXPECT_EQ(s.ehlo, "client.example");
  EXPECT_EQ(s.client_ip, "198.51.100.7");
  EXPECT_EQ(s.messages_accepted, 1);
  ASSERT_EQ(out.stored.deliveries.size(), 1U);
  EXPECT_TRUE(out.stored.deliveries[0].accepted);
  EXPECT_TRUE(out.stored.deliveries[0].tls);
  EXPECT_EQ(out.stored.deliveries[0].message_id, "<m1@client.example>");
  EXPECT_EQ(out.left, 1);
}

TEST_F(SessionDialogue, AQuietClientEndsAtTheDeadlineWithoutWallTime) {
  const Outcome out = run(greeting_and_ehlo() + std::vector<test::PeerStep>{stall()});
  EXPECT_TRUE(out.mismatches.empty());
  ASSERT_EQ(out.stored.sessions.size(), 1U);
  EXPECT_EQ(out.stored.sessions[0].end_reason, "timeout");
}

TEST_F(SessionDialogue, PlaintextPipelinedAfterStarttlsIsRecordedAndDiscarded) {
  const Outcome out =
      run(greeting_and_ehlo() +
          std::vector<test::PeerStep>{send("STARTTLS\r\nMAIL FROM:<evil@x.example>\r\n"),
                                      expect("220 2.0.0 Ready to start TLS"), tls_ok(),
                                      send("QUIT\r\n"), expect("221 2.0.0 Bye")});
  EXPECT_TRUE(out.mismatches.empty()) << out.mismatches.front();
  ASSERT_EQ(out.stored.sessions.size(), 1U);
  EXPECT_TRUE(out.stored.sessions[0].starttls_injection);
  EXPECT_EQ(out.stored.sessions[0].tls, TlsOutcome::ok);
}

TEST_F(SessionDialogue, AFailedHandshakeIsRecordedAsSuch) {
  const Outcome out =
      run(greeting_and_ehlo() + std::vector<test::PeerStep>{send("STARTTLS\r\n"),
                                                            expect("220 2.0.0 Ready to start TLS"),
                                                            tls_fail()});
  ASSERT_EQ(out.stored.sessions.size(), 1U);
  EXPECT_EQ(out.stored.sessions[0].tls, TlsOutcome::failed);
  EXPECT_EQ(out.stored.sessions[0].end_reason, "handshake-failed");
}

TEST_F(SessionDialogue, AnEarlyTalkerIsAnswered554AndItsNameKept) {
  options_.greet_wait = std::chrono::milliseconds(500);
  const Outcome out =
      run({expect("220-sink.test ESMTP intransit sink"), send("EHLO bot.example\r\n"),
           expect("554 5.5.0 Error: SMTP protocol synchronization (talked before "
                  "the greeting)")});
  EXPECT_TRUE(out.mismatches.empty()) << out.mismatches.front();
  ASSERT_EQ(out.stored.sessions.size(), 1U);
  EXPECT_TRUE(out.stored.sessions[0].pregreet);
  EXPECT_EQ(out.stored.sessions[0].ehlo, "bot.example");
  EXPECT_EQ(out.stored.sessions[0].end_reason, "pregreet");
}

TEST_F(SessionDialogue, AClientThatLeavesDuringDataLeavesAnUnacceptedRecord) {
  const Outcome out = run({expect("220 sink.test ESMTP intransit sink"), send("HELO c.example\r\n"),
                           expect("250 sink.test"),
                           send("MAIL FROM:<a@c.example>\r\nRCPT TO:<b@sink.test>\r\nDATA\r\n"),
                           expect("250 2.1.0 Ok"), expect("250 2.1.5 Ok"),
                           expect("354 End data with <CR><LF>.<CR><LF>"),
                           send("Subject: cut\r\n\r\nhalf a mess"), eof()});
  ASSERT_EQ(out.stored.deliveries.size(), 1U);
  EXPECT_FALSE(out.stored.deliveries[0].accepted);
  EXPECT_EQ(out.stored.sessions.at(0).end_reason, "eof-in-data");
}

TEST_F(SessionDialogue, AShutdownBeforeTheSessionStartsEndsItAtOnce) {
  const Outcome out = run({send("EHLO c.example\r\n")}, SinkScenario::valid, std::nullopt, true);
  EXPECT_TRUE(out.replies.empty());
  ASSERT_EQ(out.stored.sessions.size(), 1U);
  EXPECT_EQ(out.stored.sessions[0].end_reason, "shutdown");
}

// Every operation of a whole delivery made to fail in turn: the session never throws, always
// leaves its session row with a reason, and never reports a delivery accepted that it did not
// answer 250 to.
TEST_F(SessionDialogue, EachOperationFailingInTurnLeavesAnHonestRecord) {
  const std::vector<test::PeerStep> script = {expect("220 sink.test ESMTP intransit sink"),
                                              send("HELO c.example\r\n"),
                                              expect("250 sink.test"),
                                              send("MAIL FROM:<a@c.example>\r\n"),
                                              expect("250 2.1.0 Ok"),
                                              send("RCPT TO:<b@sink.test>\r\n"),
                                              expect("250 2.1.5 Ok"),
                                              send("DATA\r\n"),
                                              expect("354 End data with <CR><LF>.<CR><LF>"),
                                              send("Subject: x\r\n\r\nbody\r\n.\r\n"),
                                              expect("250 2.0.0 Ok: queued as S1M1"),
                                              send("QUIT\r\n"),
                                              expect("221 2.0.0 Bye")};
  for (int n = 1; n <= 12; ++n) {
    SCOPED_TRACE("operation " + std::to_string(n) + " fails");
    const Outcome out = run(script, SinkScenario::valid, n);
    ASSERT_EQ(out.stored.sessions.size(), 1U);
    EXPECT_FALSE(out.stored.sessions[0].end_reason.empty());
    EXPECT_NE(out.stored.sessions[0].end_reason, "quit");
    const bool answered_250 = std::find(out.replies.begin(), out.replies.end(),
                                        "250 2.0.0 Ok: queued as S1M1") != out.replies.end();
    for (const auto& d : out.stored.deliveries) {
      if (d.accepted) {
        EXPECT_EQ(d.reply, "250 2.0.0 Ok: queued as S1M1");
      }
    }
    if (answered_250) {
      EXPECT_EQ(out.stored.deliveries.size(), 1U);
    }
  }
}

}  // namespace
}  // namespace intransit::sink
