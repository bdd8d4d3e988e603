// api_routes.cpp — the JSON API under /api/v1 (described by docs/schema/serve-openapi.json, served
// at /api/v1/openapi.json), /metrics and /probe. Errors are application/problem+json (RFC 9457).
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange

#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "check/audit.hpp"
#include "report/json_text.hpp"
#include "report/prometheus_output.hpp"
#include "report/trace_report.hpp"
#include "serve/monitor.hpp"
#include "serve/openapi.hpp"
#include "serve/service.hpp"

namespace intransit::serve {
namespace asio = boost::asio;

namespace {

nlohmann::json job_json(const JobView& job) {
  nlohmann::json j = {{"id", job.id},
                      {"domain", job.domain},
                      {"status", std::string(to_string(job.state))},
                      {"cached", job.cached},
                      {"created_at", job.created_at},
                      {"href", "/api/v1/jobs/" + job.id},
                      {"result", nullptr}};
  if (job.result) j["result"] = stored_check_json(*job.result, job.cached);
  if (job.state == JobState::failed) j["error"] = job.error;
  return j;
}

// ?wait=SECONDS, at most `limit`; `fallback` when absent or not a number.
std::chrono::milliseconds wait_of(const std::map<std::string, std::string>& q,
                                  std::chrono::seconds limit, std::chrono::seconds fallback) {
  auto seconds = fallback;
  if (const auto it = q.find("wait"); it != q.end()) {
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (end != it->second.c_str() && v >= 0) seconds = std::chrono::seconds(static_cast<long>(v));
  }
  return std::min(seconds, limit);
}

bool truthy(const std::map<std::string, std::string>& q, const char* key) {
  const auto it = q.find(key);
  return it != q.end() && (it->second == "1" || it->second == "true" || it->second == "yes");
}

Response busy() {
  Response r = problem(http::status::too_many_requests,
                       "the server is running as many checks as it may; try again shortly");
  r.set(http::field::retry_after, "5");
  return r;
}

Response job_response(const JobView& job) {
  Response r = json_response(
      job.state == JobState::running ? http::status::accepted : http::status::ok, job_json(job));
  if (job.state == JobState::running) r.set(http::field::location, "/api/v1/jobs/" + job.id);
  return r;
}

}  // namespace

asio::awaitable<Response> Service::api_check(const Request& request, const std::string& name,
                                             const Client& client) {
  const auto domain = check::normalise_domain(name);
  if (!domain) co_return problem(http::status::bad_request, "not a domain name: " + name);
  const auto q = query_parameters(target_of(request));
  const bool fresh = truthy(q, "fresh");
  if (fresh && !allow_work(client)) {
    co_return problem(http::status::too_many_requests, "too many checks from your address");
  }
  const auto id = checker_.start(*domain, fresh);
  if (!id) {
    metrics_.count_refusal("busy");
    co_return busy();
  }
  const auto job = co_await checker_.wait(*id, wait_of(q, options_.sync_wait, options_.sync_wait));
  if (!job) co_return problem(http::status::internal_server_error, "the job vanished");
  if (job->state == JobState::done && job->result)
    co_return json_response(http::status::ok, stored_check_json(*job->result, job->cached));
  if (job->state == JobState::failed)
    co_return problem(http::status::internal_server_error, "the check failed: " + job->error);
  co_return job_response(*job);
}

Response Service::api_start_job(const Request& request, const Client& client) {
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (!body.is_object() || !body.contains("domain") || !body["domain"].is_string())
    return problem(http::status::bad_request, "expected a JSON object with a \"domain\" string");
  const auto domain = check::normalise_domain(body["domain"].get<std::string>());
  if (!domain) return problem(http::status::bad_request, "not a domain name");
  const bool fresh = body.value("fresh", false);
  if (!allow_work(client))
    return problem(http::status::too_many_requests, "too many checks from your address");
  const auto id = checker_.start(*domain, fresh);
  if (!id) {
    metrics_.count_refusal("busy");
    return busy();
  }
  const auto job = checker_.job(*id);
  Response r = json_response(http::status::accepted, job_json(*job));
  r.set(http::field::location, "/api/v1/jobs/" + *id);
  return r;
}

asio::awaitable<Response> Service::api_job(const std::string& id, const Request& request) {
  const auto q = query_parameters(target_of(request));
  const auto job =
      co_await checker_.wait(id, wait_of(q, options_.sync_wait, std::chrono::seconds(0)));
  if (!job)
    co_return problem(http::status::not_found, "no such job (finished jobs are kept a while)");
  co_return json_response(http::status::ok, job_json(*job));
}

Response Service::api_trace(const Request& request, const Client& client) {
  if (!allow_work(client))
    return problem(http::status::too_many_requests, "too many requests from your address");
  if (request.body().empty())
    return problem(http::status::bad_request, "post the message's header block as the body");
  const auto t = trace::trace_bytes(request.body(), options_.trust, "request");
  return json_response(http::status::ok, report::trace_to_json(t));
}

Response Service::api_domains(const Request& request, const std::vector<std::string>& path) {
  // path: api v1 domains [DOMAIN [history]]
  const auto method = request.method();
  if (path.size() == 3) {
    if (method != http::verb::get && method != http::verb::head)
      return problem(http::status::method_not_allowed, "use GET");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : store_.monitored()) {
      nlohmann::json entry = {{"domain", m.domain},
                              {"added_at", m.added_at},
                              {"next_check_at", m.next_at},
                              {"latest", nullptr}};
      if (const auto latest = store_.latest_check(m.domain)) {
        entry["latest"] = {{"verdict", latest->verdict},
                           {"measured_at", latest->measured_at},
                           {"check_id", latest->id}};
      }
      list.push_back(std::move(entry));
    }
    return json_response(http::status::ok, {{"domains", std::move(list)}});
  }
  const auto domain = check::normalise_domain(path[3]);
  if (!domain) return problem(http::status::bad_request, "not a domain name: " + path[3]);
  if (path.size() == 5 && path[4] == "history") {
    const auto q = query_parameters(target_of(request));
    std::size_t limit = 100;
    if (const auto it = q.find("limit"); it != q.end())
      limit = std::clamp<std::size_t>(std::strtoul(it->second.c_str(), nullptr, 10), 1, 1000);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : store_.history(*domain, limit))
      list.push_back(stored_check_json(c, false));
    return json_response(http::status::ok, {{"domain", *domain}, {"history", std::move(list)}});
  }
  if (path.size() != 4) return problem(http::status::not_found, "no such resource");
  if (method == http::verb::put) {
    const auto now = unix_now();
    const bool added = store_.add_monitored(*domain, now, now);  // first check at once
    if (monitor_ != nullptr) monitor_->wake();
    return json_response(added ? http::status::created : http::status::ok,
                         {{"domain", *domain}, {"monitored", true}});
  }
  if (method == http::verb::delete_) {
    if (!store_.remove_monitored(*domain)) return problem(http::status::not_found, "not monitored");
    return make_response(http::status::no_content, "application/json", "");
  }
  if (method == http::verb::get || method == http::verb::head) {
    const auto m = store_.monitored(*domain);
    if (!m) return problem(http::status::not_found, "not monitored: " + *domain);
    nlohmann::json j = {{"domain", m->domain},
                        {"added_at", m->added_at},
                        {"next_check_at", m->next_at},
                        {"latest", nullptr}};
    if (const auto latest = store_.latest_check(*domain))
      j["latest"] = stored_check_json(*latest, true);
    return json_response(http::status::ok, j);
  }
  return problem(http::status::method_not_allowed, "use GET, PUT or DELETE");
}

Response Service::api_alerts(const Request& request) {
  const auto q = query_parameters(target_of(request));
  std::string domain;
  if (const auto it = q.find("domain"); it != q.end()) {
    const auto d = check::normalise_domain(it->second);
    if (!d) return problem(http::status::bad_request, "not a domain name");
    domain = *d;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : store_.alerts(domain, 200)) {
    list.push_back({{"id", a.id},
                    {"domain", a.domain},
                    {"at", a.at},
                    {"kind", a.kind},
                    {"severity", a.severity},
                    {"before", a.before},
                    {"after", a.after},
                    {"why", a.why},
                    {"delivery", a.delivery}});
  }
  return json_response(http::status::ok, {{"alerts", std::move(list)}});
}

asio::awaitable<Service::Routed> Service::api(const Request& request,
                                              const std::vector<std::string>& path,
                                              const Client& client) {
  const auto method = request.method();
  const bool get = method == http::verb::get || method == http::verb::head;
  const auto wrong_method = [](const char* allowed) {
    return problem(http::status::method_not_allowed, std::string("use ") + allowed);
  };
  const std::string what = path.size() > 2 ? path[2] : "";
  if (what == "openapi.json" && path.size() == 3) {
    co_return Routed{
        "/api/v1/openapi.json",
        get ? make_response(http::status::ok, "application/json", std::string(openapi_document()))
            : wrong_method("GET")};
  }
  if (what == "check" && path.size() == 4) {
    if (!get) co_return Routed{"/api/v1/check/{domain}", wrong_method("GET")};
    // Awaited outside the braces: GCC 12 destroys a co_await temporary inside an aggregate
    // initialiser twice (an invalid free under ASan).
    Response answer = co_await api_check(request, path[3], client);
    co_return Routed{"/api/v1/check/{domain}", std::move(answer)};
  }
  if (what == "jobs" && path.size() == 3) {
    co_return Routed{"/api/v1/jobs", method == http::verb::post ? api_start_job(request, client)
                                                                : wrong_method("POST")};
  }
  if (what == "jobs" && path.size() == 4) {
    if (!get) co_return Routed{"/api/v1/jobs/{id}", wrong_method("GET")};
    Response answer = co_await api_job(path[3], request);
    co_return Routed{"/api/v1/jobs/{id}", std::move(answer)};
  }
  if (what == "trace" && path.size() == 3) {
    co_return Routed{"/api/v1/trace", method == http::verb::post ? api_trace(request, client)
                                                                 : wrong_method("POST")};
  }
  if (what == "domains" || what == "alerts") {
    const std::string route = what == "alerts"   ? "/api/v1/alerts"
                              : path.size() == 3 ? "/api/v1/domains"
                              : path.size() == 5 ? "/api/v1/domains/{domain}/history"
                                                 : "/api/v1/domains/{domain}";
    if (!is_admin(request)) {
      Response r = problem(http::status::unauthorized,
                           options_.admin_token.empty()
                               ? "admin routes are off: start serve with --admin-token-file"
                               : "this needs the admin token (Authorization: Bearer TOKEN)");
      r.set(http::field::www_authenticate, "Bearer realm=\"intransit\"");
      co_return Routed{route, std::move(r)};
    }
    if (what == "alerts") co_return Routed{route, get ? api_alerts(request) : wrong_method("GET")};
    co_return Routed{route, api_domains(request, path)};
  }
  co_return Routed{"other", problem(http::status::not_found, "no such API resource")};
}

Response Service::metrics_page() {
  std::vector<nlohmann::json> docs;
  std::vector<std::int64_t> times;
  for (const auto& m : store_.monitored()) {
    if (auto latest = store_.latest_check(m.domain); latest && latest->document.is_object()) {
      docs.push_back(std::move(latest->document));
      times.push_back(latest->measured_at);
    }
  }
  std::string body = report::prometheus_output(docs, times);
  body +=
      "# HELP intransit_monitored_domains Domains the monitor re-checks.\n"
      "# TYPE intransit_monitored_domains gauge\n";
  body += "intransit_monitored_domains " + std::to_string(store_.monitored().size()) + "\n";
  body +=
      "# HELP intransit_checks_running Audits running now.\n"
      "# TYPE intransit_checks_running gauge\n";
  body += "intransit_checks_running " + std::to_string(checker_.running()) + "\n";
  body += metrics_.render();
  return make_response(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                       std::move(body));
}

// blackbox_exporter style: /probe?target=DOMAIN gives that domain's metrics (a stored result
// younger than the cache time, else a new audit) and intransit_probe_success.
asio::awaitable<Response> Service::probe_metrics(const Request& request, const Client& client) {
  const auto q = query_parameters(target_of(request));
  const auto it = q.find("target");
  const auto domain = it == q.end() ? std::nullopt : check::normalise_domain(it->second);
  if (!domain) co_return problem(http::status::bad_request, "give ?target=DOMAIN");
  if (!allow_work(client)) co_return problem(http::status::too_many_requests, "slow down");
  const auto id = checker_.start(*domain, false);
  if (!id) co_return busy();
  const auto job = co_await checker_.wait(*id, options_.sync_wait);
  const bool ok = job && job->state == JobState::done && job->result;
  std::string body;
  if (ok) {
    body = report::prometheus_output(std::vector<nlohmann::json>{job->result->document},
                                     std::vector<std::int64_t>{job->result->measured_at});
  }
  body +=
      "# HELP intransit_probe_success Whether the check of the target completed (its verdict "
      "is in intransit_domain_verdict).\n# TYPE intransit_probe_success gauge\n";
  body += std::string("intransit_probe_success ") + (ok ? "1" : "0") + "\n";
  co_return make_response(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                          std::move(body));
}

}  // namespace intransit::serve
