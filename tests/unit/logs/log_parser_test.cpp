// log_parser_test.cpp — the MTA log readers on real line formats: Postfix 3.7 (Debian 12, as the
// lab's senders write them, maillog_file), Exim 4.96 main log, Sendmail 8.17 syslog lines;
// syslog timestamps (RFC 3164 §4.1.2 with year inference, RFC 3339 §5.6); hostile lines
// (RELIABILITY.md item 51: bytes that are not UTF-8 in a log line; bounded joins).
#include <gtest/gtest.h>

#include <vector>

#include "logs/advice.hpp"
#include "logs/line_splitter.hpp"
#include "logs/log_parser.hpp"
#include "logs/tally.hpp"

namespace intransit::logs {
namespace {

// 2026-12-02T13:00:00Z
constexpr std::int64_t kNow = 1796216400;

struct Run {
  std::vector<Delivery> deliveries;
  LineStats stats;
};

Run parse(const std::vector<std::string>& lines, bool tls_logged = true,
          std::size_t max_pending = limits::kPendingJoins) {
  LogParser parser(TimeContext::at(kNow), tls_logged, max_pending);
  Run run;
  const EmitDelivery emit = [&](Delivery& d) { run.deliveries.push_back(d); };
  for (const auto& l : lines) parser.feed_line(l, emit);
  run.stats = parser.stats();
  return run;
}

TEST(SyslogLine, Rfc3164WithYearInference) {
  const auto ctx = TimeContext::at(kNow);
  const auto l =
      parse_syslog("Dec 02 12:59:57 sender-may postfix/smtpd[9693]: connect from x", ctx);
  ASSERT_TRUE(l);
  EXPECT_EQ(format_time(l->time.epoch, 0), "2026-12-02T12:59:57Z");
  EXPECT_EQ(l->host, "sender-may");
  EXPECT_EQ(l->program, "postfix/smtpd");
  EXPECT_EQ(l->pid, "9693");
  EXPECT_EQ(l->message, "connect from x");
  // Space-padded day; a date more than a day ahead of "now" belongs to the year before.
  const auto dec31 = parse_syslog("Dec 31 23:00:00 h prog[1]: m", TimeContext::at(kNow));
  ASSERT_TRUE(dec31);
  EXPECT_EQ(format_time(dec31->time.epoch, 0), "2025-12-31T23:00:00Z");
  const auto padded = parse_syslog("Dec  2 01:02:03.123456 h prog[1]: m", ctx);
  ASSERT_TRUE(padded);
  EXPECT_EQ(format_time(padded->time.epoch, padded->time.micros), "2026-12-02T01:02:03.123456Z");
}

// The last stamp is remembered: the same 15 bytes under another "now" must be read again, and
// a stamp that fails must not leave the remembered one behind.
TEST(SyslogLine, RememberedStampFollowsTheTimeContext) {
  const std::string line = "Dec 31 23:00:00 h prog[1]: m";
  const auto before = parse_syslog(line, TimeContext::at(kNow));
  const auto after = parse_syslog(line, TimeContext::at(kNow + 40 * 86400));  // January
  ASSERT_TRUE(before && after);
  EXPECT_EQ(format_time(before->time.epoch, 0), "2025-12-31T23:00:00Z");
  EXPECT_EQ(format_time(after->time.epoch, 0), "2026-12-31T23:00:00Z");
  EXPECT_FALSE(parse_syslog("Dec 31 23:00:0x h prog[1]: m", TimeContext::at(kNow)));
  EXPECT_FALSE(parse_syslog("Dec 31 23:00:00", TimeContext::at(kNow)));
  const auto again = parse_syslog(line, TimeContext::at(kNow));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->time.epoch, before->time.epoch);
}

// The tag ends at the first space after the host, which must follow its colon.
TEST(SyslogLine, TagEndsAtItsColonAndSpace) {
  const auto ctx = TimeContext::at(kNow);
  const auto l = parse_syslog("Dec 02 12:00:00 h postfix/smtp[7]: a: b c", ctx);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->program, "postfix/smtp");
  EXPECT_EQ(l->message, "a: b c");
  EXPECT_FALSE(parse_syslog("Dec 02 12:00:00 h post fix: m", ctx));  // a space in the tag
  EXPECT_FALSE(parse_syslog("Dec 02 12:00:00 h : m", ctx));          // an empty tag
  EXPECT_FALSE(parse_syslog("Dec 02 12:00:00 h prog:m", ctx));       // no ": "
  const auto bare = parse_syslog("Dec 02 12:00:00 h prog: ", ctx);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->program, "prog");
  EXPECT_EQ(bare->message, "");
}

TEST(SyslogLine, Rfc3339) {
  const auto l = parse_syslog("2026-12-02T12:00:01.123+01:00 mx postfix/smtp[12]: hello",
                              TimeContext::at(kNow));
  ASSERT_TRUE(l);
  EXPECT_EQ(format_time(l->time.epoch, l->time.micros), "2026-12-02T11:00:01.123000Z");
  EXPECT_FALSE(parse_rfc3339("2026-13-02"));
  EXPECT_FALSE(parse_rfc3339("2026-12-02T25:00:00Z"));
  EXPECT_TRUE(parse_rfc3339("2026-12-02"));
}

TEST(Postfix, VerifiedTlsJoinedToDelivery) {
  const auto run = parse({
      "Dec 02 13:01:10 sender-verify postfix/smtp[10231]: Verified TLS connection established to "
      "mx.opportunistic.test[127.0.1.2]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 "
      "bits) key-exchange "
      "X25519 server-signature ECDSA (prime256v1) server-digest SHA256",
      "Dec 02 13:01:10 sender-verify postfix/smtp[10231]: 7A1B2C3D4E: "
      "to=<user@Opportunistic.Test>, "
      "relay=mx.opportunistic.test[127.0.1.2]:25, delay=0.12, delays=0.01/0.01/0.06/0.04, "
      "dsn=2.0.0, status=sent "
      "(250 2.0.0 Ok: queued as 9F8E7D)",
  });
  ASSERT_EQ(run.deliveries.size(), 1u);
  const auto& d = run.deliveries[0];
  EXPECT_EQ(d.queue_id, "7A1B2C3D4E");
  EXPECT_EQ(d.recipient_domain, "opportunistic.test");
  EXPECT_EQ(d.relay_host, "mx.opportunistic.test");
  EXPECT_EQ(d.relay_address, "127.0.1.2");
  EXPECT_EQ(d.relay_port, 25);
  EXPECT_EQ(d.result, Result::sent);
  EXPECT_EQ(d.protection, Protection::verified);
  EXPECT_EQ(d.tls_version, "TLSv1.3");
  EXPECT_EQ(d.tls_cipher, "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(d.tls_trust, "Verified");
  EXPECT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(run.stats.tls, 1u);
  EXPECT_EQ(run.stats.deliveries, 1u);
}

// A quoted local part may hold ", relay=" and ", status=": the fields are read after the
// recipient, so an address cannot pose as the delivery's relay or result.
TEST(Postfix, RecipientCannotPoseAsRelayOrStatus) {
  const auto run = parse({
      "Dec 02 13:01:10 s postfix/smtp[7]: 7A1B2C3D4E: "
      "to=<\"x, relay=evil.example[192.0.2.66]:25, status=bounced, \"@d.example>, "
      "relay=mx.d.example[127.0.1.2]:25, delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (ok)",
  });
  ASSERT_EQ(run.deliveries.size(), 1u);
  EXPECT_EQ(run.deliveries[0].relay_host, "mx.d.example");
  EXPECT_EQ(run.deliveries[0].relay_address, "127.0.1.2");
  EXPECT_EQ(run.deliveries[0].result, Result::sent);
  EXPECT_EQ(run.deliveries[0].recipient_domain, "d.example");
}

TEST(Postfix, TrustLevelsAndPlaintext) {
  const auto run = parse({
      "Dec 02 13:01:10 s postfix/smtp[1]: Untrusted TLS connection established to "
      "mx.a.test[127.0.1.4]:25: TLSv1.2 "
      "with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
      "Dec 02 13:01:10 s postfix/smtp[1]: 11111AAAAA: to=<a@a.test>, "
      "relay=mx.a.test[127.0.1.4]:25, delay=0.1, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
      "Dec 02 13:01:11 s postfix/smtp[2]: Trusted TLS connection established to "
      "mx.b.test[127.0.1.6]:25: TLSv1.3 with "
      "cipher TLS_AES_128_GCM_SHA256 (128/128 bits)",
      "Dec 02 13:01:11 s postfix/smtp[2]: 22222BBBBB: to=<b@b.test>, "
      "relay=mx.b.test[127.0.1.6]:25, delay=0.1, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
      // The same process, a later message: a new connection without TLS.
      "Dec 02 13:01:12 s postfix/smtp[2]: 33333CCCCC: to=<c@plain.test>, "
      "relay=mx.plain.test[127.0.1.1]:25, "
      "delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
      "Dec 02 13:01:13 s postfix/smtp[3]: 44444DDDDD: to=<d@down.test>, relay=none, delay=30, "
      "delays=0/0/30/0, "
      "dsn=4.4.1, status=deferred (connect to mx.down.test[127.0.1.99]:25: Connection refused)",
      "Dec 02 13:01:14 s postfix/smtp[4]: 4Pq1Xz5Hw2z9sLk: to=<e@bounce.test>, "
      "relay=mx.bounce.test[127.0.1.9]:25, "
      "delay=0.2, delays=0/0/0.1/0.1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such "
      "user)",
      // Local deliveries and content-filter handoffs are not mail leaving the host.
      "Dec 02 13:01:15 s postfix/local[5]: 55555EEEEE: to=<root@s>, relay=local, delay=0, "
      "delays=0/0/0/0, dsn=2.0.0, "
      "status=sent (delivered to mailbox)",
      "Dec 02 13:01:15 s postfix/smtp[6]: 66666FFFFF: to=<x@y.test>, "
      "relay=127.0.0.1[127.0.0.1]:10024, delay=0, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 queued)",
  });
  ASSERT_EQ(run.deliveries.size(), 5u);
  EXPECT_EQ(run.deliveries[0].protection, Protection::encrypted_unverified);
  EXPECT_EQ(run.deliveries[0].tls_version, "TLSv1.2");
  EXPECT_EQ(run.deliveries[1].protection, Protection::encrypted_unverified);
  EXPECT_EQ(run.deliveries[1].tls_trust, "Trusted");
  EXPECT_EQ(run.deliveries[2].protection, Protection::plaintext);
  EXPECT_EQ(run.deliveries[3].protection, Protection::unknown);
  EXPECT_EQ(run.deliveries[3].result, Result::deferred);
  EXPECT_EQ(run.deliveries[3].relay_address, "");
  EXPECT_EQ(run.deliveries[4].result, Result::bounced);
  EXPECT_EQ(run.deliveries[4].queue_id, "4Pq1Xz5Hw2z9sLk");
  EXPECT_EQ(run.stats.ignored, 2u);
}

TEST(Postfix, SeveralRecipientsShareTheConnection) {
  const auto run = parse({
      "Dec 02 13:01:10 s postfix/smtp[7]: Verified TLS connection established to "
      "mx.d.test[127.0.1.2]:25: TLSv1.3 "
      "with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
      "Dec 02 13:01:10 s postfix/smtp[7]: 77777AAAAA: to=<a@d.test>, "
      "relay=mx.d.test[127.0.1.2]:25, delay=0.1, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
      "Dec 02 13:01:10 s postfix/smtp[7]: 77777AAAAA: to=<b@d.test>, "
      "relay=mx.d.test[127.0.1.2]:25, delay=0.1, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
  });
  ASSERT_EQ(run.deliveries.size(), 2u);
  EXPECT_EQ(run.deliveries[1].protection, Protection::verified);
}

TEST(Postfix, WithoutTlsLoggingProtectionIsUnknown) {
  const auto run = parse({"Dec 02 13:01:12 s postfix/smtp[2]: 33333CCCCC: to=<c@plain.test>, "
                          "relay=mx.plain.test[127.0.1.1]:25, delay=0.1, delays=0/0/0/0, "
                          "dsn=2.0.0, status=sent (250 ok)"},
                         false);
  ASSERT_EQ(run.deliveries.size(), 1u);
  EXPECT_EQ(run.deliveries[0].protection, Protection::unknown);
}

TEST(Postfix, InterleavedProcessesJoinByPid) {
  const auto run = parse({
      "Dec 02 13:01:10 s postfix/smtp[10]: Verified TLS connection established to "
      "mx.a.test[127.0.1.2]:25: TLSv1.3 "
      "with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
      "Dec 02 13:01:10 s postfix/smtp[11]: Anonymous TLS connection established to "
      "mx.b.test[127.0.1.3]:25: TLSv1.2 "
      "with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
      "Dec 02 13:01:10 s postfix/smtp[11]: BBBBB: to=<b@b.test>, relay=mx.b.test[127.0.1.3]:25, "
      "delay=0, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
      "Dec 02 13:01:10 s postfix/smtp[10]: AAAAA: to=<a@a.test>, relay=mx.a.test[127.0.1.2]:25, "
      "delay=0, "
      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
  });
  ASSERT_EQ(run.deliveries.size(), 2u);
  EXPECT_EQ(run.deliveries[0].protection, Protection::encrypted_unverified);
  EXPECT_EQ(run.deliveries[0].tls_trust, "Anonymous");
  EXPECT_EQ(run.deliveries[1].protection, Protection::verified);
}

// Hostile logs: endless processes that each log a TLS line and never deliver; memory stays at
// the cap and the evictions are counted.
TEST(Postfix, PendingJoinsAreBounded) {
  std::vector<std::string> lines;
  for (int pid = 0; pid < 100; ++pid) {
    lines.push_back("Dec 02 13:01:10 s postfix/smtp[" + std::to_string(pid) +
                    "]: Verified TLS connection established to mx.a.test[127.0.1.2]:25: TLSv1.3 "
                    "with cipher X (1/1 bits)");
  }
  const auto run = parse(lines, true, 8);
  EXPECT_EQ(run.stats.tls, 100u);
  EXPECT_EQ(run.stats.evicted, 92u);
}

TEST(Exim, DeliveriesWithAndWithoutTls) {
  const auto run = parse({
      "2026-12-02 13:02:01 1kABCD-0001Ab-Cd => user@exim.test R=dnslookup T=remote_smtp "
      "H=mx.exim.test [127.0.1.7] "
      "X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=yes DN=\"CN=mx.exim.test\" "
      "C=\"250 OK id=1kXYZ\"",
      "2026-12-02 13:02:01 1kABCD-0001Ab-Cd -> other@exim.test R=dnslookup T=remote_smtp "
      "H=mx.exim.test [127.0.1.7] "
      "X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=yes DN=\"CN=mx.exim.test\" "
      "C=\"250 OK\"",
      "2026-12-02 13:02:02.123 +0100 [4242] 1kABCE-0001Ab-Cd => u@opportunistic.test R=dnslookup "
      "T=remote_smtp "
      "H=mx.opportunistic.test [127.0.1.2]:25 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no "
      "C=\"250 ok\"",
      "2026-12-02 13:02:03 1kABCF-0001Ab-Cd => u@plain.test R=dnslookup T=remote_smtp "
      "H=mx.plain.test [127.0.1.1] "
      "C=\"250 2.0.0 Ok X=TLS1.3:fake:256 CV=yes\"",
      "2026-12-02 13:02:04 1kABCG-0001Ab-Cd == u@down.test R=dnslookup T=remote_smtp defer (111): "
      "Connection refused",
      "2026-12-02 13:02:05 1kABCH-0001Ab-Cd => :blackhole: <x@exim.test> R=discard_local",
      "2026-12-02 13:02:05 1kABCH-0001Ab-Cd <= sender@exim.test H=(client) [127.0.2.1] P=esmtps "
      "S=300",
      "2026-12-02 13:02:06 1kABCH-0001Ab-Cd Completed",
  });
  ASSERT_EQ(run.deliveries.size(), 5u);
  EXPECT_EQ(run.deliveries[0].protection, Protection::verified);
  EXPECT_EQ(run.deliveries[0].tls_version, "TLSv1.3");
  EXPECT_EQ(run.deliveries[0].tls_cipher, "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM");
  EXPECT_EQ(run.deliveries[0].relay_host, "mx.exim.test");
  EXPECT_EQ(run.deliveries[0].relay_address, "127.0.1.7");
  EXPECT_EQ(run.deliveries[1].recipient_domain, "exim.test");
  EXPECT_EQ(run.deliveries[2].protection, Protection::encrypted_unverified);
  EXPECT_EQ(run.deliveries[2].relay_port, 25);
  EXPECT_EQ(format_time(run.deliveries[2].time, run.deliveries[2].micros),
            "2026-12-02T12:02:02.123000Z");
  // A server's reply text quoting "X=" does not make a plaintext delivery encrypted.
  EXPECT_EQ(run.deliveries[3].protection, Protection::plaintext);
  EXPECT_EQ(run.deliveries[4].result, Result::deferred);
  EXPECT_EQ(run.deliveries[4].protection, Protection::unknown);
}

TEST(Exim, ThroughSyslog) {
  const auto run = parse(
      {"Dec 02 13:02:01 mx exim[123]: 1kABCD-0001Ab-Cd => user@exim.test R=dnslookup "
       "T=remote_smtp H=mx.exim.test [127.0.1.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=dane"});
  ASSERT_EQ(run.deliveries.size(), 1u);
  EXPECT_EQ(run.deliveries[0].protection, Protection::verified);
  EXPECT_EQ(run.deliveries[0].host, "mx");
}

TEST(Sendmail, StarttlsJoinedByPidAndRelay) {
  const auto run = parse({
      "Dec  2 13:03:01 mail sm-mta[2345]: STARTTLS=client, relay=mx.example.org., version=TLSv1.3, "
      "verify=OK, "
      "cipher=TLS_AES_256_GCM_SHA384, bits=256/256",
      "Dec  2 13:03:01 mail sm-mta[2345]: 0B2D3E4F012345: to=<a@example.org>,<b@Example.ORG>, "
      "ctladdr=<root@mail> (0/0), delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, "
      "relay=mx.example.org. [192.0.2.1], dsn=2.0.0, stat=Sent (Ok: queued as 4ABC)",
      "Dec  2 13:03:02 mail sm-mta[2346]: STARTTLS=client, relay=mx.other.test., version=TLSv1.2, "
      "verify=FAIL, "
      "cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256/256",
      "Dec  2 13:03:02 mail sm-mta[2346]: 0B2D3E4F012346: to=<c@other.test>, delay=00:00:01, "
      "xdelay=00:00:01, "
      "mailer=esmtp, pri=120000, relay=mx.other.test. [192.0.2.2], dsn=2.0.0, stat=Sent (ok)",
      "Dec  2 13:03:03 mail sm-mta[2347]: 0B2D3E4F012347: to=<d@plain.test>, delay=00:00:01, "
      "xdelay=00:00:01, "
      "mailer=esmtp, pri=120000, relay=mx.plain.test. [192.0.2.3], dsn=4.0.0, stat=Deferred: 451 "
      "try later",
      "Dec  2 13:03:04 mail sm-mta[2348]: 0B2D3E4F012348: to=root, ctladdr=<root@mail> (0/0), "
      "delay=00:00:00, "
      "xdelay=00:00:00, mailer=local, pri=30000, dsn=2.0.0, stat=Sent",
  });
  ASSERT_EQ(run.deliveries.size(), 4u);
  EXPECT_EQ(run.deliveries[0].protection, Protection::verified);
  EXPECT_EQ(run.deliveries[0].tls_trust, "verify=OK");
  EXPECT_EQ(run.deliveries[1].recipient_domain, "example.org");
  EXPECT_EQ(run.deliveries[1].relay_address, "192.0.2.1");
  EXPECT_EQ(run.deliveries[2].protection, Protection::encrypted_unverified);
  EXPECT_EQ(run.deliveries[3].protection, Protection::plaintext);
  EXPECT_EQ(run.deliveries[3].result, Result::deferred);
  EXPECT_EQ(run.deliveries[3].mta, Mta::sendmail);
}

// RELIABILITY.md item 51: garbage, NUL bytes and broken UTF-8 are counted, never a crash.
TEST(Hostile, GarbageLinesAreCountedNotParsed) {
  std::string nul(
      "Dec 02 13:01:10 s postfix/smtp[1]: AAAAA: to=<a@\xff\xfe.test>, relay=mx[1.2.3.4]:25, "
      "status=sent");
  nul[20] = '\0';
  const auto run = parse({std::string("\x00\x01\x02\xff garbage", 13),
                          "Dec 02 13:01:10 s postfix/smtp[1]: AAAAA: to=<", "Dec 02 13:01:10",
                          "{not json", nul, "2026-12-02 13:02:01 1kABCD-0001Ab-Cd => "});
  EXPECT_EQ(run.stats.lines, 6u);
  EXPECT_GE(run.stats.unparsed, 3u);
  EXPECT_EQ(run.stats.unparsed_samples.size(), kUnparsedSamples);
}

TEST(LineSplitter, CutsOverlongLinesAndKeepsTheRest) {
  std::vector<std::string> lines;
  std::size_t cut = 0;
  LineSplitter splitter([&](std::string_view l) { lines.emplace_back(l); }, [&] { ++cut; }, 16);
  const std::string input = "short\n" + std::string(40, 'x') + "\nab";
  // Fed a byte at a time and as a whole, the result is the same.
  for (const char c : input) splitter.push(&c, 1);
  splitter.push("c\nlast-no-lf", 12);
  splitter.finish();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "short");
  EXPECT_EQ(lines[1], "abc");
  EXPECT_EQ(lines[2], "last-no-lf");
  EXPECT_EQ(cut, 1u);
}

TEST(Advice, StrongestPolicyTheEvidenceSupports) {
  Tally tally;
  const auto add = [&](const std::string& domain, Protection p, const std::string& qid) {
    Delivery d;
    d.recipient_domain = domain;
    d.protection = p;
    d.queue_id = qid;
    d.relay_host = "mx." + domain;
    tally.add(d);
  };
  add("dane.test", Protection::verified, "A1");
  add("mtasts.test", Protection::verified, "B1");
  add("plain.test", Protection::plaintext, "C1");
  add("mixed.test", Protection::encrypted_unverified, "D1");
  add("mixed.test", Protection::plaintext, "D2");
  add("opportunistic.test", Protection::encrypted_unverified, "E1");
  Published dane{true, true, false, "enforced"}, sts{true, false, true, "enforced"},
      none{true, false, false, "opportunistic"};
  const auto& t = tally.domains();
  EXPECT_EQ(advise("dane.test", t.at("dane.test"), dane).proposal, Policy::dane_only);
  EXPECT_EQ(advise("mtasts.test", t.at("mtasts.test"), sts).proposal, Policy::secure);
  const auto plain = advise("plain.test", t.at("plain.test"), none);
  EXPECT_EQ(plain.proposal, Policy::none);
  ASSERT_TRUE(plain.stronger);
  EXPECT_EQ(*plain.stronger, Policy::encrypt);
  ASSERT_EQ(plain.deferred.size(), 1u);
  EXPECT_EQ(plain.deferred[0].queue_id, "C1");
  const auto mixed = advise("mixed.test", t.at("mixed.test"), none);
  EXPECT_EQ(mixed.proposal, Policy::none);
  EXPECT_EQ(mixed.would_defer, 1u);
  EXPECT_EQ(advise("opportunistic.test", t.at("opportunistic.test"), none).proposal,
            Policy::encrypt);
  // DANE published but a delivery went unverified: encrypt, and dane-only would defer it.
  const auto weak = advise("opportunistic.test", t.at("opportunistic.test"), dane);
  EXPECT_EQ(weak.proposal, Policy::encrypt);
  ASSERT_TRUE(weak.stronger);
  EXPECT_EQ(*weak.stronger, Policy::dane_only);
  EXPECT_EQ(weak.would_defer, 1u);
}

}  // namespace
}  // namespace intransit::logs
