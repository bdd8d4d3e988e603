// policy_fetch.hpp — fetching an MTA-STS policy (RFC 8461 §3.3):
// https://mta-sts.<domain>/.well-known/mta-sts.txt through the shared bounded GET
// (check/https_get.hpp): the address from the check's own validating resolver, SNI, a PKIX-valid
// certificate for that host name (RFC 8461 §3.3, RFC 6125), HTTP 200 only, no redirect followed,
// `text/plain`, no content coding, the body refused (never truncated) over 64 KiB, and one
// deadline for the whole fetch (RELIABILITY.md items 29-34). The policy text itself is parsed by
// policy/mtasts.hpp.
#pragma once

#include "check/https_get.hpp"

namespace intransit::check {

using PolicyFetch = HttpsFetch;

struct FetchOptions {
  std::shared_ptr<const tls::TrustStore> trust;
  AddressFamily family = AddressFamily::any;  // https_get.hpp: which addresses may be used
  unsigned short port = 443;
  std::chrono::milliseconds deadline = limits::kMtaStsFetchDeadline;
  // false: a special-purpose address (check/address_policy.hpp) is skipped, not connected to.
  bool allow_private = true;
};

boost::asio::awaitable<PolicyFetch> fetch_sts_policy(dns::Resolver& resolver, std::string domain,
                                                     FetchOptions options);

}  // namespace intransit::check
