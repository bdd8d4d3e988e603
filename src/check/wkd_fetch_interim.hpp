// wkd_fetch_interim.hpp — INTERIM: the HTTPS GET of the Web Key Directory
// (draft-koch-openpgp-webkey-service §3.1, §4.5) for `keys` (issue 21). It copies the shape of
// check/policy_fetch.cpp (validating resolver, SNI, PKIX-valid certificate for the host, one
// deadline, no redirect followed, body refused over its cap, never truncated) because the
// shared client check/https_get.* (branch wip/client) had not appeared by 14:00 UTC; replace
// this file by a call to https_get once that is merged. Binary body: any Content-Type is
// accepted (the draft recommends application/octet-stream; GnuPG does not check it) and noted.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

#include "check/keys_audit.hpp"
#include "dns/resolver.hpp"
#include "tls/trust_store.hpp"

namespace intransit::check {

struct WkdFetchOptions {
  std::shared_ptr<const tls::TrustStore> trust;
  unsigned short port = 443;
  bool allow_private = true;  // false: special-purpose addresses are not connected to
};

boost::asio::awaitable<WkdResponse> fetch_wkd_interim(dns::Resolver& resolver, std::string host,
                                                      std::string target, std::size_t max_body,
                                                      WkdFetchOptions options);

}  // namespace intransit::check
