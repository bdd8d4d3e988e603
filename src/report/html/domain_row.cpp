// domain_row.cpp — see domain_row.hpp. Field names follow docs/schema/check.schema.json.
#include "report/html/domain_row.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

std::string string_at(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_at(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

const json& member(const json& j, const char* key) {
  static const json null;
  if (!j.is_object()) return null;
  const auto it = j.find(key);
  return it != j.end() ? *it : null;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty() || std::find(list.begin(), list.end(), value) != list.end()) return;
  list.push_back(std::move(value));
}

// "untrusted: certificate has expired", "name mismatch", ...
void add_cert_problems(DomainRow& row, const json& cert) {
  if (!cert.is_object()) return;
  const auto trusted = cert.find("trusted");
  if (trusted != cert.end() && trusted->is_boolean() && !trusted->get<bool>()) {
    const auto error = string_at(cert, "verify_error");
    add_unique(row.cert_problems, error.empty() ? "untrusted" : "untrusted: " + error);
  }
  const auto names = cert.find("name_matches");
  if (names != cert.end() && names->is_boolean() && !names->get<bool>())
    add_unique(row.cert_problems, "name does not match the MX host");
}

void add_mx(DomainRow& row, const json& mx) {
  if (!mx.is_object()) return;
  ++row.mx_hosts;
  add_unique(row.operators, registered_domain(string_at(mx, "host")));
  if (bool_at(mx, "dane_applies")) row.dane = true;
  for (const auto& address : member(mx, "addresses")) {
    if (!address.is_object()) continue;
    add_unique(row.tls_versions, string_at(member(address, "tls"), "version"));
    add_cert_problems(row, member(address, "certificate"));
    for (const auto& f : member(address, "findings")) add_unique(row.findings, string_at(f, "id"));
  }
}

}  // namespace

std::string registered_domain(std::string_view host) {
  host = text::strip_trailing_dot(host);
  const auto last = host.rfind('.');
  if (last == std::string_view::npos || last == 0) return text::lower(host);
  const auto second = host.rfind('.', last - 1);
  return text::lower(second == std::string_view::npos ? host : host.substr(second + 1));
}

DomainRow domain_row(const json& check) {
  DomainRow row;
  row.domain = string_at(check, "domain");
  row.verdict = parse_verdict(string_at(check, "verdict")).value_or(Verdict::untested);
  row.untested_reason = string_at(check, "untested_reason");
  for (const auto& by : member(check, "enforced_by")) {
    if (by == "dane") row.dane = true;
  }
  row.mta_sts = string_at(member(member(check, "mta_sts"), "policy"), "mode");
  row.tls_rpt = member(member(check, "tls_rpt"), "record").is_object();
  for (const auto& mx : member(check, "mx")) add_mx(row, mx);
  for (const auto& f : member(check, "findings")) add_unique(row.findings, string_at(f, "id"));
  return row;
}

}  // namespace intransit::report::html
