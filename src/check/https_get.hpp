// https_get.hpp — one bounded HTTPS GET with Boost.Beast on the check's event loop, shared by the
// MTA-STS policy fetch (RFC 8461 §3.3), the mail-client autoconfig fetch and any later
// well-known document: the address from the check's own validating resolver, SNI, a PKIX-valid
// certificate for the host name (RFC 6125), HTTP 200 only, no redirect followed (the Location is
// reported), an accepted media-type list, no content coding, the body refused (never truncated)
// over a cap, and one deadline for the whole fetch (RELIABILITY.md items 29-34).
// A POST (`post_body`) delivers a TLS-RPT report (RFC 8460 §5.4), under the same rules.
// A plain-http GET exists only so a caller can REPORT that a document is served in clear; its
// body must never be trusted.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "dns/resolver.hpp"
#include "tls/certificate.hpp"
#include "tls/trust_store.hpp"

namespace intransit::check {

enum class FetchStatus : std::uint8_t {
  ok,              // 200, an accepted media type, within the size cap: `body` holds the document
  not_found,       // 404: no such document
  redirect,        // 3xx: not followed
  http_status,     // any other status
  content_type,    // not one of the accepted media types
  content_coding,  // a Content-Encoding we did not ask for
  too_large,       // body over the cap
  dns_failed,      // the host's address lookup failed (could not find out)
  no_address,      // the host has no address
  connect_failed,
  tls_failed,    // handshake failed
  cert_invalid,  // certificate not PKIX-valid for the host
  timeout,
  protocol_error,  // malformed HTTP
  not_permitted,   // every address is special-purpose and they are not allowed (issue 18)
};
std::string_view to_string(FetchStatus status);

// What happened to one GET (also the shape of PolicyFetch, for MTA-STS).
struct HttpsFetch {
  std::string url;
  FetchStatus status = FetchStatus::protocol_error;
  std::string detail;   // human words: "answered 301 (Location: ...)"
  std::string address;  // the address the fetch talked to
  int http_status = 0;
  std::string content_type;
  std::string body;  // only when status is ok
  tls::Verification certificate;
  std::chrono::milliseconds elapsed{0};
};

// Which of the host's addresses a GET may use. An MTA uses whichever it has; `tlsrpt --verify`
// fetches once per family, because a reporter may only have reached one of them.
enum class AddressFamily : std::uint8_t { any, ipv4, ipv6 };
std::string_view to_string(AddressFamily family);

struct HttpsRequest {
  std::string host;  // also the SNI and the name the certificate must carry
  std::string path;  // origin-form, with any query: "/mail/config-v1.1.xml?emailaddress=..."
  // Media types (lower case, no parameters) a 200 may carry; anything else is content_type.
  // Empty: any (a binary document such as a WKD key, whose type nobody checks).
  std::vector<std::string> content_types{"text/plain"};
  std::size_t body_cap = limits::kMtaStsPolicyBytes;
  std::chrono::milliseconds deadline = limits::kMtaStsFetchDeadline;
  unsigned short port = 443;
  std::shared_ptr<const tls::TrustStore> trust;
  // false: a special-purpose address (check/address_policy.hpp) is skipped, not connected to.
  bool allow_private = true;
  AddressFamily family = AddressFamily::any;
  // false: plain http, only to report that a document is served in clear (no certificate).
  bool tls = true;
  // Words for the evidence: the document's name ("policy"), and the rules a redirect and a
  // wrong media type break ("RFC 8461 §3.3 forbids following redirects").
  // A POST of `post_body` as `post_type` instead of a GET (a TLS-RPT report, RFC 8460 §5.4): any
  // 2xx is `ok` and the answer's body is not read; a redirect is not followed either.
  std::optional<std::string> post_body;
  std::string post_type;
  // true: `port` came from a URL, and Engine::fetch keeps it instead of its HTTPS port.
  bool port_from_url = false;
  std::string noun = "document";
  std::string redirect_rule = "redirects are not followed";
  std::string type_rule = "not an accepted media type";
};

boost::asio::awaitable<HttpsFetch> https_get(dns::Resolver& resolver, HttpsRequest request);

}  // namespace intransit::check
