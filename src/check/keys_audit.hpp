// keys_audit.hpp — `keys ADDRESS` (issue 21): how would a sender find a key to encrypt to this
// address end to end, and could it use it? Per address: the Web Key Directory
// (draft-koch-openpgp-webkey-service §3.1: the advanced method at openpgpkey.DOMAIN first, the
// direct method only when that host does not exist; the policy file of §4.5; a wildcard
// openpgpkey host reported as the pitfall it is), OPENPGPKEY (RFC 7929) and SMIMEA (RFC 8162)
// through the engine's validating resolver with their DNSSEC status. The key material is judged
// by policy/openpgp_key and policy/smime_cert, the verdict by check/keys_verdict.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>

#include "check/keys_verdict.hpp"
#include "dns/resolver.hpp"

namespace intransit::check {

// One HTTPS GET as WKD needs it (a binary body up to limits::kOpenPgpKeyBytes, a PKIX-valid
// certificate for the host, no redirect followed): `found` with the body, `absent` for 404,
// `failed` (with words) for anything that leaves the answer unknown.
struct WkdResponse {
  SourceStatus status = SourceStatus::failed;
  int http_status = 0;
  std::string body;
  std::string detail;
};
// host, path-and-query, body cap -> response. A seam: the engine passes its HTTPS client; unit
// tests a fake.
using WkdGet = std::function<boost::asio::awaitable<WkdResponse>(
    std::string host, std::string target, std::size_t max_body)>;

boost::asio::awaitable<AddressKeys> audit_keys(dns::Resolver& resolver, WkdGet get,
                                               std::string address);

// The label looked up to tell a wildcard from a real openpgpkey host (RFC 4592 §2.1.1: any
// name that does not exist is answered from the wildcard).
inline constexpr const char* kWildcardProbeLabel = "intransit-wildcard-check-7f3a";

}  // namespace intransit::check
