// server.cpp — see server.hpp. One Session (session.hpp) per accepted connection, on the socket
// and a steady timer. Around the sessions: the pregreet memory (RELIABILITY item 39), accept() at
// the descriptor limit answered 421 from a spare descriptor with a back-off (item 56), an
// exception ending only its session (item 52), and a shutdown that records every open session
// (item 57).
#include "sink/server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <set>
#include <stdexcept>

#include "core/endpoint_text.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "sink/command.hpp"
#include "sink/coroutine_guard.hpp"
#include "sink/data_reader.hpp"
#include "sink/line_reader.hpp"
#include "sink/net_text.hpp"
#include "sink/read_line.hpp"
#include "sink/session.hpp"
#include "sink/test_certificate.hpp"

namespace intransit::sink {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;
using Clock = std::chrono::steady_clock;

namespace {

// Accepts any client certificate: the sink only records it (RFC 8446 §4.3.2 CertificateRequest
// is sent so clients with a certificate present it).
int accept_any_client_certificate(int /*preverified*/, X509_STORE_CTX* /*ctx*/) {
  return 1;
}

int open_spare_descriptor() {
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

}  // namespace

struct SinkServer::State final : SessionHost {
  State(asio::io_context& io_context, Store& s, SinkOptions o)
      : io(io_context),
        store_(s),
        options_(std::move(o)),
        spare_fd(open_spare_descriptor()),
        drain_deadline(io_context) {}
  ~State() override {
    if (spare_fd >= 0) ::close(spare_fd);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  asio::io_context& io;
  Store& store_;
  SinkOptions options_;
  std::vector<std::pair<SinkScenario, std::unique_ptr<tcp::acceptor>>> acceptors;
  std::map<SinkScenario, std::shared_ptr<asio::ssl::context>> contexts;
  std::size_t active = 0;
  bool stopped = false;
  // Item 56: a descriptor kept in reserve, given up for a moment to answer 421 at the limit.
  int spare_fd = -1;
  // Item 57: the sessions running now, and what to do once they have all ended.
  std::set<Session*> sessions;
  bool draining = false;
  std::function<void()> drained;
  asio::steady_timer drain_deadline;
  // Item 39: clients that passed the pregreet test lately are not made to wait again (as
  // postscreen_greet_ttl): a sender's later sessions, and a load test, run at full speed.
  std::map<asio::ip::address, Clock::time_point> greet_passed;

  // SessionHost
  Store& store() override { return store_; }
  const SinkOptions& options() const override { return options_; }
  asio::ssl::context& tls(SinkScenario scenario) override { return *contexts.at(scenario); }
  bool enter(Session* session) override {
    sessions.insert(session);
    return !draining;
  }
  void leave(Session* session) override { sessions.erase(session); }
  bool passed_greet_test(const asio::ip::address& client) const override {
    const auto it = greet_passed.find(client);
    return it != greet_passed.end() && Clock::now() - it->second < kGreetPassTtl;
  }
  void note_greet_passed(const asio::ip::address& client) override {
    if (greet_passed.size() >= kGreetPassEntries) greet_passed.clear();  // bounded; all retested
    greet_passed[client] = Clock::now();
  }
  static constexpr std::chrono::hours kGreetPassTtl{24};
  static constexpr std::size_t kGreetPassEntries = 100'000;

  void session_ended() {
    --active;
    if (draining && active == 0) finish_drain();
  }
  void finish_drain() {
    drain_deadline.cancel();
    if (auto done = std::exchange(drained, nullptr)) done();
  }

  bool under_stress() const { return active * 4 >= limits::kSinkConnections * 3; }
  std::chrono::seconds request_timeout() const override {
    return under_stress() ? std::min(limits::kSinkStressTimeout, options_.request_timeout)
                          : options_.request_timeout;
  }
};

namespace {

using StatePtr = std::shared_ptr<SinkServer::State>;

void configure_tls(asio::ssl::context& context, SinkScenario scenario, const SinkOptions& options) {
  SSL_CTX* ctx = context.native_handle();
  const CertificateFiles* files = nullptr;
  if (const auto it = options.scenario_certificates.find(scenario);
      it != options.scenario_certificates.end()) {
    files = &it->second;
  } else if (certificate_source(scenario) == CertificateSource::configured && options.certificate) {
    files = &*options.certificate;
  }
  if (files != nullptr) {
    if (SSL_CTX_use_certificate_chain_file(ctx, files->certificate.c_str()) != 1) {
      throw std::runtime_error("cannot load certificate chain " + files->certificate);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, files->key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
      throw std::runtime_error("cannot load private key " + files->key +
                               " (or it does not match the certificate)");
    }
  } else {
    const bool expired = certificate_source(scenario) == CertificateSource::expired;
    const auto made = expired ? make_self_signed(options.hostname, -400, -30)
                              : make_self_signed(options.hostname);
    SSL_CTX_use_certificate(ctx, made.certificate.get());
    SSL_CTX_use_PrivateKey(ctx, made.key.get());
  }
  if (scenario == SinkScenario::tls10_only) {
    // TLS 1.0 needs security level 0 in OpenSSL 3 (its PRF and signatures use SHA-1/MD5).
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_VERSION);
  } else {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_client_certificate);
}

// accept() failed for want of a descriptor or memory: the connection stays in the backlog, so
// accepting again at once fails again at once (a busy loop; item 56).
bool out_of_resources(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

// The classic spare-descriptor answer to EMFILE (libevent, Envoy): give up the spare, take one
// waiting connection off the backlog, tell it 421, close it, take the spare back; until the
// backlog is empty or no descriptor comes free. A client that is told 421 retries later; one
// left in the backlog hears nothing until it times out.
void refuse_backlog(SinkServer::State& state, tcp::acceptor& acceptor) {
  static constexpr std::string_view kNoDescriptors =
      "421 4.3.2 Service busy (out of descriptors), try again later\r\n";
  for (int i = 0; i < 64; ++i) {  // bounded: the loop must get back to the sessions
    if (state.spare_fd >= 0) ::close(state.spare_fd);
    const int fd =
        ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      (void)::send(fd, kNoDescriptors.data(), kNoDescriptors.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
    }
    state.spare_fd = open_spare_descriptor();
    if (fd < 0 || state.spare_fd < 0) return;
  }
}

awaitable<void> accept_loop(StatePtr state, SinkScenario scenario, tcp::acceptor* acceptor) {
  using namespace std::chrono_literals;
  constexpr Clock::duration kFirstBackOff = 10ms;
  constexpr Clock::duration kLongestBackOff = 1s;
  Clock::duration back_off = kFirstBackOff;
  asio::steady_timer pause(acceptor->get_executor());
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (state->stopped || ec == asio::error::operation_aborted) co_return;
      if (out_of_resources(ec)) refuse_backlog(*state, *acceptor);
      // Whatever the error, wait before the next accept, longer each time it fails again.
      pause.expires_after(back_off);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      back_off = std::min(back_off * 2, kLongestBackOff);
      continue;
    }
    back_off = kFirstBackOff;
    if (state->active >= limits::kSinkConnections) {
      // RELIABILITY item 42: over the cap, a clear 421 and nothing more.
      static constexpr std::string_view kBusy =
          "421 4.3.2 Too many connections, try again later\r\n";
      socket.write_some(asio::buffer(kBusy.data(), kBusy.size()), ec);
      socket.close(ec);
      continue;
    }
    auto session =
        std::make_shared<Session>(state, scenario, make_socket_server_transport(std::move(socket)),
                                  make_steady_deadline(acceptor->get_executor()));
    ++state->active;
    // Item 52: an exception ends this session only: logged, its row recorded, the sink goes on.
    asio::co_spawn(acceptor->get_executor(), session->run(),
                   [session, state](const std::exception_ptr& error) {
                     if (error) {
                       log_session_exception(error, "intransit sink: a session");
                       session->record_now("internal-error");
                     }
                     state->session_ended();
                   });
  }
}

}  // namespace

SinkServer::SinkServer(asio::io_context& io, Store& store, SinkOptions options,
                       const std::vector<Listener>& listeners)
    : state_(std::make_shared<State>(io, store, std::move(options))) {
  for (const auto& l : listeners) {
    if (!state_->contexts.contains(l.scenario)) {
      auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
      configure_tls(*context, l.scenario, state_->options_);
      state_->contexts[l.scenario] = std::move(context);
    }
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    boost::system::error_code ec;
    acceptor->open(l.endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(l.endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + net::format_endpoint(l.endpoint) + " for " +
                               std::string(to_string(l.scenario)) + ": " + ec.message());
    }
    state_->acceptors.emplace_back(l.scenario, std::move(acceptor));
  }
}

SinkServer::~SinkServer() {
  stop();
}

std::vector<Listener> SinkServer::bound() const {
  std::vector<Listener> out;
  for (const auto& [scenario, acceptor] : state_->acceptors) {
    boost::system::error_code ec;
    out.push_back({scenario, acceptor->local_endpoint(ec)});
  }
  return out;
}

void SinkServer::start() {
  for (auto& [scenario, acceptor] : state_->acceptors) {
    asio::co_spawn(state_->io, accept_loop(state_, scenario, acceptor.get()), asio::detached);
  }
}

void SinkServer::stop() {
  state_->stopped = true;
  for (auto& [scenario, acceptor] : state_->acceptors) {
    boost::system::error_code ec;
    acceptor->close(ec);
  }
}

void SinkServer::shutdown(std::function<void()> drained) {
  stop();
  auto& s = *state_;
  s.draining = true;
  s.drained = std::move(drained);
  const std::set<Session*> open = s.sessions;  // stop() may end a session's listing
  for (Session* session : open) session->stop();
  if (s.active == 0) {
    s.finish_drain();
    return;
  }
  s.drain_deadline.expires_after(s.options_.shutdown_grace);
  s.drain_deadline.async_wait([state = state_](const boost::system::error_code& ec) {
    if (ec || !state->drained) return;
    // Sessions that did not end in time (a reply the client does not read): their rows now.
    for (Session* session : state->sessions) session->record_now("shutdown");
    state->finish_drain();
  });
}

}  // namespace intransit::sink
