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

namespace intransit::serve {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

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

// A scripted peer: greets with `greeting` then answers each line it reads with `answer(line)`
// ("" sends nothing; nullopt closes the connection). Everything read is kept in `heard`.
struct Fake {
  using Answer = std::function<std::optional<std::string>(const std::string&)>;
  asio::io_context io;
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::vector<std::string> heard;
  unsigned short port() const { return acceptor.local_endpoint().port(); }

  void serve(std::string greeting, Answer answer) {
    asio::co_spawn(
        io,
        [this, greeting, answer]() -> asio::awaitable<void> {
          auto s = co_await acceptor.async_accept(asio::use_awaitable);
          boost::system::error_code ec;
          if (!greeting.empty())
            co_await asio::async_write(s, asio::buffer(greeting), asio::use_awaitable);
          asio::streambuf buf;
          for (;;) {
            const auto n = co_await asio::async_read_until(
                s, buf, "\r\n", asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            std::string line(asio::buffers_begin(buf.data()),
                             asio::buffers_begin(buf.data()) + n - 2);
            buf.consume(n);
            heard.push_back(line);
            const auto reply = answer(line);
            if (!reply) co_return;
            if (!reply->empty())
              co_await asio::async_write(s, asio::buffer(*reply),
                                         asio::redirect_error(asio::use_awaitable, ec));
          }
        },
        asio::detached);
  }

  template <class Awaitable>
  DeliveryResult run(Awaitable a) {
    DeliveryResult result{false, "did not finish"};
    asio::co_spawn(io, std::move(a), [&](std::exception_ptr e, DeliveryResult r) {
      if (!e) result = r;
      io.stop();
    });
    io.run_for(std::chrono::seconds(20));
    return result;
  }
};

// A relay: EHLO lists `ehlo_extra`; the message ends at "."; `refuse_rcpt` answers RCPT 550.
Fake::Answer relay(std::string ehlo_extra, bool refuse_rcpt = false) {
  auto in_data = std::make_shared<bool>(false);
  return [=](const std::string& line) -> std::optional<std::string> {
    if (*in_data) {
      if (line != ".") return "";  // the message goes on
      *in_data = false;
      return "250 2.0.0 queued as ABC\r\n";
    }
    if (line.starts_with("EHLO")) return "250-relay.test\r\n" + ehlo_extra + "250 8BITMIME\r\n";
    if (line.starts_with("MAIL")) return "250 2.1.0 Ok\r\n";
    if (line.starts_with("RCPT"))
      return refuse_rcpt ? "550 5.1.1 no such user\r\n" : "250 2.1.5 Ok\r\n";
    if (line == "DATA") {
      *in_data = true;
      return "354 go ahead\r\n";
    }
    if (line == "QUIT") return "221 bye\r\n";
    if (line == "STARTTLS") return "220 ready\r\nINJECTED\r\n";
    return "502 what\r\n";
  };
}

DeliveryResult mail(Fake& f, bool require_tls = false) {
  return f.run(send_alert_mail("127.0.0.1", f.port(), "intransit@serve.test",
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
  const auto r = silent.run(send_alert_mail("127.0.0.1", silent.port(), "a@b.test", {"c@d.test"},
                                            "s", "b", std::chrono::milliseconds(300)));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("reading a reply"), std::string::npos) << r.detail;
}

TEST(AlertMail, HostileAddressesAreNotSent) {
  Fake f;
  const auto r = f.run(send_alert_mail("127.0.0.1", f.port(), "a@b.test", {"x@y.test>\r\nRSET"},
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
  const auto r = f.run(post_webhook("http://127.0.0.1:" + std::to_string(f.port()) + "/hook?k=1",
                                    "{}", "", std::chrono::seconds(5)));
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "HTTP 204");
  EXPECT_EQ(f.heard.front(), "POST /hook?k=1 HTTP/1.1");
  EXPECT_NE(std::find(f.heard.begin(), f.heard.end(), "Content-Type: application/json"),
            f.heard.end());
}

TEST(AlertWebhook, ServerErrorIsAFailure) {
  Fake f;
  f.serve("", webhook("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"));
  const auto r = f.run(post_webhook("http://127.0.0.1:" + std::to_string(f.port()) + "/", "{}", "",
                                    std::chrono::seconds(5)));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "HTTP 500");
}

// An answer announcing more than 64 KiB is refused on its header, before any body is read.
TEST(AlertWebhook, EndlessAnswerIsCut) {
  Fake f;
  f.serve("", webhook("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n"));
  const auto r = f.run(post_webhook("http://127.0.0.1:" + std::to_string(f.port()) + "/", "{}", "",
                                    std::chrono::seconds(5)));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "webhook: reading the answer: body limit exceeded");
}

TEST(AlertWebhook, BadUrlAndNoListener) {
  Fake f;
  EXPECT_EQ(f.run(post_webhook("gopher://x/", "{}", "", std::chrono::seconds(1))).detail,
            "webhook: not an http(s) URL");
  tcp::acceptor closed(f.io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = closed.local_endpoint().port();
  closed.close();
  Fake g;
  EXPECT_FALSE(g.run(post_webhook("http://127.0.0.1:" + std::to_string(port) + "/", "{}", "",
                                  std::chrono::seconds(2)))
                   .ok);
}

}  // namespace
}  // namespace intransit::serve
