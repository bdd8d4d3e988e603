// checker.hpp — checks as `serve` runs them: every audit is a job (an id a client can poll), one
// audit per domain at a time (a second request for a domain being audited joins the running
// job), recent results served from the store unless the caller asks for a fresh one, and at
// most `max_running` audits at once (beyond that start() refuses, and the request gets 429
// rather than a queue that grows without bound). Results are committed to the store before any
// waiter is woken.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/engine.hpp"
#include "serve/metrics.hpp"
#include "serve/store.hpp"

namespace intransit::serve {

struct CheckerOptions {
  std::chrono::seconds cache_ttl{3600};  // a stored result younger than this is reused
  std::size_t max_running = 16;          // audits at once
  std::size_t max_jobs = 4096;           // jobs remembered (finished ones are forgotten first)
};

enum class JobState : std::uint8_t { running, done, failed };
std::string_view to_string(JobState state);

struct JobView {
  std::string id;
  std::string domain;
  JobState state = JobState::running;
  bool cached = false;          // answered from the store, no new audit
  std::int64_t created_at = 0;  // seconds since the epoch
  std::optional<StoredCheck> result;
  std::string error;
};

class Checker {
 public:
  Checker(boost::asio::any_io_executor executor, check::Engine& engine, Store& store,
          Metrics& metrics, CheckerOptions options);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // The job for `domain` (normalised): a finished one from the store when fresh is false and a
  // young enough result is there, the one already running for it, or a new audit. nullopt when
  // max_running audits are running already.
  std::optional<std::string> start(const std::string& domain, bool fresh);
  // The job as it is after at most `wait` (sooner when it ends); nullopt for an unknown id.
  boost::asio::awaitable<std::optional<JobView>> wait(std::string id,
                                                      std::chrono::milliseconds wait);
  std::optional<JobView> job(const std::string& id) const;
  std::size_t running() const { return running_; }

 private:
  struct Job;
  boost::asio::awaitable<void> run(std::shared_ptr<Job> job);
  std::string remember(std::shared_ptr<Job> job);
  JobView view(const Job& job) const;

  boost::asio::any_io_executor executor_;
  check::Engine& engine_;
  Store& store_;
  Metrics& metrics_;
  CheckerOptions options_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> order_;  // job ids, oldest first
  std::map<std::string, std::string> running_by_domain_;
  std::size_t running_ = 0;
};

// Seconds since the epoch, now.
std::int64_t unix_now();

}  // namespace intransit::serve
