// ehlo.cpp — see ehlo.hpp. RFC 5321 §4.1.1.1:
//   ehlo-line    = ehlo-keyword *( SP ehlo-param )
//   ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//   ehlo-param   = 1*(%d33-126)
#include "smtp/ehlo.hpp"

#include <cctype>
#include <charconv>

namespace intransit::smtp {
namespace {

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_keyword(std::string_view s) {
  if (s.empty() || !is_alnum(s[0])) return false;
  for (char c : s) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

bool is_param(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 33 || c > 126) return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Splits on single spaces; an empty field (two spaces, leading or trailing space) is kept as an
// empty string so that the grammar check rejects it.
std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t sp = line.find(' ', start);
    fields.push_back(line.substr(start, sp == std::string_view::npos ? sp : sp - start));
    if (sp == std::string_view::npos) break;
    start = sp + 1;
  }
  return fields;
}

}  // namespace

bool Capabilities::has(std::string_view keyword) const {
  return keywords.find(upper(keyword)) != keywords.end();
}

std::optional<std::uint64_t> Capabilities::size_limit() const {
  const auto it = keywords.find("SIZE");
  if (it == keywords.end() || it->second.size() != 1) return std::nullopt;
  const std::string& digits = it->second.front();
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

Capabilities parse_ehlo(const Reply& reply) {
  Capabilities caps;
  if (reply.code != 250 || reply.lines.empty()) return caps;
  const std::string_view first = reply.lines.front();
  caps.server_name = std::string(first.substr(0, first.find(' ')));
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    const std::string& line = reply.lines[i];
    const auto fields = split_spaces(line);
    bool ok = is_keyword(fields.front());
    for (std::size_t f = 1; ok && f < fields.size(); ++f) ok = is_param(fields[f]);
    if (!ok) {
      caps.malformed.push_back(line);
      continue;
    }
    auto [it, inserted] = caps.keywords.try_emplace(upper(fields.front()));
    if (!inserted) {
      caps.duplicates = true;
      continue;
    }
    it->second.assign(fields.begin() + 1, fields.end());
  }
  return caps;
}

}  // namespace intransit::smtp
