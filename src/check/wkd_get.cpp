// wkd_get.cpp — see wkd_get.hpp.
#include "check/wkd_get.hpp"

namespace intransit::check {

boost::asio::awaitable<WkdResponse> wkd_get(dns::Resolver& resolver, std::string host,
                                            std::string target, std::size_t max_body,
                                            HttpsRequest base) {
  base.host = std::move(host);
  base.path = std::move(target);
  base.content_types.clear();  // any media type
  base.body_cap = max_body;
  base.noun = "key";
  base.redirect_rule = "redirects are not followed";
  const HttpsFetch f = co_await https_get(resolver, std::move(base));
  WkdResponse r;
  r.http_status = f.http_status;
  r.detail = f.detail;
  switch (f.status) {
    case FetchStatus::ok:
      r.status = SourceStatus::found;
      r.body = f.body;
      r.detail = "200, " + std::to_string(f.body.size()) + " bytes" +
                 (f.content_type.empty() ? "" : ", " + f.content_type);
      break;
    // Nothing published: a 404, or a host that certainly has no address (the direct method's
    // domain may be mail-only). A failed lookup is dns_failed, which leaves the answer unknown.
    case FetchStatus::not_found:
    case FetchStatus::no_address: r.status = SourceStatus::absent; break;
    default: r.status = SourceStatus::failed; break;
  }
  co_return r;
}

}  // namespace intransit::check
