// submit_test.cpp — the SMTP submission client (smtp/submit.hpp) against a scripted relay on
// loopback (tests/support/line_peer.hpp): the conversation and the message in DATA's wire form
// (CRLF, dot-stuffed, ended by the lone "."), a 5xx at DATA's end as a failure in words, the
// relay address forms, and data_lines itself. (STARTTLS refusals, CVE-2011-0411 and silence are
// in serve's alert tests, which go through this client.)
#include <gtest/gtest.h>

#include <algorithm>

#include "smtp/submit.hpp"
#include "support/line_peer.hpp"

namespace intransit::smtp {
namespace {

using line_peer::Fake;

SubmitResult run(Fake& f, Submission m, SubmitOptions o = {}) {
  return f.run(submit({"127.0.0.1", f.port()}, std::move(m), std::move(o)),
               SubmitResult{false, "did not finish"});
}

TEST(Submit, MessageGoesOutInWireForm) {
  Fake f;
  f.serve("220 relay.test ESMTP\r\n", line_peer::relay(""));
  const auto r = run(f, {"reports@sender.test",
                         {"a@x.test", "b@y.test"},
                         data_lines("Subject: s\n\n.lone\nline\r\n..two")});
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "250 2.0.0 queued as ABC (no TLS)");
  const std::vector<std::string> expect{"EHLO sender.test",
                                        "MAIL FROM:<reports@sender.test>",
                                        "RCPT TO:<a@x.test>",
                                        "RCPT TO:<b@y.test>",
                                        "DATA",
                                        "Subject: s",
                                        "",
                                        "..lone",
                                        "line",
                                        "...two",
                                        ".",
                                        "QUIT"};
  EXPECT_EQ(f.heard, expect);
}

TEST(Submit, RefusalAtTheEndOfDataSaysSo) {
  Fake f;
  auto relay = line_peer::relay("");
  f.serve("220 relay.test ESMTP\r\n", [relay](const std::string& line) {
    return line == "." ? std::optional<std::string>("554 5.7.1 spam\r\n") : relay(line);
  });
  const auto r = run(f, {"a@b.test", {"c@d.test"}, data_lines("x")});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "the end of the message answered 554 5.7.1 spam");
}

TEST(Submit, NoRecipientOrBadPortIsNotSent) {
  Fake f;
  EXPECT_EQ(run(f, {"a@b.test", {}, "x\r\n"}).detail, "no usable addresses");
  EXPECT_TRUE(f.heard.empty());
  Fake g;  // a Fake runs one client
  EXPECT_EQ(g.run(submit({"127.0.0.1", 0}, {"a@b.test", {"c@d.test"}, "x\r\n"}, {}),
                  SubmitResult{false, "did not finish"})
                .detail,
            "the relay's port is not a number in 1-65535");
}

TEST(Submit, RelayAddressForms) {
  EXPECT_EQ(parse_relay("relay.test").host, "relay.test");
  EXPECT_EQ(parse_relay("relay.test").port, 25);
  EXPECT_EQ(parse_relay("relay.test:587").port, 587);
  EXPECT_EQ(parse_relay("[2001:db8::1]").host, "2001:db8::1");
  EXPECT_EQ(parse_relay("[2001:db8::1]:2525").port, 2525);
  EXPECT_EQ(parse_relay("2001:db8::1").host, "2001:db8::1");  // bare IPv6: no port
  EXPECT_EQ(parse_relay("2001:db8::1").port, 25);
  EXPECT_EQ(parse_relay("relay.test:99999").port, 0);
  EXPECT_EQ(parse_relay("relay.test:x").port, 0);
}

TEST(Submit, DataLines) {
  EXPECT_EQ(data_lines("a\nb\r\n.c\r\r\n"), "a\r\nb\r\n..c\r\r\n");
  EXPECT_EQ(data_lines(""), "");
  EXPECT_EQ(data_lines("."), "..\r\n");
}

}  // namespace
}  // namespace intransit::smtp
