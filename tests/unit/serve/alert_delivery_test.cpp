// alert_delivery_test.cpp — serve's alert delivery (alert_delivery.hpp): the webhook URL parser,
// the mail's wire form (CRLF, dot-stuffing, no header injection), and both clients against
// scripted in-process fakes on loopback: success, refusals, a relay without STARTTLS when TLS is
// required, plaintext injected after 220 to STARTTLS (CVE-2011-0411), a webhook's 500 and an
// endless answer. The real relay and receiver are in lab.serve.browser.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <functional>
#include <optional>

#include "serve/alert_delivery.hpp"
#include "support/line_peer.hpp"

namespace intransit::serve {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using line_peer::Fake;
using line_peer::relay;

// The client to its end; "did not finish" when it did not.
template <class Awaitable>
DeliveryResult finish(Fake& f, Awaitable a) {
  return f.run(std::move(a), DeliveryResult{false, "did not finish"});
}

TEST(WebhookUrl, Parses) {
  auto u = parse_webhook_url("https://hooks.example.test/a/b?c=d#frag");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "hooks.example.test");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/a/b?c=d");
  u = parse_webhook_url("http://[::1]:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->target, "/");
  u = parse_webhook_url("http://127.0.0.1:9?x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->target, "/?x");
}

TEST(WebhookUrl, Refuses) {
  for (const char* bad : {"ftp://x/", "http://", "http://user@host/", "http://host:0/",
                          "http://host:65536/", "http://host:8a/", "http://[::1/", "http://[::1]x/",
                          "http://host/a b", "https://host/\r\nX: y", "//host/"})
    EXPECT_FALSE(parse_webhook_url(bad)) << bad;
}

TEST(AlertMessage, WireForm) {
  const auto m = alert_message("me@example.test", {"a@example.test", "b@example.test"},
                               "subject\r\nBcc: evil@example.test",
                               "line one\n.dot line\r\n..two\nlast", 1796256000);
  EXPECT_NE(m.find("Subject: subjectBcc: evil@example.test\r\n"), std::string::npos);
  EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(m.find("To: a@example.test, b@example.test\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: Thu, 03 Dec 2026 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nline one\r\n..dot line\r\n...two\r\nlast\r\n"), std::string::npos);
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\n') {
      EXPECT_EQ(m[i - 1], '\r') << "bare LF at " << i;
    }
  }
  EXPECT_NE(m.find("Message-ID: <intransit."), std::string::npos);
}

DeliveryResult mail(Fake& f, bool require_tls = false) {
  return finish(f, send_alert_mail("127.0.0.1", f.port(), "intransit@serve.test",
                                   {"admin@example.test"}, "intransit: alert", "body\n.\nend",
                                   std::chrono::seconds(10), require_tls));
}

TEST(AlertMail, SentThroughAPlainRelay) {
  Fake f;
  f.serve("220 relay.test ESMTP\r\n", relay(""));
  const auto r = mail(f);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "250 2.0.0 queued as ABC (no TLS)");
  EXPECT_EQ(f.heard.front(), "EHLO serve.test");
  EXPECT_NE(std::find(f.heard.begin(), f.heard.end(), "RCPT TO:<admin@example.test>"),
            f.heard.end());
  EXPECT_NE(std::find(f.heard.begin(), f.heard.end(), ".."), f.heard.end())
      << "the lone dot is stuffed";
  EXPECT_EQ(f.heard.back(), "QUIT");
}

TEST(AlertMail, RefusedRecipientIsAFailureThatSaysSo) {
  Fake f;
  f.serve("220 relay.test ESMTP\r\n", relay("", true));
  const auto r = mail(f);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "RCPT answered 550 5.1.1 no such user");
}

TEST(AlertMail, TlsRequiredButNotOffered) {
  Fake f;
  f.serve("220 relay.test ESMTP\r\n", relay(""));
  const auto r = mail(f, true);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("does not offer STARTTLS"), std::string::npos) << r.detail;
  EXPECT_EQ(std::find(f.heard.begin(), f.heard.end(), "MAIL FROM:<intransit@serve.test>"),
            f.heard.end());
}

TEST(AlertMail, PlaintextInjectedAfterStarttlsIsRefused) {
  Fake f;
  f.serve("220 relay.test ESMTP\r\n", relay("250-STARTTLS\r\n"));
  const auto r = mail(f);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("CVE-2011-0411"), std::string::npos) << r.detail;
}

TEST(AlertMail, RudeGreetingAndSilence) {
  Fake f;
  f.serve("554 go away\r\n", relay(""));
  EXPECT_FALSE(mail(f).ok);
  Fake silent;
  silent.serve("", relay(""));
  const auto r =
      finish(silent, send_alert_mail("127.0.0.1", silent.port(), "a@b.test", {"c@d.test"}, "s", "b",
                                     std::chrono::milliseconds(300)));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("reading a reply"), std::string::npos) << r.detail;
}

TEST(AlertMail, HostileAddressesAreNotSent) {
  Fake f;
  const auto r = finish(f, send_alert_mail("127.0.0.1", f.port(), "a@b.test", {"x@y.test>\r\nRSET"},
                                           "s", "b", std::chrono::seconds(1)));
  EXPECT_FALSE(r.ok);
}

// A webhook receiver answering every request with `status_line` and `extra` bytes of body.
Fake::Answer webhook(std::string answer) {
  return [answer](const std::string& line) -> std::optional<std::string> {
    if (!line.empty()) return "";  // the request line and headers; the body has no CRLF
    return answer;
  };
}

TEST(AlertWebhook, Posts) {
  Fake f;
  f.serve("", webhook("HTTP/1.1 204 No Content\r\n\r\n"));
  const auto r =
      finish(f, post_webhook("http://127.0.0.1:" + std::to_string(f.port()) + "/hook?k=1", "{}", "",
                             std::chrono::seconds(5)));
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "HTTP 204");
  EXPECT_EQ(f.heard.front(), "POST /hook?k=1 HTTP/1.1");
  EXPECT_NE(std::find(f.heard.begin(), f.heard.end(), "Content-Type: application/json"),
            f.heard.end());
}

TEST(AlertWebhook, ServerErrorIsAFailure) {
  Fake f;
  f.serve("", webhook("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"));
  const auto r = finish(f, post_webhook("http://127.0.0.1:" + std::to_string(f.port()) + "/", "{}",
                                        "", std::chrono::seconds(5)));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "HTTP 500");
}

// An answer announcing more than 64 KiB is refused on its header, before any body is read.
TEST(AlertWebhook, EndlessAnswerIsCut) {
  Fake f;
  f.serve("", webhook("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n"));
  const auto r = finish(f, post_webhook("http://127.0.0.1:" + std::to_string(f.port()) + "/", "{}",
                                        "", std::chrono::seconds(5)));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "webhook: reading the answer: body limit exceeded");
}

TEST(AlertWebhook, BadUrlAndNoListener) {
  Fake f;
  EXPECT_EQ(finish(f, post_webhook("gopher://x/", "{}", "", std::chrono::seconds(1))).detail,
            "webhook: not an http(s) URL");
  tcp::acceptor closed(f.io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = closed.local_endpoint().port();
  closed.close();
  Fake g;
  EXPECT_FALSE(finish(g, post_webhook("http://127.0.0.1:" + std::to_string(port) + "/", "{}", "",
                                      std::chrono::seconds(2)))
                   .ok);
}

}  // namespace
}  // namespace intransit::serve
