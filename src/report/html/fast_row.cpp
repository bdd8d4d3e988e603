// fast_row.cpp — see fast_row.hpp. Mirrors domain_row.cpp field by field, with nlohmann's
// readings of odd input kept: a repeated key means its last value, iterating a string or number
// visits that one value, iterating an object visits its values, a member of a non-object is
// missing. Field names follow docs/schema/check.schema.json.
#include "report/html/fast_row.hpp"

#include <simdjson.h>
#include <algorithm>
#include <string>

#include "report/html/input.hpp"

namespace intransit::report::html {

struct FastRowReader::Parser {
  simdjson::dom::parser dom{kMaxDocumentBytes};
};

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using Value = std::optional<element>;  // nullopt: the member is missing

// nlohmann keeps the last of repeated keys; simdjson's at_key would give the first.
Value member(const Value& j, std::string_view key) {
  if (!j || j->type() != element_type::OBJECT) return std::nullopt;
  Value found;
  for (const auto kv : simdjson::dom::object(*j)) {
    if (kv.key == key) found = kv.value;
  }
  return found;
}

std::string_view string_of(const Value& v) {
  std::string_view s;
  if (v && v->type() == element_type::STRING) s = v->get_string().value_unsafe();
  return s;
}

std::string string_at(const Value& j, std::string_view key) {
  return std::string(string_of(member(j, key)));
}

bool bool_at(const Value& j, std::string_view key) {
  const auto v = member(j, key);
  return v && v->type() == element_type::BOOL && v->get_bool().value_unsafe();
}

bool is_object(const Value& v) {
  return v && v->type() == element_type::OBJECT;
}

// `for (const auto& x : j)` over an nlohmann value: null visits nothing, an array its elements,
// an object its values, anything else itself once.
template <typename F>
void for_each(const Value& j, F&& f) {
  if (!j || j->type() == element_type::NULL_VALUE) return;
  if (j->type() == element_type::ARRAY) {
    for (const auto e : simdjson::dom::array(*j)) f(Value(e));
  } else if (j->type() == element_type::OBJECT) {
    for (const auto kv : simdjson::dom::object(*j)) f(Value(kv.value));
  } else {
    f(j);
  }
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty() || std::find(list.begin(), list.end(), value) != list.end()) return;
  list.push_back(std::move(value));
}

void add_cert_problems(DomainRow& row, const Value& cert) {
  if (!is_object(cert)) return;
  const auto trusted = member(cert, "trusted");
  if (trusted && trusted->type() == element_type::BOOL && !trusted->get_bool().value_unsafe()) {
    const auto error = string_at(cert, "verify_error");
    add_unique(row.cert_problems, error.empty() ? "untrusted" : "untrusted: " + error);
  }
  const auto names = member(cert, "name_matches");
  if (names && names->type() == element_type::BOOL && !names->get_bool().value_unsafe())
    add_unique(row.cert_problems, "name does not match the MX host");
}

void add_mx(DomainRow& row, const Value& mx) {
  if (!is_object(mx)) return;
  ++row.mx_hosts;
  add_unique(row.operators, registered_domain(string_at(mx, "host")));
  if (bool_at(mx, "dane_applies")) row.dane = true;
  for_each(member(mx, "addresses"), [&](const Value& address) {
    if (!is_object(address)) return;
    add_unique(row.tls_versions, string_at(member(address, "tls"), "version"));
    add_cert_problems(row, member(address, "certificate"));
    for_each(member(address, "findings"),
             [&](const Value& f) { add_unique(row.findings, string_at(f, "id")); });
  });
}

bool is_hex_from_8(char c) {
  return (c >= '8' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A "\uD800".."\uDFFF" escape (or text that merely looks like one after an escaped backslash):
// nlohmann refuses an unpaired surrogate, and whether simdjson does is not ours to rely on.
bool has_surrogate_escape(std::string_view s) {
  for (auto p = s.find("\\u"); p != std::string_view::npos; p = s.find("\\u", p + 1)) {
    if (p + 3 < s.size() && (s[p + 2] == 'd' || s[p + 2] == 'D') && is_hex_from_8(s[p + 3]))
      return true;
  }
  return false;
}

}  // namespace

FastRowReader::FastRowReader() : parser_(std::make_unique<Parser>()) {
  // Depth as nlohmann's guard in input.cpp or less: a deeper line goes to nlohmann, which decides.
  if (parser_->dom.allocate(64 * 1024, kMaxJsonDepth) != simdjson::SUCCESS) parser_.reset();
}

FastRowReader::~FastRowReader() = default;

std::optional<DomainRow> FastRowReader::check_row(std::string_view line) {
  if (!parser_ || has_surrogate_escape(line)) return std::nullopt;
  element root;
  if (parser_->dom.parse(line.data(), line.size(), true).get(root) != simdjson::SUCCESS)
    return std::nullopt;
  const Value check(root);
  const auto schema = member(check, "schema");
  if (!is_object(check) || !schema || schema->type() != element_type::STRING ||
      string_of(schema) != "intransit.check/1")
    return std::nullopt;
  DomainRow row;
  row.domain = string_at(check, "domain");
  row.verdict = parse_verdict(string_at(check, "verdict")).value_or(Verdict::untested);
  row.untested_reason = string_at(check, "untested_reason");
  for_each(member(check, "enforced_by"), [&](const Value& by) {
    if (string_of(by) == "dane") row.dane = true;
  });
  row.mta_sts = string_at(member(member(check, "mta_sts"), "policy"), "mode");
  row.tls_rpt = is_object(member(member(check, "tls_rpt"), "record"));
  for_each(member(check, "mx"), [&](const Value& mx) { add_mx(row, mx); });
  for_each(member(check, "findings"),
           [&](const Value& f) { add_unique(row.findings, string_at(f, "id")); });
  return row;
}

}  // namespace intransit::report::html
