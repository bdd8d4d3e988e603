// strip_proxy_hostile_test.cpp — the strip-proxy (RFC 3207 §6 downgrade, RFC 5321 relay) when
// its own capture callback throws, in process on loopback (port 0) with the sink as upstream:
// RELIABILITY.md item 52 (an exception inside a coroutine must never be lost in the event loop:
// that relay is logged and the others go on) and item 51 (what it captured is valid UTF-8).
// The sender must get the upstream's 250 all the same: the upstream has queued the message, and
// a sender that hears nothing sends it again.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/text.hpp"
#include "sink/server.hpp"
#include "sink/store.hpp"
#include "sink/strip_proxy.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace intransit::sink;

namespace {

// A blocking SMTP client on a POSIX socket with a receive timeout, so a reply that never comes
// fails the test in seconds instead of hanging it.
class Client {
 public:
  explicit Client(const tcp::endpoint& to) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(to.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  void send(const std::string& bytes) {
    (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  // The last line of the next reply (RFC 5321 §4.2.1), or "" on timeout or close.
  std::string reply() {
    for (;;) {
      const auto lf = buffer_.find('\n');
      if (lf != std::string::npos) {
        std::string line = buffer_.substr(0, lf);
        buffer_.erase(0, lf + 1);
        if (line.size() < 4 || line[3] != '-') return line;
        continue;
      }
      char chunk[4096];
      const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return {};
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  std::string command(const std::string& line) {
    send(line + "\r\n");
    return reply();
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

TEST(StripProxyHostile, ACaptureThatThrowsStillRelaysTheUpstreamReply) {
  const std::string path = testing::TempDir() + "strip_proxy_hostile.db";
  std::remove(path.c_str());
  asio::io_context io;
  Store store(path);
  SinkServer upstream(
      io, store, SinkOptions{},
      {{SinkScenario::no_starttls, tcp::endpoint(asio::ip::address_v4::loopback(), 0)}});
  upstream.start();
  std::vector<Capture> seen;
  StripProxy proxy(io,
                   {tcp::endpoint(asio::ip::address_v4::loopback(), 0),
                    upstream.bound().at(0).endpoint, "", 512},
                   [&](const Capture& c) {
                     seen.push_back(c);
                     throw std::runtime_error("the capture file is on a full disk");
                   });
  proxy.start();
  std::thread loop([&] { io.run(); });

  // Two messages in two connections: the second shows the proxy still serves after the first.
  for (int n = 0; n < 2; ++n) {
    Client c(proxy.local_endpoint());
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(c.reply().substr(0, 4), "220 ");
    EXPECT_EQ(c.command("EHLO client.test").substr(0, 3), "250");
    EXPECT_EQ(c.command("MAIL FROM:<caf\xe9@example.org>").substr(0, 3), "250");
    EXPECT_EQ(c.command("RCPT TO:<bob@example.org>").substr(0, 3), "250");
    EXPECT_EQ(c.command("DATA").substr(0, 3), "354");
    const std::string end = c.command("Subject: caf\xe9\r\n\r\nbody \xff\r\n.");
    EXPECT_EQ(end.substr(0, 3), "250")
        << "message " << n << ": the upstream's reply was not relayed: '" << end << "'";
    EXPECT_EQ(c.command("QUIT").substr(0, 3), "221")
        << "message " << n << ": the relay did not go on";
  }
  asio::post(io, [&] {
    proxy.stop();
    upstream.stop();
    io.stop();
  });
  loop.join();

  ASSERT_EQ(seen.size(), 2U);
  for (const auto& c : seen) {
    EXPECT_TRUE(intransit::text::is_valid_utf8(c.mail_from)) << c.mail_from;
    EXPECT_TRUE(intransit::text::is_valid_utf8(c.headers)) << c.headers;
    EXPECT_TRUE(intransit::text::is_valid_utf8(c.body_preview)) << c.body_preview;
    EXPECT_NE(c.headers.find("Subject: caf"), std::string::npos);
  }
}

}  // namespace
