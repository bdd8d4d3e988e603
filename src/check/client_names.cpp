// client_names.cpp — see client_names.hpp.
#include "check/client_names.hpp"

#include "core/text.hpp"

namespace intransit::check {

std::string_view to_string(NameCheck check) {
  switch (check) {
    case NameCheck::domain: return "domain";
    case NameCheck::delegated: return "delegated";
    case NameCheck::foreign_unauthenticated: return "foreign-unauthenticated";
    case NameCheck::mismatch: return "mismatch";
    case NameCheck::untested: return "untested";
  }
  return "?";
}

bool authenticated(NameCheck check) {
  return check == NameCheck::domain || check == NameCheck::delegated;
}

bool name_matches(std::string_view pattern_in, std::string_view name) {
  const std::string pattern = text::lower(std::string(text::strip_trailing_dot(pattern_in)));
  if (pattern.empty() || name.empty()) return false;
  if (pattern.rfind("*.", 0) != 0) return pattern == name;
  // "*.example.org" matches "a.example.org", never "example.org" nor "a.b.example.org".
  const std::string_view suffix = std::string_view(pattern).substr(1);  // ".example.org"
  if (suffix.find('*') != std::string_view::npos || suffix.size() < 3) return false;
  const auto dot = name.find('.');
  return dot != std::string_view::npos && dot > 0 && name.substr(dot) == suffix;
}

bool any_name_matches(const std::vector<std::string>& dns_names, std::string_view name) {
  for (const auto& n : dns_names) {
    if (name_matches(n, name)) return true;
  }
  return false;
}

NameCheck decide_name(bool have_certificate, bool matches_domain, bool matches_host,
                      bool source_authenticated) {
  if (!have_certificate) return NameCheck::untested;
  if (matches_domain) return NameCheck::domain;  // RFC 7817 §3: the user's own domain
  if (!matches_host) return NameCheck::mismatch;
  // RFC 6186 §6 / RFC 7817 §3: the delegated name counts only when its source is authenticated.
  return source_authenticated ? NameCheck::delegated : NameCheck::foreign_unauthenticated;
}

}  // namespace intransit::check
