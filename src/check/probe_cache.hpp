// probe_cache.hpp — per-address results shared between the domains of one engine (issue 15,
// issue 16 "two phases with a shared cache"): each unique (MX address, port, server name, TLS
// mode, DANE inputs) is probed once and the result given to every domain whose MX uses it.
// Concurrent requests for a key in flight wait for that one probe. The cache holds addresses,
// not domains, and at most `capacity` finished entries (least recently used go first), so its
// memory does not grow with the population. A ProbeGate, when given, is asked before every
// connection: a scan's politeness (per-address concurrency, rate, global cap, opt-out list).
// Single-threaded: everything runs on the engine's one event-loop thread.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "smtp/probe.hpp"
#include "smtp/sweep.hpp"

namespace intransit::check {

// One address's probe, with its sweep when one was asked for and the main probe reached TLS.
struct ProbeReport {
  smtp::ProbeResult result;
  std::optional<smtp::SweepResult> sweep;
};

// Asked before every SMTP connection the engine opens. acquire() waits until the connection may
// start and says whether it may start at all (false: the address is excluded, nothing is sent);
// every acquire() that returned true is followed by exactly one release() for the same address,
// with the probe's outcome (a scan backs off a prefix that answers 421 or refuses connections).
// A probe answered rate-limited (421/4xx) is made again, through acquire(), at most
// rate_limit_retries() times; the last answer is the one reported.
class ProbeGate {
 public:
  virtual ~ProbeGate() = default;
  virtual boost::asio::awaitable<bool> acquire(boost::asio::ip::address address) = 0;
  virtual void release(boost::asio::ip::address address, ProbeOutcome outcome) = 0;
  virtual int rate_limit_retries() const { return 0; }
};

// What a probe of an excluded address reports: no connection was made.
smtp::ProbeResult excluded_probe(const boost::asio::ip::tcp::endpoint& endpoint,
                                 std::string server_name);

// What a probe of a special-purpose address (check/address_policy.hpp) reports when they are
// not allowed: outcome not-permitted, the address and its range in `detail`, no connection made.
smtp::ProbeResult not_permitted_probe(const boost::asio::ip::tcp::endpoint& endpoint,
                                      std::string server_name, std::string_view range);

class ProbeCache {
 public:
  using Run = std::function<boost::asio::awaitable<ProbeReport>()>;

  ProbeCache(const boost::asio::any_io_executor& executor, std::size_t capacity);

  // The report for `key`: from the cache, from the probe in flight for it, or from `run()`
  // started now (and then kept). `run` is a named object of the caller's: GCC 12 frees a
  // std::function made from a lambda for a coroutine parameter by value twice.
  boost::asio::awaitable<std::shared_ptr<const ProbeReport>> get(std::string key, const Run& run);

  // The key of a probe: everything that can change its result within one engine.
  static std::string key(const smtp::ProbeOptions& options, bool sweep);

  // Called when a request starts waiting for a probe another request runs, and when it stops:
  // the engine gives the waiter's audit slot to the next domain meanwhile, so the domains of
  // one slow server (a tarpit) do not hold the slots the other domains need.
  void on_wait(std::function<void()> parked, std::function<void()> unparked) {
    parked_ = std::move(parked);
    unparked_ = std::move(unparked);
  }

  std::size_t probes_run() const { return probes_run_; }  // run() calls: connections made
  std::size_t shared() const { return shared_; }          // answers from cache or in flight
  std::size_t size() const { return lru_.size(); }

 private:
  struct InFlight;
  using Lru = std::list<std::pair<std::string, std::shared_ptr<const ProbeReport>>>;
  void keep(const std::string& key, std::shared_ptr<const ProbeReport> report);

  boost::asio::any_io_executor executor_;
  std::size_t capacity_;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, Lru::iterator> done_;
  std::unordered_map<std::string, std::shared_ptr<InFlight>> in_flight_;
  std::size_t probes_run_ = 0;
  std::size_t shared_ = 0;
  std::function<void()> parked_;
  std::function<void()> unparked_;
};

// One probe (and its sweep, with `sweep`, sharing its deadline), let through `gate` when given.
// Without `allow_private`, a special-purpose address is not connected to (not_permitted_probe),
// decided before the gate is asked.
boost::asio::awaitable<ProbeReport> run_probe(smtp::ProbeOptions options, bool sweep,
                                              ProbeGate* gate, bool allow_private = true);

// run_probe through `cache` when given: the probe of a key already probed or in flight is not
// made again.
boost::asio::awaitable<ProbeReport> probe_shared(smtp::ProbeOptions options, bool sweep,
                                                 ProbeCache* cache, ProbeGate* gate,
                                                 bool allow_private = true);

}  // namespace intransit::check
