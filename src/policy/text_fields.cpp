// text_fields.cpp — see text_fields.hpp. RFC 5234 (WSP, VCHAR), RFC 5321 §4.1.2 (Domain).
#include "policy/text_fields.hpp"

namespace intransit::policy {
namespace {

bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}
bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string_view trim_wsp(std::string_view s) {
  while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::vector<TagField>> split_tag_list(std::string_view text, std::string& error) {
  std::vector<TagField> fields;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t semi = text.find(';', start);
    const std::string_view raw =
        text.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
    const std::string_view field = trim_wsp(raw);
    const bool last = semi == std::string_view::npos;
    if (field.empty()) {
      if (last && !fields.empty()) break;  // one trailing separator
      error = "empty field";
      return std::nullopt;
    }
    const std::size_t eq = field.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      error = "field '" + std::string(field.substr(0, 64)) + "' is not name=value";
      return std::nullopt;
    }
    fields.push_back({field.substr(0, eq), field.substr(eq + 1)});
    if (last) break;
    start = semi + 1;
  }
  return fields;
}

std::vector<const std::string*> records_with_version(const std::vector<std::string>& txts,
                                                     std::string_view version_tag) {
  std::vector<const std::string*> found;
  for (const auto& t : txts) {
    if (t.rfind(version_tag, 0) != 0) continue;
    const std::size_t n = version_tag.size();
    if (t.size() > n && t[n] != ';' && !is_wsp(t[n])) continue;
    found.push_back(&t);
  }
  return found;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t lf = text.find('\n', start);
    std::string_view line =
        text.substr(start, lf == std::string_view::npos ? std::string_view::npos : lf - start);
    if (lf != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (lf == std::string_view::npos) break;
    start = lf + 1;
  }
  return lines;
}

bool is_extension_name(std::string_view s) {
  if (s.empty() || s.size() > 32 || !is_alnum(s[0])) return false;
  for (char c : s) {
    if (!is_alnum(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

bool is_vchar_value(std::string_view s) {
  if (s.empty() || is_wsp(s.front()) || is_wsp(s.back())) return false;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (!is_wsp(c) && (b < 0x21 || b > 0x7E)) return false;
  }
  return true;
}

bool is_mx_pattern(std::string_view s) {
  if (s.rfind("*.", 0) == 0) s.remove_prefix(2);
  s = strip_trailing_dot(s);
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || !is_alnum(label.front()) || !is_alnum(label.back()))
      return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace intransit::policy
