// http_url.hpp — an http: or https: URL taken apart (RFC 3986 §3): a host (a name, an IPv4
// address or a bracketed IPv6 address), a port and a path with its query; no user information
// (refused), no fragment (dropped), no controls or spaces. Shared by serve's webhooks and the
// https: rua of `tlsrpt generate` (RFC 8460 §3). Pure.
#pragma once

#include <optional>
#include <string>

namespace intransit::check {

struct HttpUrl {
  bool tls = false;
  std::string host;  // without brackets
  std::string port;  // "80" / "443" when absent
  std::string target = "/";
};
std::optional<HttpUrl> parse_http_url(const std::string& url);

}  // namespace intransit::check
