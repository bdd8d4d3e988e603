// scripted_client.hpp — a test tool: an in-memory SMTP client for the sink's server session, as
// a server transport (src/sink/server_transport.hpp) over the same script and manual clock as
// the probe's scripted peer (scripted_peer.hpp). Here `send(bytes)` is what the client sends
// (the session's next read), `expect(line)` the reply line the session must write next,
// `stall()` a client that goes quiet past the session's deadline, `tls_ok()`/`tls_fail()` the
// outcome of the handshake after STARTTLS. Before the greeting the client talks (the pregreet
// test) exactly when the script's next step is a send. Any operation can be made to fail by its
// number.
#pragma once

#include "sink/server_transport.hpp"
#include "support/scripted_peer.hpp"

namespace intransit::test {

class ScriptedClient final : public sink::ServerTransport {
 public:
  ScriptedClient(std::vector<PeerStep> script, ManualClock& clock)
      : peer_(std::move(script), clock) {}

  ScriptedPeer& peer() { return peer_; }
  // The session's reply lines, in order.
  const std::vector<std::string>& replies() const { return peer_.client_lines(); }
  bool closed() const { return closed_; }

  boost::asio::awaitable<std::size_t> read_some(std::span<char> into,
                                                boost::system::error_code& ec) override {
    return peer_.read_some(into, ec);
  }
  boost::asio::awaitable<void> write(std::string_view bytes,
                                     boost::system::error_code& ec) override {
    return peer_.write(bytes, ec);
  }
  boost::asio::awaitable<void> handshake(boost::asio::ssl::context& /*tls*/,
                                         boost::system::error_code& ec) override;
  SSL* tls_session() override { return secure_ ? peer_.tls_session() : nullptr; }
  boost::asio::awaitable<bool> talks_within(std::chrono::milliseconds /*wait*/) override {
    co_return peer_.sends_next();
  }
  std::size_t read_ready(std::span<char> into) override { return peer_.take_ready(into); }
  boost::asio::ip::tcp::endpoint local() const override {
    return {boost::asio::ip::make_address("192.0.2.25"), 25};
  }
  boost::asio::ip::tcp::endpoint remote() const override {
    return {boost::asio::ip::make_address("198.51.100.7"), 40000};
  }
  void close() override {
    closed_ = true;
    peer_.close();
  }

 private:
  ScriptedPeer peer_;
  bool secure_ = false;
  bool closed_ = false;
};

}  // namespace intransit::test
