// scripted_peer.hpp — a test tool: an in-memory SMTP server for the probe's dialogue, as a
// transport (src/smtp/transport.hpp) with a manual clock, so the dialogue runs without sockets
// or wall time (STYLE.md habits 10, 11; Postfix's mock_server, Beast's test stream). The script
// is a list of steps: the client line the peer expects next, bytes one read returns (a reply may
// be spread over several), a stall (the client's deadline passes), the end of the stream, and
// the outcome of a TLS handshake. Any operation — connect, read, write, handshake — can be made
// to fail by its number (Beast's fail_count). Whatever the client did that the script did not
// expect is listed in mismatches().
#pragma once

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smtp/transport.hpp"

namespace intransit::test {

struct PeerStep {
  enum class Kind : std::uint8_t { expect, send, stall, eof, tls_ok, tls_fail };
  Kind kind;
  std::string text;
};

PeerStep expect(std::string line);  // the client's next line, without its CRLF
PeerStep send(std::string bytes);   // what the client's next read returns (all, or a first part)
PeerStep stall();                   // the client's next wait lasts past its deadline
PeerStep eof();                     // the peer closes (also the end of any script)
PeerStep tls_ok();                  // the client's handshake succeeds (no real TLS is spoken)
PeerStep tls_fail();                // the client's handshake fails

// Time stands still until a stall lets the armed deadline pass.
class ManualClock final : public smtp::DeadlineSource {
 public:
  Clock::time_point now() const override { return now_; }
  void arm(Clock::time_point when, std::function<void()> expired) override;
  void cancel() override { expired_ = nullptr; }
  // Moves the time to the armed deadline and runs its callback; false when none is armed.
  bool expire();

 private:
  Clock::time_point now_{};
  Clock::time_point when_{};
  std::function<void()> expired_;
};

class ScriptedPeer final : public smtp::Transport {
 public:
  ScriptedPeer(std::vector<PeerStep> script, ManualClock& clock);
  ~ScriptedPeer() override;

  // Operation `n` (1 = the first, counting connect, reads, writes and handshakes) fails with
  // "connection reset".
  void fail_operation(int n) { fail_at_ = n; }

  const std::vector<std::string>& mismatches() const { return mismatches_; }

  // Before TLS, the rest of the next step when it is a `send` (those bytes have "arrived"),
  // else 0: so a `send` right before an `expect` or a tls_ok is bytes already in flight.
  std::size_t available() override;
  const std::vector<std::string>& client_lines() const { return client_lines_; }
  bool script_done() const { return next_ >= script_.size(); }

  boost::asio::awaitable<void> connect(const boost::asio::ip::tcp::endpoint& endpoint,
                                       boost::system::error_code& ec) override;
  boost::asio::awaitable<std::size_t> read_some(std::span<char> into,
                                                boost::system::error_code& ec) override;
  boost::asio::awaitable<void> write(std::string_view bytes,
                                     boost::system::error_code& ec) override;
  SSL* tls_session() override;
  boost::asio::awaitable<void> handshake(boost::system::error_code& ec) override;
  void close() override { closed_ = true; }

  // For a server under test (scripted_client.hpp): whether the script's next step is bytes the
  // peer sends, and those bytes taken at once without a wait (0 when the next step is not a send).
  bool sends_next() const;
  std::size_t take_ready(std::span<char> into);

 private:
  bool fails_now(boost::system::error_code& ec);  // counts the operation
  const PeerStep* front() const;
  void time_out(boost::system::error_code& ec);

  std::vector<PeerStep> script_;
  std::size_t next_ = 0;
  std::size_t sent_ = 0;  // bytes of the front send step already read
  bool secure_ = false;   // a tls_ok step was passed (available() is then 0, as on a socket)
  ManualClock& clock_;
  int operations_ = 0;
  std::optional<int> fail_at_;
  bool closed_ = false;
  std::vector<std::string> mismatches_;
  std::vector<std::string> client_lines_;
  std::string partial_write_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace intransit::test
