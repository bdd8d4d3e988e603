// delivery.cpp — see delivery.hpp.
#include "logs/delivery.hpp"

#include <charconv>

#include "core/text.hpp"

namespace intransit::logs {

std::string_view to_string(Protection p) {
  switch (p) {
    case Protection::verified: return "verified";
    case Protection::encrypted_unverified: return "encrypted-unverified";
    case Protection::plaintext: return "plaintext";
    case Protection::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(Result r) {
  switch (r) {
    case Result::sent: return "sent";
    case Result::deferred: return "deferred";
    case Result::bounced: return "bounced";
  }
  return "sent";
}

std::string_view to_string(Mta m) {
  switch (m) {
    case Mta::postfix: return "postfix";
    case Mta::exim: return "exim";
    case Mta::sendmail: return "sendmail";
  }
  return "postfix";
}

void add_evidence(Delivery& d, std::string_view line) {
  if (d.lines.size() >= kEvidenceLines) return;
  d.lines.emplace_back(line.substr(0, kEvidenceLineBytes));
}

std::string recipient_domain(std::string_view address) {
  if (!address.empty() && address.front() == '<') address.remove_prefix(1);
  if (!address.empty() && address.back() == '>') address.remove_suffix(1);
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  return text::lower(text::strip_trailing_dot(address.substr(at + 1)));
}

bool split_host_addr_port(std::string_view s, std::string& host, std::string& addr,
                          std::uint16_t& port) {
  const auto open = s.find('[');
  const auto close = s.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return false;
  host = text::lower(text::strip_trailing_dot(s.substr(0, open)));
  addr.assign(s.substr(open + 1, close - open - 1));
  port = 0;
  if (close + 1 < s.size() && s[close + 1] == ':') {
    const auto digits = s.substr(close + 2);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && value <= 65535 && end != digits.data())
      port = static_cast<std::uint16_t>(value);
  }
  return !addr.empty();
}

std::string normalise_tls_version(std::string_view v) {
  if (v.starts_with("TLS") && v.size() > 3 && v[3] != 'v' && v[3] != '_') {
    return "TLSv" + std::string(v.substr(3));  // Exim: "TLS1.3"
  }
  return std::string(v);
}

bool is_local_handoff(std::string_view addr) {
  return addr == "127.0.0.1" || addr == "::1" || addr == "ipv6:::1" || addr == "IPv6:::1";
}

}  // namespace intransit::logs
