// line_peer.hpp — a scripted SMTP/HTTP peer on loopback (port 0) for client tests: it greets,
// answers each CRLF line it reads as a script says, and keeps what it heard; and a scripted
// relay (EHLO, MAIL, RCPT, DATA to the lone ".", QUIT). Used by serve's alert delivery tests and
// the SMTP submission client's (smtp/submit.hpp).
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace intransit::line_peer {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

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

  // Runs the client coroutine `a` to its end (20 s at most); `result` when it did not finish.
  template <class Result>
  Result run(asio::awaitable<Result> a, Result result) {
    asio::co_spawn(io, std::move(a), [&](std::exception_ptr e, Result r) {
      if (!e) result = r;
      io.stop();
    });
    io.run_for(std::chrono::seconds(20));
    return result;
  }
};

// A relay: EHLO lists `ehlo_extra`; the message ends at "."; `refuse_rcpt` answers RCPT 550.
inline Fake::Answer relay(std::string ehlo_extra, bool refuse_rcpt = false) {
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

}  // namespace intransit::line_peer
