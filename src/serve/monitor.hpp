// monitor.hpp — `serve`'s monitor: re-checks the monitored domains on a schedule (each domain's
// next check drawn from [0.9, 1.1] × the interval, so checks spread out instead of arriving
// together; at most a few at once), compares each new result with the one before
// (alert_rules.hpp), keeps every alert in the store and delivers it by webhook and by mail
// through a relay (alert_delivery.hpp), at most one delivery per domain per cooldown; alerts
// held back by the cooldown are kept and shown, marked so.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "serve/alert_rules.hpp"
#include "serve/checker.hpp"
#include "serve/metrics.hpp"
#include "serve/store.hpp"

namespace intransit::serve {

struct MonitorOptions {
  std::int64_t interval = 3600;  // seconds between a domain's checks
  int cert_days = 14;            // alert when a certificate expires within this many days
  std::int64_t cooldown = 3600;  // seconds: at most one delivery per domain in this time
  std::size_t parallel = 4;      // monitor checks at once
  std::string webhook;           // http(s) URL; empty: none
  std::string webhook_ca_file;   // trust anchors for an https webhook; empty: system store
  std::string mail_relay;        // HOST[:PORT] of an SMTP relay; empty: no mail
  std::string mail_from = "intransit@localhost";
  std::vector<std::string> mail_to;
  std::chrono::milliseconds tick{2000};  // how often the schedule is looked at
};

class Monitor {
 public:
  Monitor(boost::asio::any_io_executor executor, Checker& checker, Store& store, Metrics& metrics,
          MonitorOptions options);
  void start();
  void stop();
  void wake();  // a domain was added: look at the schedule now

 private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> check_one(std::string domain);
  std::vector<Alert> alerts_for(const std::string& domain,
                                const std::optional<StoredCheck>& previous,
                                const nlohmann::json& now_doc, std::int64_t now);
  boost::asio::awaitable<std::string> deliver(const nlohmann::json& payload,
                                              const std::string& subject, const std::string& text);
  std::int64_t next_time(std::int64_t now);

  boost::asio::any_io_executor executor_;
  Checker& checker_;
  Store& store_;
  Metrics& metrics_;
  MonitorOptions options_;
  boost::asio::steady_timer timer_;
  std::set<std::string> in_progress_;
  bool stopped_ = false;
};

}  // namespace intransit::serve
