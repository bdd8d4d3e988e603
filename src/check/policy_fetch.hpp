// policy_fetch.hpp — fetching an MTA-STS policy (RFC 8461 §3.3) with Boost.Beast on the check's
// event loop: https://mta-sts.<domain>/.well-known/mta-sts.txt, the address from the check's
// own validating resolver, SNI, a PKIX-valid certificate for that host name (RFC 8461 §3.3,
// RFC 6125), HTTP 200 only, no redirect followed, `text/plain`, no content coding, the body
// refused (never truncated) over 64 KiB, and one deadline for the whole fetch
// (RELIABILITY.md items 29-34). The policy text itself is parsed by policy/mtasts.hpp.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "core/limits.hpp"
#include "dns/resolver.hpp"
#include "tls/certificate.hpp"
#include "tls/trust_store.hpp"

namespace intransit::check {

enum class FetchStatus : std::uint8_t {
  ok,              // 200, text/plain, within the size cap: `body` holds the policy
  not_found,       // 404: the domain has no policy file
  redirect,        // 3xx: not followed (RFC 8461 §3.3)
  http_status,     // any other status
  content_type,    // not text/plain
  content_coding,  // a Content-Encoding we did not ask for
  too_large,       // body over the cap
  dns_failed,      // the policy host's address lookup failed (could not find out)
  no_address,      // the policy host has no address
  connect_failed,
  tls_failed,    // handshake failed
  cert_invalid,  // certificate not PKIX-valid for mta-sts.<domain>
  timeout,
  protocol_error,  // malformed HTTP
  not_permitted,   // every address is special-purpose and they are not allowed (issue 18)
};
std::string_view to_string(FetchStatus status);

struct PolicyFetch {
  std::string url;
  FetchStatus status = FetchStatus::protocol_error;
  std::string detail;   // human words: "answered 301 Moved Permanently (Location: ...)"
  std::string address;  // the address the fetch talked to
  int http_status = 0;
  std::string content_type;
  std::string body;  // only when status is ok
  tls::Verification certificate;
  std::chrono::milliseconds elapsed{0};
};

// Which of the policy host's addresses a fetch may use. An MTA uses whichever it has; `tlsrpt
// --verify` fetches once per family, because a reporter may only have reached one of them.
enum class AddressFamily : std::uint8_t { any, ipv4, ipv6 };
std::string_view to_string(AddressFamily family);

struct FetchOptions {
  std::shared_ptr<const tls::TrustStore> trust;
  AddressFamily family = AddressFamily::any;
  unsigned short port = 443;
  std::chrono::milliseconds deadline = limits::kMtaStsFetchDeadline;
  // false: a special-purpose address (check/address_policy.hpp) is skipped, not connected to.
  bool allow_private = true;
};

boost::asio::awaitable<PolicyFetch> fetch_sts_policy(dns::Resolver& resolver, std::string domain,
                                                     FetchOptions options);

}  // namespace intransit::check
