// http_url.cpp — see http_url.hpp.
#include "check/http_url.hpp"

#include <string_view>

namespace intransit::check {

std::optional<HttpUrl> parse_http_url(const std::string& url) {
  HttpUrl u;
  std::string_view rest(url);
  if (rest.starts_with("https://")) {
    u.tls = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find_first_of("/?#");
  auto authority = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') return std::nullopt;
  } else {
    const auto colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    authority = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon);
  }
  if (!authority.empty()) {  // ":port"
    const auto digits = authority.substr(1);
    if (digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(digits)) > 65535 || std::stoi(std::string(digits)) == 0)
      return std::nullopt;
    u.port = std::string(digits);
  } else {
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty()) return std::nullopt;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (!rest.empty()) u.target = rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
  for (const char c : u.host + u.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  return u;
}

}  // namespace intransit::check
