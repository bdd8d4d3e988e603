// hostile_server.cpp — see hostile_server.hpp. Each connection runs its scenario's script
// (hostile_script.hpp) step by step over a plain stream that may turn into TLS (RFC 3207 §4).
#include "support/hostile_server.hpp"

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
#include "sink/read_line.hpp"
#include "sink/test_certificate.hpp"
#include "support/hostile_script.hpp"

namespace intransit::test {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {

// `text` with every "{name}" replaced by `name`.
std::string expand(std::string_view text, const std::string& name) {
  static constexpr std::string_view kPlaceholder = "{name}";
  std::string out;
  for (;;) {
    const auto at = text.find(kPlaceholder);
    out.append(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    out += name;
    text.remove_prefix(at + kPlaceholder.size());
  }
}

// One accepted connection: its script's steps over the socket, or over TLS once started.
class Connection {
 public:
  Connection(tcp::socket socket, asio::ssl::context& tls, const Script& script, std::string name)
      : socket_(std::move(socket)), tls_context_(tls), script_(script), name_(std::move(name)) {}

  awaitable<void> run();

 private:
  awaitable<bool> perform(const Step& step);  // false: the script ends here
  awaitable<bool> write(std::string_view data);
  awaitable<bool> read_line();
  awaitable<std::size_t> read_some(asio::mutable_buffer b, boost::system::error_code& ec);
  awaitable<bool> read_raw();
  awaitable<void> sleep(std::chrono::milliseconds d);
  awaitable<bool> drain();
  awaitable<bool> drip_forever(std::string_view text, std::chrono::milliseconds pause);
  awaitable<bool> write_forever(std::string_view text);
  awaitable<bool> write_repeated(int chunks);
  awaitable<bool> tls_handshake();
  bool reset();

  tcp::socket socket_;
  asio::ssl::context& tls_context_;
  const Script& script_;
  std::string name_;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
  sink::LineReader lines_{limits::kSinkCommandLine, sink::OverLong::stop};
};

awaitable<void> Connection::run() {
  for (const Step& step : script_.steps) {
    const bool go_on = co_await perform(step);
    if (!go_on) break;
  }
}

awaitable<bool> Connection::perform(const Step& step) {
  switch (step.op) {
    case Op::write: co_return co_await write(expand(step.text, name_));
    case Op::read_line: co_return co_await read_line();
    case Op::read_raw: co_return co_await read_raw();
    case Op::sleep: co_await sleep(std::chrono::milliseconds(step.count)); co_return true;
    case Op::drain: co_return co_await drain();
    case Op::drip_forever:
      co_return co_await drip_forever(step.text, std::chrono::milliseconds(step.count));
    case Op::write_forever: co_return co_await write_forever(step.text);
    case Op::write_repeated: co_return co_await write_repeated(step.count);
    case Op::tls_handshake: co_return co_await tls_handshake();
    case Op::reset: co_return reset();
  }
  co_return false;
}

awaitable<bool> Connection::write(std::string_view data) {
  boost::system::error_code ec;
  const auto buffer = asio::buffer(data.data(), data.size());
  if (tls_) {
    co_await asio::async_write(*tls_, buffer, asio::redirect_error(asio::use_awaitable, ec));
  } else {
    co_await asio::async_write(socket_, buffer, asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return !ec;
}

// One command line; false on EOF or a line over the sink's command-line limit.
awaitable<bool> Connection::read_line() {
  std::string line;
  const auto status = co_await sink::read_line(
      lines_, line,
      [this](asio::mutable_buffer b, boost::system::error_code& ec) { return read_some(b, ec); });
  co_return status == sink::LineStatus::line;
}

awaitable<std::size_t> Connection::read_some(asio::mutable_buffer b,
                                             boost::system::error_code& ec) {
  if (tls_)
    co_return co_await tls_->async_read_some(b, asio::redirect_error(asio::use_awaitable, ec));
  co_return co_await socket_.async_read_some(b, asio::redirect_error(asio::use_awaitable, ec));
}

awaitable<bool> Connection::read_raw() {
  std::array<char, 512> bytes{};
  boost::system::error_code ec;
  co_await socket_.async_read_some(asio::buffer(bytes),
                                   asio::redirect_error(asio::use_awaitable, ec));
  co_return true;  // what comes next does not depend on it
}

awaitable<void> Connection::sleep(std::chrono::milliseconds d) {
  asio::steady_timer timer(socket_.get_executor(), d);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

awaitable<bool> Connection::drain() {
  std::array<char, 1024> chunk{};
  boost::system::error_code ec;
  while (!ec)
    co_await socket_.async_read_some(asio::buffer(chunk),
                                     asio::redirect_error(asio::use_awaitable, ec));
  co_return false;
}

awaitable<bool> Connection::drip_forever(std::string_view text, std::chrono::milliseconds pause) {
  for (std::size_t i = 0;; ++i) {
    const bool ok = co_await write(text.substr(i % text.size(), 1));
    if (!ok) co_return false;
    co_await sleep(pause);
  }
}

awaitable<bool> Connection::write_forever(std::string_view text) {
  for (;;) {
    const bool ok = co_await write(text);
    if (!ok) co_return false;
  }
}

awaitable<bool> Connection::write_repeated(int chunks) {
  const std::string chunk(64 * 1024, 'A');
  for (int i = 0; i < chunks; ++i) {
    const bool ok = co_await write(chunk);
    if (!ok) break;
  }
  co_return true;
}

awaitable<bool> Connection::tls_handshake() {
  lines_.clear();  // RFC 3207 §4.2: nothing from before the handshake carries over
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, tls_context_);
  boost::system::error_code ec;
  co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                 asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

bool Connection::reset() {
  boost::system::error_code ec;
  socket_.set_option(tcp::socket::linger(true, 0), ec);  // close with RST
  socket_.close(ec);
  return false;
}

}  // namespace

std::string_view to_string(HostileScenario scenario) {
  return script_of(scenario).name;
}

std::optional<HostileScenario> hostile_scenario_from_string(std::string_view name) {
  for (const auto& s : scripts()) {
    if (s.name == name) return s.scenario;
  }
  return std::nullopt;
}

const std::vector<HostileScenario>& all_hostile_scenarios() {
  static const std::vector<HostileScenario> all = [] {
    std::vector<HostileScenario> v;
    for (const auto& s : scripts()) v.push_back(s.scenario);
    return v;
  }();
  return all;
}

struct HostileServer::State {
  State(asio::io_context& io, const tcp::endpoint& endpoint, HostileScenario s, std::string n)
      : acceptor(io, endpoint),
        tls(asio::ssl::context::tls_server),
        script(script_of(s)),
        name(std::move(n)) {}
  tcp::acceptor acceptor;
  asio::ssl::context tls;
  const Script& script;
  std::string name;
};

HostileServer::HostileServer(asio::io_context& io, const tcp::endpoint& endpoint,
                             HostileScenario scenario, std::string server_name)
    : state_(std::make_shared<State>(io, endpoint, scenario, std::move(server_name))) {
  SSL_CTX* ctx = state_->tls.native_handle();
  const auto cert = sink::make_self_signed(state_->name);
  SSL_CTX_use_certificate(ctx, cert.certificate.get());
  SSL_CTX_use_PrivateKey(ctx, cert.key.get());
  if (state_->script.huge_chain) {
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
          std::make_shared<Connection>(std::move(socket), state->tls, state->script, state->name);
      asio::co_spawn(
          state->acceptor.get_executor(),
          [](std::shared_ptr<Connection> c) -> awaitable<void> { co_await c->run(); }(connection),
          asio::detached);
    }
  };
  asio::co_spawn(state_->acceptor.get_executor(), accept_loop(state_), asio::detached);
}

}  // namespace intransit::test
