// wkd_get.hpp — the Web Key Directory's GET (draft-koch-openpgp-webkey-service §3.1, §4.5) on the
// shared bounded HTTPS client (check/https_get.hpp): validating resolver, SNI, a PKIX-valid
// certificate for the host, one deadline, no redirect followed, the body refused over its cap
// (never truncated). Any Content-Type is accepted (the draft recommends
// application/octet-stream; GnuPG does not check it). The answer in keys_audit's terms: found,
// absent (404, or a host that certainly has no address), or failed with the reason.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

#include "check/https_get.hpp"
#include "check/keys_audit.hpp"
#include "dns/resolver.hpp"

namespace intransit::check {

// `base` carries the trust anchors, port and special-purpose address rule; host, path and cap
// are the call's.
boost::asio::awaitable<WkdResponse> wkd_get(dns::Resolver& resolver, std::string host,
                                            std::string target, std::size_t max_body,
                                            HttpsRequest base);

}  // namespace intransit::check
