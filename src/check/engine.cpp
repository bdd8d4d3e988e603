// engine.cpp — see engine.hpp.
#include "check/engine.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "check/wkd_get.hpp"
#include "tls/client_context.hpp"
#include "tls/trust_store.hpp"

namespace intransit::check {
namespace asio = boost::asio;

std::unique_ptr<Engine> Engine::create(const asio::any_io_executor& executor, EngineOptions options,
                                       std::string& error) {
  // Trust anchors load once for every probe: the system store alone costs more than a handshake.
  auto trust = tls::TrustStore::load(options.ca_file, error);
  if (!trust) return nullptr;
  auto resolver = dns::Resolver::create(executor, options.dns, error);
  if (!resolver) return nullptr;
  AuditOptions audit;
  audit.resolver = resolver.get();
  audit.trust = std::move(trust);
  audit.tls_context = tls::make_client_context(tls::TlsOffer{});
  audit.helo_name = options.helo_name;
  audit.deadlines = options.deadlines;
  audit.smtp_port = options.smtp_port;
  audit.https_port = options.https_port;
  audit.sweep = options.sweep;
  audit.allow_private = options.allow_private;
  return std::unique_ptr<Engine>(
      new Engine(std::move(options), std::move(resolver), std::move(audit), executor));
}

Engine::Engine(EngineOptions options, std::unique_ptr<dns::Resolver> resolver, AuditOptions audit,
               const asio::any_io_executor& executor)
    : options_(std::move(options)),
      resolver_(std::move(resolver)),
      audit_options_(std::move(audit)),
      executor_(executor),
      network_checked_(executor) {
  audit_options_.resolver = resolver_.get();
  if (options_.probe_cache_entries > 0) {
    probe_cache_ = std::make_unique<ProbeCache>(executor, options_.probe_cache_entries);
    probe_cache_->on_wait(
        [this] {
          ++parked_;
          free_slot();
          if (on_park_) on_park_();
        },
        [this] {
          --parked_;
          ++audits_in_flight_;  // back to work at once: it only has its verdict left to draw
        });
  }
  audit_options_.cache = probe_cache_.get();
  audit_options_.gate = options_.gate.get();
  network_checked_.expires_at(asio::steady_timer::time_point::max());
}

struct Engine::SlotWaiter {
  explicit SlotWaiter(const asio::any_io_executor& ex) : woken(ex) {
    woken.expires_at(asio::steady_timer::time_point::max());
  }
  asio::steady_timer woken;
  bool granted = false;
};

asio::awaitable<void> Engine::take_slot() {
  if (slot_line_.empty() &&
      audits_in_flight_ < std::max<std::size_t>(options_.max_audits_in_flight, 1)) {
    ++audits_in_flight_;
    co_return;
  }
  SlotWaiter me(executor_);
  slot_line_.push_back(&me);
  while (!me.granted) {  // free_slot() hands the slot over: the count is already ours
    boost::system::error_code ec;
    co_await me.woken.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void Engine::free_slot() {
  if (slot_line_.empty() ||
      audits_in_flight_ > std::max<std::size_t>(options_.max_audits_in_flight, 1)) {
    if (audits_in_flight_ > 0) --audits_in_flight_;
    return;
  }
  SlotWaiter* next = slot_line_.front();
  slot_line_.pop_front();
  next->granted = true;
  next->woken.cancel();
}

Engine::~Engine() = default;

asio::awaitable<void> Engine::check_network_once() {
  while (network_ == Network::checking) {  // another audit asked first: wait for its answer
    boost::system::error_code ec;
    co_await network_checked_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (network_ != Network::unchecked) co_return;
  network_ = Network::checking;
  auto problem = co_await network_problem(*resolver_);
  network_ = problem ? Network::silent : Network::answers;
  if (problem) network_problem_ = std::move(*problem);
  network_checked_.cancel();
}

asio::awaitable<DomainReport> Engine::audit(std::string domain, std::vector<std::string> locals) {
  DomainReport report = co_await audit_only(std::move(domain));
  for (const auto& local : locals) {
    AddressKeys found = co_await keys(local + "@" + report.facts.domain);
    report.keys.push_back(std::move(found));
  }
  co_return report;
}

asio::awaitable<DomainReport> Engine::audit_only(std::string domain) {
  co_await check_network_once();
  if (network_ == Network::silent) {
    DomainReport offline;
    mark_no_network(std::move(domain), network_problem_, offline.facts);
    offline.assessment = assess(offline.facts);
    co_return offline;
  }
  co_await take_slot();  // a counting gate on the one event-loop thread, first come first served
  DomainReport report;
  try {
    co_await audit_domain(std::move(domain), audit_options_, report.facts);
  } catch (...) {
    free_slot();
    throw;
  }
  free_slot();
  report.assessment = assess(report.facts);
  co_return report;
}

asio::awaitable<AddressKeys> Engine::keys(std::string address) {
  HttpsRequest base;
  base.trust = audit_options_.trust;
  base.port = options_.https_port;
  base.allow_private = options_.allow_private;
  dns::Resolver& resolver = *resolver_;
  // Not a coroutine itself: it hands back wkd_get's, whose parameters are copies.
  WkdGet get = [&resolver, base](std::string host, std::string target, std::size_t max_body) {
    return wkd_get(resolver, std::move(host), std::move(target), max_body, base);
  };
  AddressKeys result = co_await audit_keys(*resolver_, std::move(get), std::move(address));
  co_return result;
}

asio::awaitable<ProbeReport> Engine::probe(asio::ip::tcp::endpoint endpoint,
                                           std::string server_name, smtp::TlsMode mode,
                                           smtp::Protocol protocol) {
  smtp::ProbeOptions options;
  options.endpoint = endpoint;
  options.server_name = std::move(server_name);
  options.helo_name = audit_options_.helo_name;
  options.ca_file = options_.ca_file;
  options.trust = audit_options_.trust;
  options.tls_context = audit_options_.tls_context;
  options.mode = mode;
  options.protocol = protocol;
  options.deadlines = audit_options_.deadlines;
  co_return co_await run_probe(std::move(options), options_.sweep, options_.gate.get(),
                               options_.allow_private);
}

asio::awaitable<PolicyFetch> Engine::fetch_policy(std::string domain, AddressFamily family) {
  FetchOptions fetch;
  fetch.trust = audit_options_.trust;
  fetch.port = audit_options_.https_port;
  fetch.allow_private = audit_options_.allow_private;
  fetch.family = family;
  co_return co_await fetch_sts_policy(*resolver_, std::move(domain), fetch);
}

asio::awaitable<HostAddresses> Engine::addresses(std::string host) {
  co_return co_await lookup_addresses(*resolver_, std::move(host));
}

asio::awaitable<dns::Answer> Engine::lookup(std::string name, dns::RrType type) {
  dns::Answer answer = co_await resolver_->lookup(std::move(name), type);
  co_return answer;
}

asio::awaitable<HttpsFetch> Engine::fetch(HttpsRequest request) {
  request.trust = audit_options_.trust;
  request.allow_private = options_.allow_private;
  if (request.tls && !request.port_from_url) request.port = options_.https_port;
  HttpsFetch fetched = co_await https_get(*resolver_, std::move(request));
  co_return fetched;
}

}  // namespace intransit::check
