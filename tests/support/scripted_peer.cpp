// scripted_peer.cpp — see scripted_peer.hpp.
#include "support/scripted_peer.hpp"

#include <boost/asio/error.hpp>

#include <algorithm>
#include <cstring>

namespace intransit::test {
namespace asio = boost::asio;
using Kind = PeerStep::Kind;

PeerStep expect(std::string line) {
  return {Kind::expect, std::move(line)};
}
PeerStep send(std::string bytes) {
  return {Kind::send, std::move(bytes)};
}
PeerStep stall() {
  return {Kind::stall, {}};
}
PeerStep eof() {
  return {Kind::eof, {}};
}
PeerStep tls_ok() {
  return {Kind::tls_ok, {}};
}
PeerStep tls_fail() {
  return {Kind::tls_fail, {}};
}

void ManualClock::arm(Clock::time_point when, std::function<void()> expired) {
  when_ = when;
  expired_ = std::move(expired);
}

bool ManualClock::expire() {
  if (!expired_) return false;
  now_ = std::max(now_, when_);
  auto run = std::exchange(expired_, nullptr);
  run();
  return true;
}

ScriptedPeer::ScriptedPeer(std::vector<PeerStep> script, ManualClock& clock)
    : script_(std::move(script)), clock_(clock) {}

ScriptedPeer::~ScriptedPeer() {
  SSL_free(ssl_);
  SSL_CTX_free(ctx_);
}

bool ScriptedPeer::fails_now(boost::system::error_code& ec) {
  ++operations_;
  if (fail_at_ && *fail_at_ == operations_) {
    ec = asio::error::connection_reset;
    return true;
  }
  if (closed_) {
    ec = asio::error::operation_aborted;  // closed by the client's watchdog
    return true;
  }
  return false;
}

const PeerStep* ScriptedPeer::front() const {
  return next_ < script_.size() ? &script_[next_] : nullptr;
}

// The client waits past its deadline: the clock moves there, the watchdog closes the transport.
void ScriptedPeer::time_out(boost::system::error_code& ec) {
  clock_.expire();
  ec = asio::error::operation_aborted;
}

asio::awaitable<void> ScriptedPeer::connect(const asio::ip::tcp::endpoint& /*endpoint*/,
                                            boost::system::error_code& ec) {
  fails_now(ec);  // the connection is there at once, unless this operation is made to fail
  co_return;
}

asio::awaitable<std::size_t> ScriptedPeer::read_some(std::span<char> into,
                                                     boost::system::error_code& ec) {
  if (fails_now(ec)) co_return 0;
  const PeerStep* step = front();
  if (step == nullptr || step->kind == Kind::eof) {
    ec = asio::error::eof;
    co_return 0;
  }
  if (step->kind == Kind::stall) {
    ++next_;
    time_out(ec);
    co_return 0;
  }
  if (step->kind != Kind::send) {  // the client waits where the script has it talk
    mismatches_.push_back("the client read where the script expects it to write or shake hands");
    time_out(ec);
    co_return 0;
  }
  co_return take_ready(into);
}

std::size_t ScriptedPeer::available() {
  return sends_next() && !secure_ ? front()->text.size() - sent_ : 0;
}

bool ScriptedPeer::sends_next() const {
  const PeerStep* step = front();
  return step != nullptr && step->kind == Kind::send && !closed_;
}

std::size_t ScriptedPeer::take_ready(std::span<char> into) {
  if (!sends_next()) return 0;
  const PeerStep* step = front();
  const std::size_t n = std::min(into.size(), step->text.size() - sent_);
  std::memcpy(into.data(), step->text.data() + sent_, n);
  sent_ += n;
  if (sent_ == step->text.size()) {
    sent_ = 0;
    ++next_;
  }
  return n;
}

asio::awaitable<void> ScriptedPeer::write(std::string_view bytes, boost::system::error_code& ec) {
  if (fails_now(ec)) co_return;
  partial_write_.append(bytes);
  for (auto crlf = partial_write_.find("\r\n"); crlf != std::string::npos;
       crlf = partial_write_.find("\r\n")) {
    std::string line = partial_write_.substr(0, crlf);
    partial_write_.erase(0, crlf + 2);
    client_lines_.push_back(line);
    const PeerStep* step = front();
    if (step == nullptr || step->kind != Kind::expect) {
      mismatches_.push_back("unexpected client line: " + line);
      continue;
    }
    if (step->text != line) mismatches_.push_back("expected " + step->text + ", got " + line);
    ++next_;
  }
}

SSL* ScriptedPeer::tls_session() {
  if (ssl_ == nullptr) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    ssl_ = SSL_new(ctx_);
  }
  return ssl_;
}

asio::awaitable<void> ScriptedPeer::handshake(boost::system::error_code& ec) {
  if (fails_now(ec)) co_return;
  const PeerStep* step = front();
  if (step != nullptr && step->kind == Kind::stall) {
    ++next_;
    time_out(ec);
    co_return;
  }
  if (step == nullptr || (step->kind != Kind::tls_ok && step->kind != Kind::tls_fail)) {
    mismatches_.push_back("unexpected TLS handshake");
    ec = asio::error::connection_reset;
    co_return;
  }
  ++next_;
  if (step->kind == Kind::tls_fail) ec = asio::error::connection_reset;
  secure_ = !ec;
}

}  // namespace intransit::test
