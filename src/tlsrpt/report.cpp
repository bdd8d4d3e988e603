// report.cpp — see report.hpp. The JSON is checked for nesting depth before nlohmann::json reads
// it, and made valid UTF-8 first (invalid bytes become U+FFFD, named in a note), so neither the
// parser nor any output ever meets a stranger's broken bytes.
#include "tlsrpt/report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "tlsrpt/datetime.hpp"
#include "tlsrpt/utf8_repair.hpp"

namespace intransit::tlsrpt {
namespace {

using json = nlohmann::json;

// Counts (sessions) past this are not believed: 10^15 sessions a day is no real reporter.
constexpr std::uint64_t kMaxCount = 1'000'000'000'000'000ULL;

// True when arrays and objects nest deeper than limits::tlsrpt::kJsonDepth anywhere in `text`.
bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limits::tlsrpt::kJsonDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// The first `n` bytes of `s`, never ending inside a UTF-8 sequence (for quoting in notes).
std::string head(std::string_view s, std::size_t n) {
  std::string out(s.substr(0, n));
  if (out.size() < s.size()) utf8_trim_partial(out);
  return out;
}

class Reader {
 public:
  explicit Reader(std::vector<Note>& notes) : notes_(notes) {}

  // Records a tolerance once per id; later ones are counted on the first.
  void note(const std::string& id, const std::string& where) {
    const auto it = seen_.find(id);
    if (it != seen_.end()) {
      ++it->second.second;
      return;
    }
    seen_.emplace(id, std::make_pair(notes_.size(), std::size_t{1}));
    notes_.push_back({id, where});
  }
  void finish_notes() {
    for (const auto& [id, at] : seen_) {
      if (at.second > 1)
        notes_[at.first].detail += " (and " + std::to_string(at.second - 1) + " more)";
    }
  }

  bool fail(const std::string& why) {
    if (error.empty()) error = why;
    return false;
  }

  // Names the members of `obj` that RFC 8460 §4.4 does not define at this place.
  void unknown_members(const json& obj, std::initializer_list<std::string_view> known,
                       const std::string& where) {
    std::string names;
    std::size_t listed = 0, more = 0;
    for (const auto& [key, value] : obj.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      if (listed++ < limits::tlsrpt::kUnknownNamesListed) {
        names += (names.empty() ? "" : ", ") + head(key, 64);
      } else {
        ++more;
      }
    }
    if (listed == 0) return;
    if (more > 0) names += " and " + std::to_string(more) + " more";
    note("unknown-member", where + ": " + names);
  }

  std::string clip(std::string s, const std::string& where) {
    if (s.size() > limits::tlsrpt::kFieldBytes) {
      s.resize(limits::tlsrpt::kFieldBytes);
      utf8_trim_partial(s);
      note("field-truncated",
           where + " kept to " + std::to_string(limits::tlsrpt::kFieldBytes) + " bytes");
    }
    return s;
  }

  // A string member; nullopt when it is missing (not an error here) or malformed (error set).
  std::optional<std::string> string_member(const json& obj, const char* key,
                                           const std::string& where) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return clip(it->get<std::string>(), where + "." + key);
    if (it->is_number()) {
      note("number-as-text", where + "." + key + " is a number, read as text");
      return clip(it->dump(), where + "." + key);
    }
    fail(where + "." + key + " is not a string");
    return std::nullopt;
  }

  std::optional<std::string> required_string(const json& obj, const char* key,
                                             const std::string& where) {
    auto s = string_member(obj, key, where);
    if (!s && error.empty()) fail(where + "." + key + " is missing (RFC 8460 §4.4 requires it)");
    if (s && s->empty()) {
      fail(where + "." + key + " is empty");
      return std::nullopt;
    }
    return s;
  }

  // A session count: a non-negative integer; digits in a string are tolerated.
  std::optional<std::uint64_t> count(const json& obj, const char* key, const std::string& where) {
    const auto it = obj.find(key);
    const std::string at = where + "." + key;
    if (it == obj.end()) return fail(at + " is missing (RFC 8460 §4.4 requires it)"), std::nullopt;
    std::uint64_t v = 0;
    if (it->is_number_unsigned()) {
      v = it->get<std::uint64_t>();
    } else if (it->is_number_float() && it->get<double>() >= 0 && it->get<double>() < 1e15 &&
               static_cast<double>(static_cast<std::uint64_t>(it->get<double>())) ==
                   it->get<double>()) {
      note("number-as-float", at + " is written as a decimal fraction");
      v = static_cast<std::uint64_t>(it->get<double>());
    } else if (it->is_string() && !it->get_ref<const std::string&>().empty() &&
               it->get_ref<const std::string&>().size() <= 16 &&
               std::all_of(it->get_ref<const std::string&>().begin(),
                           it->get_ref<const std::string&>().end(),
                           [](char c) { return c >= '0' && c <= '9'; })) {
      note("number-as-string", at + " is a number written as a string");
      v = std::stoull(it->get<std::string>());
    } else {
      return fail(at + " is not a non-negative integer"), std::nullopt;
    }
    if (v > kMaxCount) return fail(at + " is implausibly large"), std::nullopt;
    return v;
  }

  // A list of strings; a single string is tolerated (named `id`) and split into lines.
  std::optional<std::vector<std::string>> string_list(const json& obj, const char* key,
                                                      const std::string& where, const char* id) {
    std::vector<std::string> out;
    const auto it = obj.find(key);
    const std::string at = where + "." + key;
    if (it == obj.end() || it->is_null()) return out;
    if (it->is_string()) {
      note(id, at + " is a string, not a list of strings");
      std::string_view rest = it->get_ref<const std::string&>();
      while (!rest.empty() && out.size() < limits::tlsrpt::kListEntries) {
        const auto nl = rest.find('\n');
        std::string line(rest.substr(0, nl));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) out.push_back(clip(std::move(line), at));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      return out;
    }
    if (!it->is_array()) return fail(at + " is not a list of strings"), std::nullopt;
    for (const auto& item : *it) {
      if (!item.is_string())
        return fail(at + " holds something that is not a string"), std::nullopt;
      if (out.size() == limits::tlsrpt::kListEntries) {
        note("list-truncated",
             at + " kept to " + std::to_string(limits::tlsrpt::kListEntries) + " entries");
        break;
      }
      out.push_back(clip(item.get<std::string>(), at));
    }
    return out;
  }

  std::optional<std::int64_t> date(const json& range, const char* key) {
    const std::string at = std::string("date-range.") + key;
    const auto s = string_member(range, key, "date-range");
    if (!s) return fail(at + " is missing (RFC 8460 §4.4 requires it)"), std::nullopt;
    const auto dt = parse_datetime(*s);
    if (!dt) return fail(at + " is not an RFC 3339 date-time: " + head(*s, 64)), std::nullopt;
    switch (dt->tolerance) {
      case DateTolerance::none: break;
      case DateTolerance::no_zone:
        note("date-without-zone", at + " has no time zone: read as UTC");
        break;
      case DateTolerance::date_only:
        note("date-without-time", at + " is a date only: read as 00:00:00Z");
        break;
      case DateTolerance::space_for_t:
        note("date-space-separator", at + " separates date and time with a space");
        break;
    }
    return dt->epoch;
  }

  bool failure_detail(const json& j, const std::string& at, FailureDetail& f) {
    if (!j.is_object()) return fail(at + " is not an object");
    unknown_members(
        j,
        {"result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo",
         "receiving-ip", "failed-session-count", "additional-information", "failure-reason-code"},
        at);
    const auto word = required_string(j, "result-type", at);
    const auto n = count(j, "failed-session-count", at);
    if (!word || !n) return false;
    f.result_word = *word;
    f.result_type = result_type_from_word(*word);
    if (!f.result_type)
      note("unknown-result-type",
           at + ".result-type '" + head(*word, 64) + "' is not one RFC 8460 §4.3 defines");
    f.failed_sessions = *n;
    f.sending_mta_ip = string_member(j, "sending-mta-ip", at).value_or("");
    f.receiving_mx_hostname = text::lower(
        text::strip_trailing_dot(string_member(j, "receiving-mx-hostname", at).value_or("")));
    f.receiving_mx_helo = string_member(j, "receiving-mx-helo", at).value_or("");
    f.receiving_ip = string_member(j, "receiving-ip", at).value_or("");
    f.additional_information = string_member(j, "additional-information", at).value_or("");
    f.failure_reason_code = string_member(j, "failure-reason-code", at).value_or("");
    return error.empty();
  }

  bool policy_block(const json& j, const std::string& at, PolicyResult& p) {
    const auto it = j.find("policy");
    if (it == j.end() || !it->is_object()) return fail(at + ".policy is missing or not an object");
    const std::string pat = at + ".policy";
    unknown_members(*it, {"policy-type", "policy-string", "policy-domain", "mx-host"}, pat);
    const auto type = required_string(*it, "policy-type", pat);
    const auto domain = required_string(*it, "policy-domain", pat);
    if (!type || !domain) return false;
    p.type_word = *type;
    if (text::equals_lower(*type, "sts")) {
      p.type = PolicyType::sts;
    } else if (text::equals_lower(*type, "tlsa")) {
      p.type = PolicyType::tlsa;
    } else if (text::equals_lower(*type, "no-policy-found")) {
      p.type = PolicyType::no_policy_found;
    } else {
      note("unknown-policy-type",
           pat + ".policy-type '" + head(*type, 64) + "' is not sts, tlsa or no-policy-found");
    }
    p.domain = text::lower(text::strip_trailing_dot(*domain));
    auto lines = string_list(*it, "policy-string", pat, "policy-string-not-list");
    auto mx = string_list(*it, "mx-host", pat, "mx-host-not-list");
    if (!lines || !mx) return false;
    p.policy_string = std::move(*lines);
    for (auto& m : *mx) p.mx_host.push_back(text::lower(text::strip_trailing_dot(m)));
    return true;
  }

  bool policy(const json& j, const std::string& at, PolicyResult& p) {
    if (!j.is_object()) return fail(at + " is not an object");
    unknown_members(j, {"policy", "summary", "failure-details"}, at);
    if (!policy_block(j, at, p)) return false;
    const auto s = j.find("summary");
    if (s == j.end() || !s->is_object()) return fail(at + ".summary is missing or not an object");
    unknown_members(*s, {"total-successful-session-count", "total-failure-session-count"},
                    at + ".summary");
    const auto ok = count(*s, "total-successful-session-count", at + ".summary");
    const auto bad = count(*s, "total-failure-session-count", at + ".summary");
    if (!ok || !bad) return false;
    p.successful = *ok;
    p.failed = *bad;
    const auto f = j.find("failure-details");
    if (f == j.end() || f->is_null()) return true;
    if (!f->is_array()) return fail(at + ".failure-details is not a list");
    for (std::size_t i = 0; i < f->size(); ++i) {
      if (i == limits::tlsrpt::kListEntries) {
        note("list-truncated", at + ".failure-details kept to " + std::to_string(i) + " entries");
        break;
      }
      FailureDetail d;
      if (!failure_detail((*f)[i], at + ".failure-details[" + std::to_string(i) + "]", d))
        return false;
      p.failures.push_back(std::move(d));
    }
    return true;
  }

  bool top(const json& j, Report& r) {
    if (!j.is_object()) return fail("the report is not a JSON object");
    unknown_members(j, {"organization-name", "date-range", "contact-info", "report-id", "policies"},
                    "report");
    const auto org = required_string(j, "organization-name", "report");
    const auto id = required_string(j, "report-id", "report");
    if (!org || !id) return false;
    r.organization = *org;
    r.report_id = *id;
    const auto contact = string_member(j, "contact-info", "report");
    if (!error.empty()) return false;
    if (!contact)
      note("missing-contact-info", "report.contact-info is missing (RFC 8460 §4.4 requires it)");
    r.contact = contact.value_or("");
    const auto range = j.find("date-range");
    if (range == j.end() || !range->is_object())
      return fail("report.date-range is missing or not an object");
    unknown_members(*range, {"start-datetime", "end-datetime"}, "date-range");
    const auto start = date(*range, "start-datetime");
    const auto end = date(*range, "end-datetime");
    if (!start || !end) return false;
    r.start = *start;
    r.end = *end;
    if (r.end < r.start) note("date-range-reversed", "date-range ends before it starts");
    const auto pol = j.find("policies");
    if (pol == j.end() || !pol->is_array()) return fail("report.policies is missing or not a list");
    if (pol->empty()) note("no-policies", "report.policies is empty: the report says nothing");
    for (std::size_t i = 0; i < pol->size(); ++i) {
      if (i == limits::tlsrpt::kListEntries) {
        note("list-truncated", "report.policies kept to " + std::to_string(i) + " entries");
        break;
      }
      PolicyResult p;
      if (!policy((*pol)[i], "policies[" + std::to_string(i) + "]", p)) return false;
      r.policies.push_back(std::move(p));
    }
    return true;
  }

  std::string error;

 private:
  std::vector<Note>& notes_;
  std::map<std::string, std::pair<std::size_t, std::size_t>> seen_;  // id -> (note index, count)
};

}  // namespace

std::string_view to_string(PolicyType type) {
  switch (type) {
    case PolicyType::sts: return "sts";
    case PolicyType::tlsa: return "tlsa";
    case PolicyType::no_policy_found: return "no-policy-found";
    case PolicyType::other: return "other";
  }
  return "other";
}

std::optional<Report> parse_report(std::string_view bytes, std::string& error,
                                   std::vector<Note> notes) {
  if (bytes.size() > limits::tlsrpt::kReportBytes) {
    error = "larger than " + std::to_string(limits::tlsrpt::kReportBytes >> 20U) + " MiB";
    return std::nullopt;
  }
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    notes.push_back(
        {"utf8-bom", "the JSON starts with a UTF-8 byte order mark (RFC 8259 §8.1 forbids it)"});
  }
  std::string repaired;
  if (!text::is_valid_utf8(bytes)) {
    std::size_t replaced = 0;
    repaired = utf8_repair(bytes, replaced);
    bytes = repaired;
    notes.push_back({"invalid-utf8",
                     std::to_string(replaced) + " byte(s) that are not UTF-8 replaced by U+FFFD"});
  }
  if (too_deep(bytes)) {
    error = "JSON nested deeper than " + std::to_string(limits::tlsrpt::kJsonDepth) + " levels";
    return std::nullopt;
  }
  json doc;
  try {
    doc = json::parse(bytes.begin(), bytes.end());
  } catch (const json::parse_error& e) {
    error = "not valid JSON (at byte " + std::to_string(e.byte) + ")";
    return std::nullopt;
  } catch (const json::exception&) {  // out_of_range 406: a number too large for a double
    error = "not readable JSON: a number out of range";
    return std::nullopt;
  }
  Report r;
  Reader reader(notes);
  if (!reader.top(doc, r)) {
    error = reader.error;
    return std::nullopt;
  }
  reader.finish_notes();
  r.notes = std::move(notes);
  return r;
}

}  // namespace intransit::tlsrpt
