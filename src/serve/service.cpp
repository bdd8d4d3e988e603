// service.cpp — see service.hpp: the request rules and the top of the route table; the API and
// the pages are in api_routes.cpp and page_routes.cpp.
#include "serve/service.hpp"

#include "tlsrpt/store.hpp"

namespace intransit::serve {
namespace asio = boost::asio;

Service::Service(ServiceOptions options, Checker& checker, Store& store, Metrics& metrics,
                 Monitor* monitor)
    : options_(std::move(options)),
      checker_(checker),
      store_(store),
      metrics_(metrics),
      monitor_(monitor),
      work_limits_(options_.client_rate, options_.client_burst),
      page_limits_(options_.client_page_rate, options_.client_page_burst) {
  if (!options_.tlsrpt_store.empty())
    tlsrpt_store_ = std::make_unique<tlsrpt::ReportStore>(options_.tlsrpt_store);
}

Service::~Service() = default;

nlohmann::json stored_check_json(const StoredCheck& check, bool cached) {
  return {{"domain", check.domain},
          {"measured_at", check.measured_at},
          {"verdict", check.verdict},
          {"duration_ms", check.duration_ms},
          {"cached", cached},
          {"check_id", check.id},
          {"check", check.document.is_null() ? nlohmann::json() : check.document}};
}

bool Service::is_admin(const Request& request) const {
  if (options_.admin_token.empty()) return false;
  auto given = bearer_token(request);
  if (!given) given = cookie(request, "intransit_admin");
  return given && same_secret(*given, options_.admin_token);
}

bool Service::allow_work(const Client& client) {
  if (work_limits_.allow(client.address, ClientLimits::Clock::now())) return true;
  metrics_.count_refusal("rate-limited");
  return false;
}

asio::awaitable<Response> Service::handle(Request request, Client client) {
  const auto started = std::chrono::steady_clock::now();
  Routed routed;
  if (!page_limits_.allow(client.address, ClientLimits::Clock::now())) {
    metrics_.count_refusal("rate-limited");
    routed = {"refused", problem(http::status::too_many_requests,
                                 "too many requests from your address; slow down")};
    routed.response.set(http::field::retry_after, "1");
  } else {
    routed = co_await route(request, client);
  }
  if (request.method() == http::verb::head) {
    routed.response.body().clear();  // Content-Length stays that of the GET (RFC 9110 §9.3.2)
  }
  metrics_.count_request(
      routed.route, static_cast<unsigned>(routed.response.result_int()),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  co_return std::move(routed.response);
}

asio::awaitable<Service::Routed> Service::route(const Request& request, const Client& client) {
  const auto path = path_segments(target_of(request));
  if (!path)
    co_return Routed{"other", problem(http::status::bad_request, "the path does not decode")};
  const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
  if (path->size() == 1 && (*path)[0] == "healthz") {
    co_return Routed{"/healthz", get ? make_response(http::status::ok, "text/plain", "ok\n")
                                     : problem(http::status::method_not_allowed, "use GET")};
  }
  if (path->size() == 1 && (*path)[0] == "metrics") {
    co_return Routed{"/metrics",
                     get ? metrics_page() : problem(http::status::method_not_allowed, "use GET")};
  }
  if (path->size() == 1 && (*path)[0] == "probe") {
    if (!get) co_return Routed{"/probe", problem(http::status::method_not_allowed, "use GET")};
    Response answer = co_await probe_metrics(request, client);  // not in the braces: GCC 12
    co_return Routed{"/probe", std::move(answer)};
  }
  if (path->size() == 1 && (*path)[0] == "tlsrpt") {
    co_return Routed{"/tlsrpt", request.method() == http::verb::post
                                    ? tlsrpt_post(request, client)
                                    : problem(http::status::method_not_allowed, "use POST")};
  }
  if (path->size() >= 2 && (*path)[0] == "api" && (*path)[1] == "v1")
    co_return co_await api(request, *path, client);
  co_return co_await page(request, *path, client);
}

}  // namespace intransit::serve
