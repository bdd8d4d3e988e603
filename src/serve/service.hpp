// service.hpp — `serve` as one RequestHandler: the routes of the web pages, the JSON API
// (/api/v1, described by /api/v1/openapi.json), /metrics, /probe and /healthz, with the rules
// every request meets first: a per-client rate (cheap requests and those that start work are
// counted apart), admin routes behind a token, and a count and a latency for /metrics under a
// route template (never the raw path, so labels stay bounded).
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <chrono>
#include <memory>
#include <string>

#include "serve/checker.hpp"
#include "serve/client_limits.hpp"
#include "serve/http_server.hpp"
#include "serve/metrics.hpp"
#include "serve/store.hpp"
#include "trace/message.hpp"

namespace intransit::serve {

class Monitor;
}  // namespace intransit::serve
namespace intransit::tlsrpt {
class ReportStore;
}  // namespace intransit::tlsrpt
namespace intransit::serve {

struct ServiceOptions {
  std::string admin_token;                                // empty: the admin routes answer 403
  std::chrono::seconds sync_wait{30};                     // longest a request waits for its check
  double client_rate = 2, client_burst = 20;              // requests that start work, per client
  double client_page_rate = 50, client_page_burst = 200;  // every request, per client
  std::int64_t monitor_interval = 3600;  // seconds between a monitored domain's checks
  std::string generator = "intransit";   // version, for pages and the API
  trace::TrustOptions trust;             // for pasted headers
  std::string tlsrpt_store;              // POST /tlsrpt keeps reports here; empty: off
};

class Service : public RequestHandler {
 public:
  Service(ServiceOptions options, Checker& checker, Store& store, Metrics& metrics,
          Monitor* monitor);
  ~Service() override;
  boost::asio::awaitable<Response> handle(Request request, Client client) override;

  // The parts the route files share.
  struct Routed {
    std::string route;  // the template, for /metrics
    Response response;
  };

 private:
  boost::asio::awaitable<Routed> route(const Request& request, const Client& client);
  boost::asio::awaitable<Routed> api(const Request& request, const std::vector<std::string>& path,
                                     const Client& client);
  boost::asio::awaitable<Routed> page(const Request& request, const std::vector<std::string>& path,
                                      const Client& client);
  bool is_admin(const Request& request) const;
  bool allow_work(const Client& client);

  // API handlers (api_routes.cpp).
  boost::asio::awaitable<Response> api_check(const Request& request, const std::string& domain,
                                             const Client& client);
  boost::asio::awaitable<Response> api_job(const std::string& id, const Request& request);
  Response api_start_job(const Request& request, const Client& client);
  Response api_trace(const Request& request, const Client& client);
  Response api_domains(const Request& request, const std::vector<std::string>& path);
  Response api_alerts(const Request& request);
  boost::asio::awaitable<Response> probe_metrics(const Request& request, const Client& client);
  Response metrics_page();
  Response tlsrpt_post(const Request& request, const Client& client);  // tlsrpt_route.cpp

  // Pages (page_routes.cpp).
  Response home_page();
  boost::asio::awaitable<Response> check_page(const Request& request, const Client& client);
  Response trace_page(const Request& request, const Client& client);
  Response monitor_page(const Request& request);
  Response monitor_form(const Request& request);
  Response login(const Request& request);
  Response history_page(const Request& request, const std::string& domain);

  ServiceOptions options_;
  Checker& checker_;
  Store& store_;
  Metrics& metrics_;
  Monitor* monitor_;
  ClientLimits work_limits_, page_limits_;
  std::unique_ptr<tlsrpt::ReportStore> tlsrpt_store_;
};

// nlohmann JSON for a stored check: when it was measured, how long it took, the document.
nlohmann::json stored_check_json(const StoredCheck& check, bool cached);

}  // namespace intransit::serve
