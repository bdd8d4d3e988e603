// policy_fetch.cpp — see policy_fetch.hpp: the MTA-STS words and limits on the shared GET.
#include "check/policy_fetch.hpp"

namespace intransit::check {

boost::asio::awaitable<PolicyFetch> fetch_sts_policy(dns::Resolver& resolver, std::string domain,
                                                     FetchOptions options) {
  HttpsRequest request;
  request.host = "mta-sts." + domain;
  request.path = "/.well-known/mta-sts.txt";
  request.content_types = {"text/plain"};         // RFC 8461 §3.2
  request.body_cap = limits::kMtaStsPolicyBytes;  // RFC 8461 §3.3 suggests 64 KiB
  request.deadline = options.deadline;
  request.port = options.port;
  request.trust = std::move(options.trust);
  request.allow_private = options.allow_private;
  request.family = options.family;
  request.noun = "policy";
  request.redirect_rule = "RFC 8461 §3.3 forbids following redirects";
  request.type_rule = "RFC 8461 §3.2 requires text/plain";
  PolicyFetch fetched = co_await https_get(resolver, std::move(request));
  co_return fetched;
}

}  // namespace intransit::check
