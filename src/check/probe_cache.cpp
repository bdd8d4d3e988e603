// probe_cache.cpp — see probe_cache.hpp.
#include "check/probe_cache.hpp"

#include "check/address_policy.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>

namespace intransit::check {
namespace asio = boost::asio;

// A probe under way: the waiters sleep on `woken` until `report` is set.
struct ProbeCache::InFlight {
  explicit InFlight(const asio::any_io_executor& ex) : woken(ex) {
    woken.expires_at(asio::steady_timer::time_point::max());
  }
  asio::steady_timer woken;
  std::shared_ptr<const ProbeReport> report;
};

smtp::ProbeResult excluded_probe(const asio::ip::tcp::endpoint& endpoint, std::string server_name) {
  smtp::ProbeResult r;
  const auto ip = endpoint.address();
  r.address = (ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string()) + ":" +
              std::to_string(endpoint.port());
  r.server_name = std::move(server_name);
  r.outcome = ProbeOutcome::connect_failed;
  r.phase = smtp::Phase::connect;
  r.detail = "not probed: the address is on the scan's exclude list";
  return r;
}

smtp::ProbeResult not_permitted_probe(const asio::ip::tcp::endpoint& endpoint,
                                      std::string server_name, std::string_view range) {
  smtp::ProbeResult r = excluded_probe(endpoint, std::move(server_name));
  r.outcome = ProbeOutcome::not_permitted;
  r.detail = "not probed: " + endpoint.address().to_string() + " is " + std::string(range) +
             "; this service does not connect to special-purpose addresses";
  return r;
}

ProbeCache::ProbeCache(const asio::any_io_executor& executor, std::size_t capacity)
    : executor_(executor), capacity_(std::max<std::size_t>(capacity, 1)) {}

std::string ProbeCache::key(const smtp::ProbeOptions& o, bool sweep) {
  std::string k = o.endpoint.address().to_string() + " " + std::to_string(o.endpoint.port()) + " " +
                  o.server_name + (o.mode == smtp::TlsMode::implicit ? " tls" : " starttls") +
                  (sweep ? " sweep" : "");
  if (o.protocol != smtp::Protocol::smtp) k += " " + std::string(protocol_name(o.protocol, o.mode));
  if (!o.tlsa.empty()) {  // DANE changes the handshake's verification: part of the key
    k += " dane " + o.tlsa_base;
    for (const auto& t : o.tlsa) k += " " + t.to_string();
    for (const auto& n : o.tlsa_names) k += " name " + n;
  }
  return k;
}

void ProbeCache::keep(const std::string& key, std::shared_ptr<const ProbeReport> report) {
  lru_.emplace_front(key, std::move(report));
  done_[key] = lru_.begin();
  while (lru_.size() > capacity_) {
    done_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

asio::awaitable<std::shared_ptr<const ProbeReport>> ProbeCache::get(std::string key,
                                                                    const Run& run) {
  if (const auto hit = done_.find(key); hit != done_.end()) {
    lru_.splice(lru_.begin(), lru_, hit->second);  // most recently used first
    ++shared_;
    co_return hit->second->second;
  }
  if (const auto running = in_flight_.find(key); running != in_flight_.end()) {
    const std::shared_ptr<InFlight> wait = running->second;  // outlives its map entry
    ++shared_;
    const bool park = !wait->report && parked_ && unparked_;
    if (park) parked_();
    while (!wait->report) {
      boost::system::error_code ec;
      co_await wait->woken.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (park) unparked_();
    co_return wait->report;
  }
  auto mine = std::make_shared<InFlight>(executor_);
  in_flight_.emplace(key, mine);
  ++probes_run_;
  std::exception_ptr failed;
  try {
    mine->report = std::make_shared<const ProbeReport>(co_await run());
  } catch (...) {  // never leave the waiters asleep
    failed = std::current_exception();
  }
  in_flight_.erase(key);
  if (failed) {
    auto lost = std::make_shared<ProbeReport>();
    lost->result.outcome = ProbeOutcome::protocol_error;
    lost->result.detail = "the probe ended with an internal error";
    mine->report = std::move(lost);
    mine->woken.cancel();
    std::rethrow_exception(failed);
  }
  keep(key, mine->report);
  mine->woken.cancel();
  co_return mine->report;
}

asio::awaitable<ProbeReport> run_probe(smtp::ProbeOptions options, bool sweep, ProbeGate* gate,
                                       bool allow_private) {
  const auto ip = options.endpoint.address();
  if (!allow_private) {
    if (const auto range = special_purpose_range(ip)) {
      co_return ProbeReport{not_permitted_probe(options.endpoint, options.server_name, *range), {}};
    }
  }
  const int retries = gate != nullptr ? std::max(gate->rate_limit_retries(), 0) : 0;
  ProbeReport report;
  for (int attempt = 0;; ++attempt) {
    if (gate != nullptr) {
      const bool allowed = co_await gate->acquire(ip);  // waits out the prefix's back-off
      if (!allowed) {
        if (attempt == 0) {
          co_return ProbeReport{excluded_probe(options.endpoint, options.server_name), {}};
        }
        break;  // no retry after all: the last answer stands
      }
    }
    const auto deadline =
        std::chrono::steady_clock::now() + options.deadlines.total;  // sweep included
    report = ProbeReport{};
    report.result = co_await smtp::probe(options);
    if (sweep && report.result.outcome == ProbeOutcome::ok && report.result.tls) {
      smtp::ProbeOptions sweep_options = options;
      sweep_options.tlsa.clear();
      report.sweep.emplace();
      co_await smtp::sweep(std::move(sweep_options), *report.sweep, deadline);
    }
    if (gate != nullptr) gate->release(ip, report.result.outcome);
    if (report.result.outcome != ProbeOutcome::rate_limited || attempt >= retries) break;
  }
  co_return report;
}

namespace {
// The cache's Run: a plain lambda that starts this coroutine, whose parameters live in its frame.
asio::awaitable<ProbeReport> run_probe_copy(smtp::ProbeOptions options, bool sweep, ProbeGate* gate,
                                            bool allow_private) {
  co_return co_await run_probe(std::move(options), sweep, gate, allow_private);
}
}  // namespace

asio::awaitable<ProbeReport> probe_shared(smtp::ProbeOptions options, bool sweep, ProbeCache* cache,
                                          ProbeGate* gate, bool allow_private) {
  if (cache == nullptr)
    co_return co_await run_probe(std::move(options), sweep, gate, allow_private);
  std::string key = ProbeCache::key(options, sweep);
  const ProbeCache::Run run = [&options, sweep, gate, allow_private] {
    return run_probe_copy(options, sweep, gate, allow_private);
  };
  const auto report = co_await cache->get(std::move(key), run);
  co_return *report;
}

}  // namespace intransit::check
