// strip_proxy.hpp — `intransit strip-proxy`: the STARTTLS downgrade of RFC 3207 §6 made visible.
// It relays SMTP between a sending MTA and its upstream, removes STARTTLS from every EHLO reply
// (or overwrites it, as some firewalls do: "XXXXXXXA"), answers a STARTTLS command itself with
// 502, and hands every message it could read — envelope, headers, the first bytes of the body —
// to a callback. A lab and demonstration tool: it binds loopback unless told otherwise.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace intransit::sink {

struct StripProxyOptions {
  boost::asio::ip::tcp::endpoint listen;
  boost::asio::ip::tcp::endpoint upstream;
  // Empty: drop the STARTTLS line. Otherwise overwrite the keyword with this text.
  std::string replacement;
  std::size_t body_preview_bytes = 512;
};

// What an attacker in the middle read from one message.
struct Capture {
  std::string time;  // RFC 3339 UTC
  std::string client;
  std::string upstream;
  std::string ehlo;
  bool starttls_removed = false;       // the upstream offered STARTTLS and the client never saw it
  bool client_asked_starttls = false;  // the client sent STARTTLS anyway (and got 502)
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string headers;       // header block, bounded
  std::string body_preview;  // first bytes of the body
  std::int64_t data_bytes = 0;
  std::optional<std::string> upstream_reply;  // the upstream's reply to the end of data
};

class StripProxy {
 public:
  // Binds; throws std::runtime_error with the reason if it cannot.
  StripProxy(boost::asio::io_context& io, StripProxyOptions options,
             std::function<void(const Capture&)> on_capture);
  ~StripProxy();
  StripProxy(const StripProxy&) = delete;
  StripProxy& operator=(const StripProxy&) = delete;

  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  void stop();

  struct State;  // defined in strip_proxy.cpp

 private:
  std::shared_ptr<State> state_;
};

// The EHLO reply as the client will see it: `lines` are one multi-line reply without CRLF;
// STARTTLS lines are removed (or overwritten) and continuation markers repaired (RFC 5321 §4.2.1).
// Pure; returns whether STARTTLS was there.
bool strip_starttls(std::vector<std::string>& lines, const std::string& replacement);

}  // namespace intransit::sink
