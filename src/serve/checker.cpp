// checker.cpp — see checker.hpp.
#include "serve/checker.hpp"

#include <openssl/rand.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <iostream>

#include "core/text.hpp"
#include "report/check_report.hpp"

namespace intransit::serve {
namespace asio = boost::asio;

struct Checker::Job {
  std::string id, domain;
  JobState state = JobState::running;
  bool cached = false;
  std::int64_t created_at = 0;
  std::int64_t check_id = 0;
  std::string error;
  std::vector<asio::steady_timer*> waiters;  // woken when the job ends
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::running: return "running";
    case JobState::done: return "done";
    case JobState::failed: return "failed";
  }
  return "failed";
}

namespace {

std::string new_job_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (const unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

}  // namespace

Checker::Checker(asio::any_io_executor executor, check::Engine& engine, Store& store,
                 Metrics& metrics, CheckerOptions options)
    : executor_(std::move(executor)),
      engine_(engine),
      store_(store),
      metrics_(metrics),
      options_(options) {}

Checker::~Checker() = default;

std::string Checker::remember(std::shared_ptr<Job> job) {
  job->id = new_job_id();
  job->created_at = unix_now();
  const std::string id = job->id;
  jobs_[id] = std::move(job);
  order_.push_back(id);
  // Forget the oldest finished jobs beyond the bound (running ones stay: their waiters need them).
  for (auto it = order_.begin(); jobs_.size() > options_.max_jobs && it != order_.end();) {
    const auto j = jobs_.find(*it);
    if (j == jobs_.end() || j->second->state != JobState::running) {
      if (j != jobs_.end()) jobs_.erase(j);
      it = order_.erase(it);
    } else {
      ++it;
    }
  }
  return id;
}

std::optional<std::string> Checker::start(const std::string& domain, bool fresh) {
  if (!fresh) {
    if (auto latest = store_.latest_check(domain);
        latest && unix_now() - latest->measured_at < options_.cache_ttl.count()) {
      auto job = std::make_shared<Job>();
      job->domain = domain;
      job->state = JobState::done;
      job->cached = true;
      job->check_id = latest->id;
      return remember(std::move(job));
    }
  }
  if (const auto r = running_by_domain_.find(domain); r != running_by_domain_.end())
    return r->second;
  if (running_ >= options_.max_running) return std::nullopt;
  auto job = std::make_shared<Job>();
  job->domain = domain;
  const std::string id = remember(job);
  running_by_domain_[domain] = id;
  ++running_;
  asio::co_spawn(executor_, run(job), [](const std::exception_ptr& e) {
    if (e) std::cerr << "intransit serve: a check job ended by an internal error\n";
  });
  return id;
}

asio::awaitable<void> Checker::run(std::shared_ptr<Job> job) {
  const auto started = std::chrono::steady_clock::now();
  try {
    const check::DomainReport report = co_await engine_.audit(job->domain);
    const nlohmann::json doc = report::check_to_json(report.facts, report.assessment);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string verdict = doc.value("verdict", std::string("untested"));
    job->check_id = store_.add_check(job->domain, unix_now(), verdict,
                                     static_cast<std::int64_t>(seconds * 1000), doc);
    job->state = JobState::done;
    metrics_.count_check(verdict, seconds);
  } catch (const std::exception& e) {
    job->state = JobState::failed;
    job->error = text::printable(e.what());
    metrics_.count_check(
        "error", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  --running_;
  running_by_domain_.erase(job->domain);
  for (auto* t : job->waiters) t->cancel();
  job->waiters.clear();
}

JobView Checker::view(const Job& job) const {
  JobView v;
  v.id = job.id;
  v.domain = job.domain;
  v.state = job.state;
  v.cached = job.cached;
  v.created_at = job.created_at;
  v.error = job.error;
  if (job.state == JobState::done) v.result = store_.check_by_id(job.check_id);
  return v;
}

std::optional<JobView> Checker::job(const std::string& id) const {
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return view(*it->second);
}

asio::awaitable<std::optional<JobView>> Checker::wait(std::string id,
                                                      std::chrono::milliseconds wait) {
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) co_return std::nullopt;
  const std::shared_ptr<Job> job = it->second;
  if (job->state == JobState::running && wait.count() > 0) {
    asio::steady_timer timer(executor_, wait);
    job->waiters.push_back(&timer);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(job->waiters, &timer);
  }
  co_return view(*job);
}

}  // namespace intransit::serve
