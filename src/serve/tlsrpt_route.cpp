// tlsrpt_route.cpp — POST /tlsrpt: TLS-RPT reports delivered over HTTPS (RFC 8460 §3: a POST of
// application/tlsrpt+gzip or application/tlsrpt+json to the URI in a domain's rua=https:...).
// The body is bounded by the server (1 MiB) and the inflated report by tlsrpt/payload.hpp; each
// report is committed to DATA/tlsrpt.sqlite (the store `intransit tlsrpt --store` reads) before
// it is acknowledged, once per (organization-name, report-id); an unreadable one is quarantined
// with its reason and answered 400.
#include "serve/service.hpp"
#include "tlsrpt/payload.hpp"
#include "tlsrpt/report.hpp"
#include "tlsrpt/store.hpp"

namespace intransit::serve {

Response Service::tlsrpt_post(const Request& request, const Client& client) {
  if (tlsrpt_store_ == nullptr) return problem(http::status::not_found, "no report store");
  const std::string_view type(request[http::field::content_type].data(),
                              request[http::field::content_type].size());
  const auto media = type.substr(0, type.find(';'));
  if (media != "application/tlsrpt+gzip" && media != "application/tlsrpt+json")
    return problem(http::status::unsupported_media_type,
                   "RFC 8460 §3: application/tlsrpt+gzip or application/tlsrpt+json");
  if (!allow_work(client)) return problem(http::status::too_many_requests, "slow down");
  const std::string source = "POST /tlsrpt from " + client.address.to_string();
  std::string error;
  auto payload = tlsrpt::decode_payload(request.body(), error);
  std::optional<tlsrpt::Report> report;
  if (payload) report = tlsrpt::parse_report(payload->json, error, payload->notes);
  if (!report) {
    tlsrpt_store_->quarantine(source, error);
    return problem(http::status::bad_request, "the report could not be read: " + error);
  }
  const auto added = tlsrpt_store_->add(*report, payload->json, source);
  return json_response(
      added == tlsrpt::Added::new_report ? http::status::created : http::status::ok,
      {{"organization", report->organization},
       {"report_id", report->report_id},
       {"stored", added == tlsrpt::Added::new_report ? "new" : "already known"}});
}

}  // namespace intransit::serve
