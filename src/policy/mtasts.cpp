// mtasts.cpp — see mtasts.hpp. RFC 8461 §3.1 (sts-text-record ABNF), §3.2 (sts-policy-record
// ABNF), §4.1 (MX host validation).
#include "policy/mtasts.hpp"

#include <charconv>

#include "core/limits.hpp"
#include "policy/text_fields.hpp"

namespace intransit::policy {
namespace {

constexpr std::uint32_t kMaxAge = 31557600;  // RFC 8461 §3.2: one year

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// RFC 8461 §3.1: sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E), i.e. visible characters except
// "=" and ";". A record that breaks it is not a valid record (senders assume no policy).
bool is_sts_ext_value(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x21 || b > 0x7E || c == '=' || c == ';') return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(StsMode mode) {
  switch (mode) {
    case StsMode::enforce: return "enforce";
    case StsMode::testing: return "testing";
    case StsMode::none: return "none";
  }
  return "none";
}

std::optional<StsRecord> parse_sts_record(std::string_view txt, std::string& error) {
  error.clear();
  const auto fields = split_tag_list(txt, error);
  if (!fields) return std::nullopt;
  if (fields->empty() || (*fields)[0].name != "v" || (*fields)[0].value != "STSv1") {
    error = "record does not start with v=STSv1";
    return std::nullopt;
  }
  std::optional<StsRecord> record;
  for (std::size_t i = 1; i < fields->size(); ++i) {
    const auto& f = (*fields)[i];
    if (!is_extension_name(f.name)) {
      error = "malformed field name '" + std::string(f.name) + "'";
      return std::nullopt;
    }
    if (f.name != "id") {  // extensions are allowed and ignored, if well-formed
      if (!is_sts_ext_value(f.value)) {
        error = "malformed extension value for '" + std::string(f.name) + "' (RFC 8461 §3.1)";
        return std::nullopt;
      }
      continue;
    }
    if (record) {
      error = "more than one id";
      return std::nullopt;
    }
    if (f.value.empty() || f.value.size() > 32) {
      error = "id must be 1 to 32 characters";
      return std::nullopt;
    }
    for (char c : f.value) {
      if (!is_alnum(c)) {
        error = "id may hold only letters and digits";
        return std::nullopt;
      }
    }
    record = StsRecord{std::string(f.value)};
  }
  if (!record) error = "no id";
  return record;
}

std::optional<StsRecord> select_sts_record(const std::vector<std::string>& txts,
                                           std::string& error) {
  error.clear();
  const auto found = records_with_version(txts, "v=STSv1");
  if (found.size() > 1)
    error = std::to_string(found.size()) + " v=STSv1 records (exactly one is allowed)";
  if (found.size() != 1) return std::nullopt;
  return parse_sts_record(*found.front(), error);
}

namespace {

// A policy being read, field by field (RFC 8461 §3.2), with which required fields were seen.
struct PolicyReader {
  explicit PolicyReader(std::string& e) : error(e) {}
  StsPolicy policy;
  bool have_version = false, have_mode = false, have_max_age = false;
  std::string& error;

  bool field(std::string_view key, std::string_view value);
  bool once(bool& seen, std::string_view key);
  bool version(std::string_view value);
  bool mode(std::string_view value);
  bool max_age(std::string_view value);
  bool mx(std::string_view value);
  bool complete();
};

// One "key: value" line split and checked for syntax (§3.2: field = ext-name ":" *WSP value).
bool split_field(std::string_view line, std::size_t line_no, std::string_view& key,
                 std::string_view& value, std::string& error) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    error = "line " + std::to_string(line_no) + " is not 'key: value'";
    return false;
  }
  key = line.substr(0, colon);
  value = trim_wsp(line.substr(colon + 1));
  if (!is_extension_name(key) || !is_vchar_value(value)) {
    error = "line " + std::to_string(line_no) + " is malformed";
    return false;
  }
  if (line_no == 1 && key != "version") {
    error = "the first field must be version";
    return false;
  }
  return true;
}

bool PolicyReader::field(std::string_view key, std::string_view value) {
  if (key == "version") return once(have_version, key) && version(value);
  if (key == "mode") return once(have_mode, key) && mode(value);
  if (key == "max_age") return once(have_max_age, key) && max_age(value);
  if (key == "mx") return mx(value);
  return true;  // other keys are extensions: allowed, ignored (§3.2)
}

bool PolicyReader::once(bool& seen, std::string_view key) {
  if (seen) {
    error = "duplicate " + std::string(key);
    return false;
  }
  seen = true;
  return true;
}

bool PolicyReader::version(std::string_view value) {
  if (value == "STSv1") return true;
  error = "version must be STSv1";
  return false;
}

bool PolicyReader::mode(std::string_view value) {
  if (value == "enforce") {
    policy.mode = StsMode::enforce;
  } else if (value == "testing") {
    policy.mode = StsMode::testing;
  } else if (value == "none") {
    policy.mode = StsMode::none;
  } else {
    error = "mode must be enforce, testing or none";
    return false;
  }
  return true;
}

bool PolicyReader::max_age(std::string_view value) {
  std::uint64_t age = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), age);
  if (value.empty() || value.size() > 10 || ec != std::errc{} ||
      end != value.data() + value.size() || age > kMaxAge) {
    error = "max_age must be 0 to 31557600";
    return false;
  }
  policy.max_age = static_cast<std::uint32_t>(age);
  return true;
}

bool PolicyReader::mx(std::string_view value) {
  if (policy.mx.size() == limits::kMtaStsMxLines) {
    error = "more than " + std::to_string(limits::kMtaStsMxLines) + " mx lines";
    return false;
  }
  if (!is_mx_pattern(value)) {
    error = "mx '" + std::string(value) + "' is not a host name or *.domain";
    return false;
  }
  policy.mx.push_back(lower(value));
  return true;
}

// §3.2: version, mode and max_age are required; a policy that is not "none" names its MX hosts.
bool PolicyReader::complete() {
  if (!have_version || !have_mode || !have_max_age) {
    error = "version, mode and max_age are required";
    return false;
  }
  if (policy.mode != StsMode::none && policy.mx.empty()) {
    error = "no mx patterns for mode " + std::string(to_string(policy.mode));
    return false;
  }
  return true;
}

}  // namespace

std::optional<StsPolicy> parse_sts_policy(std::string_view body, std::string& error) {
  error.clear();
  if (body.size() > limits::kMtaStsPolicyBytes) {
    error = "policy larger than 64 KiB";
    return std::nullopt;
  }
  PolicyReader reader(error);
  std::size_t line_no = 0;
  for (std::string_view line : split_lines(body)) {
    ++line_no;
    if (line.empty()) continue;
    std::string_view key, value;
    if (!split_field(line, line_no, key, value, error)) return std::nullopt;
    if (!reader.field(key, value)) return std::nullopt;
  }
  if (!reader.complete()) return std::nullopt;
  return std::move(reader.policy);
}

bool mx_matches(std::string_view pattern, std::string_view host) {
  const std::string p = lower(strip_trailing_dot(pattern));
  const std::string h = lower(strip_trailing_dot(host));
  if (p.rfind("*.", 0) != 0) return p == h;
  const std::string_view rest = std::string_view(p).substr(1);  // ".example.net"
  if (h.size() <= rest.size() || h.compare(h.size() - rest.size(), rest.size(), rest) != 0)
    return false;
  const std::string_view label = std::string_view(h).substr(0, h.size() - rest.size());
  return !label.empty() && label.find('.') == std::string_view::npos;
}

}  // namespace intransit::policy
