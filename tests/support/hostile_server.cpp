// hostile_server.cpp — see hostile_server.hpp. Each scenario is one short script; the server
// side of the dialogue follows RFC 5321 §4.1 and RFC 3207 §4 except where the scenario breaks it.
#include "sink/hostile_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>

#include "core/limits.hpp"
#include "sink/test_certificate.hpp"

namespace intransit::sink {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {

struct ScenarioName {
  HostileScenario scenario;
  std::string_view name;
};
constexpr std::array<ScenarioName, 22> kNames{{
    {HostileScenario::valid, "valid"},
    {HostileScenario::silent, "silent"},
    {HostileScenario::drip_banner, "drip-banner"},
    {HostileScenario::endless_multiline, "endless-multiline"},
    {HostileScenario::long_line, "long-line"},
    {HostileScenario::nul_banner, "nul-banner"},
    {HostileScenario::lf_only, "lf-only"},
    {HostileScenario::malformed_code, "malformed-code"},
    {HostileScenario::inconsistent_codes, "inconsistent-codes"},
    {HostileScenario::unsolicited_data, "unsolicited-data"},
    {HostileScenario::rate_limited, "rate-limited"},
    {HostileScenario::no_starttls, "no-starttls"},
    {HostileScenario::starttls_refused, "starttls-refused"},
    {HostileScenario::starttls_injection, "starttls-injection"},
    {HostileScenario::handshake_stall, "handshake-stall"},
    {HostileScenario::handshake_reset, "handshake-reset"},
    {HostileScenario::garbage_after_starttls, "garbage-after-starttls"},
    {HostileScenario::huge_chain, "huge-chain"},
    {HostileScenario::eof_mid_reply, "eof-mid-reply"},
    {HostileScenario::quit_ignored, "quit-ignored"},
    {HostileScenario::implicit_tls, "implicit-tls"},
    {HostileScenario::slow_banner, "slow-banner"},
}};

// One accepted connection: a line reader over a plain or TLS stream, and the scripts.
class Connection {
 public:
  Connection(tcp::socket socket, asio::ssl::context& tls, HostileScenario scenario,
             std::string name)
      : socket_(std::move(socket)),
        tls_context_(tls),
        scenario_(scenario),
        name_(std::move(name)) {}

  awaitable<void> run();

 private:
  template <class S>
  awaitable<bool> write(S& s, std::string_view data);
  template <class S>
  awaitable<std::optional<std::string>> read_line(S& s);
  awaitable<void> sleep(std::chrono::milliseconds d);
  awaitable<void> drain();  // read and ignore until the peer leaves
  awaitable<void> ready_then_read_client_hello();
  // Reads EHLO, answers it; reads a command and returns it (empty on EOF).
  template <class S>
  awaitable<bool> answer_ehlo(S& s, std::string_view reply);
  awaitable<void> starttls_then_tls_dialogue();
  awaitable<void> no_starttls_dialogue(std::string_view banner, std::string_view ehlo_reply,
                                       bool answer_quit);

  tcp::socket socket_;
  asio::ssl::context& tls_context_;
  HostileScenario scenario_;
  std::string name_;
  std::string buffer_;
};

template <class S>
awaitable<bool> Connection::write(S& s, std::string_view data) {
  boost::system::error_code ec;
  co_await asio::async_write(s, asio::buffer(data.data(), data.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

template <class S>
awaitable<std::optional<std::string>> Connection::read_line(S& s) {
  std::array<char, 1024> chunk{};
  for (;;) {
    const auto lf = buffer_.find('\n');
    if (lf != std::string::npos) {
      std::string line = buffer_.substr(0, lf);
      buffer_.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      co_return line;
    }
    if (buffer_.size() > limits::kSinkCommandLine) co_return std::nullopt;
    boost::system::error_code ec;
    const std::size_t n = co_await s.async_read_some(asio::buffer(chunk),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    buffer_.append(chunk.data(), n);
  }
}

awaitable<void> Connection::sleep(std::chrono::milliseconds d) {
  asio::steady_timer timer(socket_.get_executor(), d);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// The 220 to STARTTLS, then the first bytes of the client's handshake (so whatever the scenario
// sends next cannot arrive together with the 220).
awaitable<void> Connection::ready_then_read_client_hello() {
  co_await write(socket_, std::string_view("220 2.0.0 Ready to start TLS\r\n"));
  std::array<char, 512> hello{};
  boost::system::error_code ec;
  co_await socket_.async_read_some(asio::buffer(hello),
                                   asio::redirect_error(asio::use_awaitable, ec));
}

awaitable<void> Connection::drain() {
  std::array<char, 1024> chunk{};
  boost::system::error_code ec;
  while (!ec)
    co_await socket_.async_read_some(asio::buffer(chunk),
                                     asio::redirect_error(asio::use_awaitable, ec));
}

template <class S>
awaitable<bool> Connection::answer_ehlo(S& s, std::string_view reply) {
  const auto command = co_await read_line(s);
  if (!command) co_return false;
  const bool written = co_await write(s, reply);
  co_return written;
}

awaitable<void> Connection::no_starttls_dialogue(std::string_view banner,
                                                 std::string_view ehlo_reply, bool answer_quit) {
  const bool greeted = co_await write(socket_, banner);
  if (!greeted) co_return;
  const bool answered = co_await answer_ehlo(socket_, ehlo_reply);
  if (!answered) co_return;
  const auto quit = co_await read_line(socket_);
  if (quit && answer_quit) co_await write(socket_, std::string_view("221 2.0.0 bye\r\n"));
  if (!answer_quit) co_await drain();
}

// Banner, EHLO with STARTTLS, STARTTLS, then what the scenario does around the handshake.
awaitable<void> Connection::starttls_then_tls_dialogue() {
  const std::string banner = "220 " + name_ + " ESMTP hostile\r\n";
  const std::string ehlo = "250-" + name_ + "\r\n250-PIPELINING\r\n250 STARTTLS\r\n";
  if (scenario_ == HostileScenario::slow_banner) co_await sleep(std::chrono::seconds(1));
  const bool greeted = co_await write(socket_, banner);
  if (!greeted) co_return;
  const bool answered = co_await answer_ehlo(socket_, ehlo);
  if (!answered) co_return;
  const auto starttls = co_await read_line(socket_);
  if (!starttls) co_return;

  switch (scenario_) {
    case HostileScenario::starttls_refused:
      co_await write(socket_,
                     std::string_view("454 4.7.0 TLS not available due to local problem\r\n"));
      co_await read_line(socket_);
      co_await write(socket_, std::string_view("221 2.0.0 bye\r\n"));
      co_return;
    case HostileScenario::starttls_injection:
      // One write, so the forged lines travel in the same segment as the 220 (CVE-2011-0411).
      co_await write(
          socket_, std::string_view(
                       "220 2.0.0 Ready to start TLS\r\n250-FAKE injected\r\n250 AUTH PLAIN\r\n"));
      break;
    case HostileScenario::handshake_stall:
      co_await write(socket_, std::string_view("220 2.0.0 Ready to start TLS\r\n"));
      co_await drain();
      co_return;
    case HostileScenario::handshake_reset: {
      co_await ready_then_read_client_hello();
      boost::system::error_code ec;
      socket_.set_option(tcp::socket::linger(true, 0), ec);  // close with RST
      socket_.close(ec);
      co_return;
    }
    case HostileScenario::garbage_after_starttls:
      co_await ready_then_read_client_hello();
      co_await write(socket_,
                     std::string_view("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
      co_await drain();
      co_return;
    default: co_await write(socket_, std::string_view("220 2.0.0 Ready to start TLS\r\n"));
  }

  buffer_.clear();  // RFC 3207 §4.2: nothing from before the handshake carries over
  asio::ssl::stream<tcp::socket&> tls(socket_, tls_context_);
  boost::system::error_code ec;
  co_await tls.async_handshake(asio::ssl::stream_base::server,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  const bool answered_tls =
      co_await answer_ehlo(tls, "250-" + name_ + "\r\n250-PIPELINING\r\n250 REQUIRETLS\r\n");
  if (!answered_tls) co_return;
  const auto quit = co_await read_line(tls);
  if (quit) co_await write(tls, std::string_view("221 2.0.0 bye\r\n"));
}

awaitable<void> Connection::run() {
  const std::string banner = "220 " + name_ + " ESMTP hostile\r\n";
  const std::string plain_ehlo = "250-" + name_ + "\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
  switch (scenario_) {
    case HostileScenario::silent: co_await drain(); break;
    case HostileScenario::drip_banner:
      for (std::size_t i = 0;; ++i) {
        const std::string_view text = "220 slow.test ESMTP dripping one byte at a time ";
        const bool ok = co_await write(socket_, text.substr(i % text.size(), 1));
        if (!ok) break;
        co_await sleep(std::chrono::milliseconds(100));
      }
      break;
    case HostileScenario::endless_multiline: {
      const bool greeted = co_await write(socket_, banner);
      if (!greeted) break;
      const auto ehlo = co_await read_line(socket_);
      if (!ehlo) break;
      for (;;) {
        const bool ok =
            co_await write(socket_, std::string_view("250-XEXTENSION and more and more\r\n"));
        if (!ok) break;
      }
      break;
    }
    case HostileScenario::long_line: {
      const std::string chunk(64 * 1024, 'A');
      bool ok = co_await write(socket_, std::string_view("220 "));
      for (int i = 0; ok && i < 48; ++i) ok = co_await write(socket_, chunk);  // 3 MiB
      co_await drain();
      break;
    }
    case HostileScenario::nul_banner: {
      static constexpr char kBanner[] = "220 ho\0st \xff\xfe \x1b[31mred\x1b[0m ok\r\n";
      co_await no_starttls_dialogue(std::string_view(kBanner, sizeof kBanner - 1), plain_ehlo,
                                    true);
      break;
    }
    case HostileScenario::lf_only:
      co_await no_starttls_dialogue("220 " + name_ + " ESMTP lf\n",
                                    "250-" + name_ + "\n250 PIPELINING\n", true);
      break;
    case HostileScenario::malformed_code:
      co_await write(socket_, std::string_view("2500 "
                                               "bad code\r\n"));
      co_await drain();
      break;
    case HostileScenario::inconsistent_codes:
      co_await no_starttls_dialogue(banner, "252-" + name_ + "\r\n250 PIPELINING\r\n", true);
      break;
    case HostileScenario::unsolicited_data:
      co_await no_starttls_dialogue(banner + "250 2.0.0 unasked\r\n", plain_ehlo, true);
      break;
    case HostileScenario::rate_limited:
      co_await write(socket_, std::string_view("421 4.7.0 Too many connections, try later\r\n"));
      break;
    case HostileScenario::no_starttls:
      co_await no_starttls_dialogue(banner, plain_ehlo, true);
      break;
    case HostileScenario::quit_ignored:
      co_await no_starttls_dialogue(banner, plain_ehlo, false);
      break;
    case HostileScenario::eof_mid_reply: {
      const bool greeted = co_await write(socket_, banner);
      if (!greeted) break;
      const auto ehlo = co_await read_line(socket_);
      if (ehlo) co_await write(socket_, "250-" + name_ + "\r\n250-PIPEL");
      break;  // the socket closes here, mid-reply
    }
    case HostileScenario::implicit_tls: {
      asio::ssl::stream<tcp::socket&> tls(socket_, tls_context_);
      boost::system::error_code ec;
      co_await tls.async_handshake(asio::ssl::stream_base::server,
                                   asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const bool greeted = co_await write(tls, banner);
      if (!greeted) break;
      const bool answered =
          co_await answer_ehlo(tls, "250-" + name_ + "\r\n250-PIPELINING\r\n250 REQUIRETLS\r\n");
      if (!answered) break;
      const auto quit = co_await read_line(tls);
      if (quit) co_await write(tls, std::string_view("221 2.0.0 bye\r\n"));
      break;
    }
    case HostileScenario::valid:
    case HostileScenario::slow_banner:
    case HostileScenario::starttls_refused:
    case HostileScenario::starttls_injection:
    case HostileScenario::handshake_stall:
    case HostileScenario::handshake_reset:
    case HostileScenario::garbage_after_starttls:
    case HostileScenario::huge_chain: co_await starttls_then_tls_dialogue(); break;
  }
}

}  // namespace

std::string_view to_string(HostileScenario scenario) {
  return kNames[static_cast<std::size_t>(scenario)].name;
}

std::optional<HostileScenario> hostile_scenario_from_string(std::string_view name) {
  for (const auto& n : kNames) {
    if (n.name == name) return n.scenario;
  }
  return std::nullopt;
}

const std::vector<HostileScenario>& all_hostile_scenarios() {
  static const std::vector<HostileScenario> all = [] {
    std::vector<HostileScenario> v;
    for (const auto& n : kNames) v.push_back(n.scenario);
    return v;
  }();
  return all;
}

struct HostileServer::State {
  State(asio::io_context& io, const tcp::endpoint& endpoint, HostileScenario s, std::string n)
      : acceptor(io, endpoint),
        tls(asio::ssl::context::tls_server),
        scenario(s),
        name(std::move(n)) {}
  tcp::acceptor acceptor;
  asio::ssl::context tls;
  HostileScenario scenario;
  std::string name;
};

HostileServer::HostileServer(asio::io_context& io, const tcp::endpoint& endpoint,
                             HostileScenario scenario, std::string server_name)
    : state_(std::make_shared<State>(io, endpoint, scenario, std::move(server_name))) {
  SSL_CTX* ctx = state_->tls.native_handle();
  const auto cert = make_self_signed(state_->name);
  SSL_CTX_use_certificate(ctx, cert.certificate.get());
  SSL_CTX_use_PrivateKey(ctx, cert.key.get());
  if (scenario == HostileScenario::huge_chain) {
    // ~400 copies of the certificate as "intermediates": far over the 100 kB a client accepts.
    for (int i = 0; i < 400; ++i) SSL_CTX_add1_chain_cert(ctx, cert.certificate.get());
  }
}

HostileServer::~HostileServer() {
  boost::system::error_code ec;
  state_->acceptor.close(ec);
}

tcp::endpoint HostileServer::local_endpoint() const {
  return state_->acceptor.local_endpoint();
}

void HostileServer::start() {
  auto accept_loop = [](std::shared_ptr<State> state) -> awaitable<void> {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await state->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      auto connection =
          std::make_shared<Connection>(std::move(socket), state->tls, state->scenario, state->name);
      asio::co_spawn(
          state->acceptor.get_executor(),
          [](std::shared_ptr<Connection> c) -> awaitable<void> { co_await c->run(); }(connection),
          asio::detached);
    }
  };
  asio::co_spawn(state_->acceptor.get_executor(), accept_loop(state_), asio::detached);
}

}  // namespace intransit::sink
