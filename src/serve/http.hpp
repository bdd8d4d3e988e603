// http.hpp — the HTTP vocabulary of `serve` (RFC 9110): one request and one response type, the
// security headers every response carries, problem details for errors (RFC 9457) and the small
// parsers a handler needs (path segments, query strings and form bodies, RFC 3986 §2.1
// percent-decoding). Every value read here comes from a stranger and is bounded by the server
// (http_server.hpp) before a handler sees it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::serve {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Content-Security-Policy of the pages: nothing is fetched, forms post to this server, the one
// inline script is allowed by its hash (the report's filter script, report/html/document.hpp).
std::string page_security_policy();

// A response with the security headers set (CSP, nosniff, frame denial, no referrer).
Response make_response(http::status status, std::string content_type, std::string body,
                       unsigned version = 11);
Response html_response(http::status status, std::string body);
Response json_response(http::status status, const nlohmann::json& body);
// application/problem+json (RFC 9457 §3): type about:blank, title from the status, `detail`.
Response problem(http::status status, std::string_view detail);
Response redirect(std::string_view location);  // 303 See Other (after a form POST)

// "/api/v1/domains/x.test" -> {"api","v1","domains","x.test"} (empty segments dropped, each
// percent-decoded; nullopt when a segment does not decode to valid text).
std::optional<std::vector<std::string>> path_segments(std::string_view target);
// The query string of a request target, parsed (application/x-www-form-urlencoded, '+' is a
// space). Later keys win. Invalid escapes leave the key out.
std::map<std::string, std::string> query_parameters(std::string_view target);
// A form body (the same encoding).
std::map<std::string, std::string> form_fields(std::string_view body);
// RFC 3986 §2.1 percent-decoding (and '+' as space when `plus_is_space`); nullopt when a '%' is
// not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// Percent-encodes everything but RFC 3986 unreserved characters (for links to domain pages).
std::string percent_encode(std::string_view text);

// The request target as a std::string_view (Beast 1.74 gives its own string_view).
inline std::string_view target_of(const Request& request) {
  return {request.target().data(), request.target().size()};
}

// The value of cookie `name` in the request's Cookie header, if any (RFC 6265 §5.4).
std::optional<std::string> cookie(const Request& request, std::string_view name);
// Constant-time comparison of a presented secret with the expected one (no timing oracle).
bool same_secret(std::string_view given, std::string_view expected);
// The bearer token of an Authorization header (RFC 6750 §2.1), if any.
std::optional<std::string> bearer_token(const Request& request);

}  // namespace intransit::serve
