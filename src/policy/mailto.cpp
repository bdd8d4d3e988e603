// mailto.cpp — see mailto.hpp.
#include "policy/mailto.hpp"

#include <cctype>

#include "core/hex_digit.hpp"

namespace intransit::policy {

namespace {

bool smtp_safe(std::string_view a) {
  if (a.empty() || a.size() > 254 || a.find('@') == std::string_view::npos) return false;
  for (const char c : a) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> mailto_address(std::string_view uri) {
  constexpr std::string_view kScheme = "mailto:";
  if (uri.size() < kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(uri[i])) != kScheme[i]) return std::nullopt;
  }
  uri.remove_prefix(kScheme.size());
  uri = uri.substr(0, uri.find('?'));
  std::string address;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] != '%') {
      address += uri[i];
      continue;
    }
    const int high = i + 1 < uri.size() ? text::hex_value(uri[i + 1]) : -1;
    const int low = i + 2 < uri.size() ? text::hex_value(uri[i + 2]) : -1;
    if (high < 0 || low < 0) return std::nullopt;
    address += static_cast<char>(high * 16 + low);
    i += 2;
  }
  if (!smtp_safe(address)) return std::nullopt;
  return address;
}

}  // namespace intransit::policy
