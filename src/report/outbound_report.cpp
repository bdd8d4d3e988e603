// outbound_report.cpp — see outbound_report.hpp.
#include "report/outbound_report.hpp"

#include <cstdio>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/swar.hpp"
#include "core/text.hpp"
#include "logs/syslog_line.hpp"

namespace intransit::report {

namespace {

using logs::Protection;

std::string time_text(std::int64_t t, std::int32_t micros, bool known) {
  return known ? logs::format_time(t, micros) : std::string();
}

nlohmann::json time_json(std::int64_t t, std::int32_t micros, bool known) {
  return known ? nlohmann::json(logs::format_time(t, micros)) : nlohmann::json(nullptr);
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "0%";
  const double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  char buf[32];
  // 99.96% must not print as 100% while something went in plaintext.
  if (part != whole && p > 99.9) return "99.9%";
  std::snprintf(buf, sizeof buf, p >= 10 || p == 0 ? "%.1f%%" : "%.2f%%", p);
  return buf;
}

nlohmann::json ref_to_json(const logs::DeliveryRef& r) {
  return {{"time", time_json(r.time, 0, r.time_known)},
          {"queue_id", text::printable(r.queue_id)},
          {"relay_host", text::printable(r.relay_host)},
          {"relay_address", text::printable(r.relay_address)},
          {"protection", logs::to_string(r.protection)}};
}

nlohmann::json domain_to_json(const std::string& name, const logs::DomainTally& t) {
  nlohmann::json versions = nlohmann::json::object();
  for (const auto& [v, n] : t.tls_versions) versions[text::printable(v)] = n;
  return {{"domain", text::printable(name)},
          {"deliveries", t.deliveries},
          {"verified", t.count(Protection::verified)},
          {"encrypted_unverified", t.count(Protection::encrypted_unverified)},
          {"plaintext", t.count(Protection::plaintext)},
          {"unknown", t.count(Protection::unknown)},
          {"sent", t.by_result[0]},
          {"deferred", t.by_result[1]},
          {"bounced", t.by_result[2]},
          {"tls_versions", versions},
          {"last_seen", time_json(t.last_seen, 0, t.last_seen_known)}};
}

nlohmann::json advice_to_json(const logs::Advice& a) {
  nlohmann::json deferred = nlohmann::json::array();
  for (const auto& r : a.deferred) deferred.push_back(ref_to_json(r));
  nlohmann::json relays = nlohmann::json::array();
  for (const auto& r : a.relays) relays.push_back(text::printable(r));
  return {{"domain", text::printable(a.domain)},
          {"proposal", logs::to_string(a.proposal)},
          {"reason", a.reason},
          {"published",
           {{"audited", a.published.audited},
            {"dane", a.published.dane},
            {"mta_sts", a.published.mta_sts},
            {"verdict", a.published.verdict}}},
          {"stronger",
           a.stronger ? nlohmann::json(logs::to_string(*a.stronger)) : nlohmann::json(nullptr)},
          {"would_defer", a.would_defer},
          {"would_defer_examples", deferred},
          {"relays", relays}};
}

// Deliveries whose protection the log states.
std::uint64_t judged(const logs::DomainTally& t) {
  return t.deliveries - t.count(Protection::unknown);
}

void write_summary_sentence(std::ostream& out, const OutboundRun& run) {
  const auto& total = run.tally->total();
  const auto known = judged(total);
  const auto plaintext = total.count(Protection::plaintext);
  const auto verified = total.count(Protection::verified);
  const auto tls = verified + total.count(Protection::encrypted_unverified);
  if (total.deliveries == 0) {
    out << "No deliveries found in the logs.\n";
    return;
  }
  out << thousands(tls) << " of " << thousands(known) << " deliveries (" << percent(tls, known)
      << ") left over TLS";
  if (plaintext > 0) {
    std::vector<std::string> names;
    std::size_t domains = 0;
    for (const auto& [name, t] : run.tally->ranked()) {
      if (t->count(Protection::plaintext) == 0) continue;
      ++domains;
      if (names.size() < 5) names.push_back(text::printable(name));
    }
    out << "; " << thousands(plaintext) << " went in plaintext to " << domains
        << (domains == 1 ? " domain: " : " domains: ");
    for (std::size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << names[i];
    if (domains > names.size()) out << ", ...";
  }
  if (tls > 0 && verified < tls) {
    out << "; " << (verified == 0 ? "none" : "only " + percent(verified, tls))
        << " of the TLS deliveries were authenticated — the rest would have been delivered to an "
           "attacker presenting any "
           "certificate";
  } else if (tls > 0) {
    out << "; every one of them authenticated the receiving server";
  }
  out << ".\n";
  if (total.count(Protection::unknown) > 0) {
    out << thousands(total.count(Protection::unknown))
        << " more could not be judged: no connection was made, or the log records no TLS at all"
        << (run.tls_logged ? "" : " (Postfix: smtp_tls_loglevel = 1; Sendmail: LogLevel 9)")
        << ".\n";
  }
}

std::string versions_text(const logs::DomainTally& t) {
  std::string s;
  for (const auto& [v, n] : t.tls_versions)
    s += (s.empty() ? "" : " ") + text::printable(v) + ":" + thousands(n);
  return s.empty() ? "-" : s;
}

void write_domain_table(std::ostream& out, const OutboundRun& run) {
  const auto ranked = run.tally->ranked();
  if (ranked.empty()) return;
  out << "\nBy destination domain, worst first:\n";
  char head[256];
  std::snprintf(head, sizeof head, "  %-32s %10s %10s %10s  %-28s %s\n", "domain", "deliveries",
                "plaintext", "unverified", "TLS versions", "last seen");
  out << head;
  for (const auto& [name, t] : ranked) {
    char row[512];
    std::snprintf(
        row, sizeof row, "  %-32s %10s %10s %10s  %-28s %s\n", text::printable(name).c_str(),
        thousands(t->deliveries).c_str(), thousands(t->count(Protection::plaintext)).c_str(),
        thousands(t->count(Protection::encrypted_unverified)).c_str(), versions_text(*t).c_str(),
        time_text(t->last_seen, 0, t->last_seen_known).c_str());
    out << row;
  }
  if (run.tally->other_domain_deliveries() > 0) {
    out << "  (" << thousands(run.tally->other_domain_deliveries())
        << " deliveries to further domains, beyond " << thousands(logs::kTallyDomains)
        << " listed)\n";
  }
}

void write_lines(std::ostream& out, const OutboundRun& run) {
  const auto& l = run.lines;
  out << "\nLog lines: " << thousands(l.lines) << " read, " << thousands(l.deliveries)
      << " deliveries, " << thousands(l.tls) << " TLS, " << thousands(l.ignored)
      << " of no interest, " << thousands(l.unparsed) << " not understood, " << thousands(l.cut)
      << " over 64 KiB skipped";
  if (l.evicted > 0)
    out << ", " << thousands(l.evicted)
        << " TLS lines dropped unjoined (too many processes at once)";
  if (run.outside_period > 0)
    out << "; " << thousands(run.outside_period) << " deliveries outside --since/--until";
  out << ".\n";
  for (const auto& s : l.unparsed_samples)
    out << "  not understood: " << text::printable(s.substr(0, 200)) << "\n";
  for (const auto& in : run.inputs) {
    if (!in.error.empty())
      out << "  input " << text::printable(in.path) << ": " << text::printable(in.error) << "\n";
  }
}

void write_advice(std::ostream& out, const std::vector<logs::Advice>& advice) {
  if (advice.empty()) return;
  out << "\nWhat you could enforce (from the deliveries above and each domain's published "
         "policy):\n";
  for (const auto& a : advice) {
    out << "  " << text::printable(a.domain) << ": " << logs::to_string(a.proposal) << " — "
        << a.reason;
    if (a.published.audited && a.reason.find("(check: ") == std::string::npos) {
      out << " (check: " << a.published.verdict << ")";
    }
    out << "\n";
    if (a.stronger && a.would_defer > 0) {
      out << "    " << logs::to_string(*a.stronger) << " would have deferred "
          << thousands(a.would_defer) << (a.would_defer == 1 ? " delivery" : " deliveries") << ":";
      for (const auto& r : a.deferred) {
        out << " " << text::printable(r.queue_id) << "@" << time_text(r.time, 0, r.time_known)
            << " via " << text::printable(r.relay_host) << "[" << text::printable(r.relay_address)
            << "]";
      }
      if (a.would_defer > a.deferred.size()) out << " ...";
      out << "\n";
    }
  }
  out << "\nPostfix (smtp_tls_policy_maps = texthash:/etc/postfix/tls_policy):\n";
  for (const auto& a : advice) {
    if (a.proposal == logs::Policy::none) continue;
    out << "  " << text::printable(a.domain) << "\t" << logs::to_string(a.proposal)
        << (a.proposal == logs::Policy::secure ? "\tmatch=nexthop:dot-nexthop" : "") << "\n";
  }
  std::string require, verify, dane;
  for (const auto& a : advice) {
    if (a.proposal == logs::Policy::none) continue;
    for (const auto& r : a.relays) {
      const auto host = text::printable(r);
      require += (require.empty() ? "" : " : ") + host;
      if (a.proposal == logs::Policy::secure) verify += (verify.empty() ? "" : " : ") + host;
      if (a.proposal == logs::Policy::dane_only) dane += (dane.empty() ? "" : " : ") + host;
    }
  }
  out << "Exim (remote_smtp transport, the relay hosts seen for those domains):\n";
  out << "  hosts_require_tls = " << (require.empty() ? "<none>" : require) << "\n";
  out << "  tls_verify_hosts = " << (verify.empty() ? "<none>" : verify) << "\n";
  out << "  hosts_require_dane = " << (dane.empty() ? "<none>" : dane) << "\n";
}

}  // namespace

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

nlohmann::json delivery_to_json(const logs::Delivery& d) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : d.lines) lines.push_back(text::printable(l));
  nlohmann::json tls = nullptr;
  if (!d.tls_version.empty() || !d.tls_trust.empty()) {
    tls = {{"version", text::printable(d.tls_version)},
           {"cipher", text::printable(d.tls_cipher)},
           {"trust", text::printable(d.tls_trust)}};
  }
  return {{"schema", kOutboundSchema},
          {"record", "delivery"},
          {"time", time_json(d.time, d.micros, d.time_known)},
          {"mta", logs::to_string(d.mta)},
          {"host", text::printable(d.host)},
          {"queue_id", text::printable(d.queue_id)},
          {"recipient_domain", text::printable(d.recipient_domain)},
          {"relay",
           {{"host", text::printable(d.relay_host)},
            {"address", text::printable(d.relay_address)},
            {"port", d.relay_port == 0 ? nlohmann::json(nullptr) : nlohmann::json(d.relay_port)}}},
          {"result", logs::to_string(d.result)},
          {"protection", logs::to_string(d.protection)},
          {"tls", tls},
          {"lines", lines}};
}

namespace {

// is_plain_json(s): true when `s` is printable ASCII without '"' or '\\': then
// text::printable(s) is `s` and nothing needs a JSON escape, so the string is appended whole
// after one pass over it, sixteen bytes a step with SSE2 (x86-64 always has it), eight without
// (most log text; a per-byte loop was a tenth of `outbound`'s CPU, the eight-byte one 8 %).
#if defined(__SSE2__)
// Any byte of the sixteen at `p` that needs care: a signed byte below 0x20 is a control byte or
// one with the high bit set; then DEL, the quote and the backslash.
bool any_to_escape16(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i bad = _mm_or_si128(
      _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f))),
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
  return _mm_movemask_epi8(bad) != 0;
}

bool is_plain_json(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n < 16) {  // short fields (a host, a queue id): padded with a plain byte
    char buf[16];
    std::memset(buf, 'a', sizeof buf);
    if (n != 0) std::memcpy(buf, p, n);
    return !any_to_escape16(buf);
  }
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    if (any_to_escape16(p + i)) return false;
  }
  return i == n || !any_to_escape16(p + n - 16);  // the tail, overlapping the last step
}
#else
bool is_plain_json(std::string_view s) {
  const char* p = s.data();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    const std::uint64_t x = swar::load(p + i);
    if ((swar::below(x, 0x20) | (x & swar::kHigh) | swar::equal(x, 0x7f) | swar::equal(x, '\\') |
         swar::equal(x, '"')) != 0)
      return false;
  }
  for (; i < s.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(p[i]);
    if (b < 0x20 || b >= 0x7f || b == '\\' || b == '"') return false;
  }
  return true;
}
#endif

// A JSON string of printable(raw): printable() leaves no control bytes and valid UTF-8, so only
// the quote and the backslash need escaping (RFC 8259 §7).
void append_json_string(std::string& out, std::string_view raw) {
  if (is_plain_json(raw)) {
    out += '"';
    out.append(raw);
    out += '"';
    return;
  }
  std::string escaped;
  const std::string_view s = text::is_plain_printable(raw) ? raw : (escaped = text::printable(raw));
  out += '"';
  // Runs without a quote or backslash are appended whole (this loop was a sixth of the CPU time
  // when it appended byte by byte).
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"' || s[i] == '\\') {
      out.append(s.data() + start, i - start);
      out += '\\';
      start = i;
    }
  }
  out.append(s.data() + start, s.size() - start);
  out += '"';
}

// `prefix` is the member's `,"key":` written whole (one append instead of three).
void append_field(std::string& out, std::string_view prefix, std::string_view value) {
  out += prefix;
  append_json_string(out, value);
}

}  // namespace

// The same record as delivery_to_json(d).dump() (a unit test holds them equal), written directly:
// a gigabyte of log holds a million deliveries, and building a JSON tree for each cost more than
// reading the log (bench/README.md, outbound).
std::string delivery_to_json_line(const logs::Delivery& d) {
  std::string out;
  out.reserve(256 + 160 * d.lines.size());
  append_delivery_json_line(out, d);
  return out;
}

void append_delivery_json_line(std::string& out, const logs::Delivery& d) {
  using namespace std::string_view_literals;
  static constexpr std::string_view kSchema{kOutboundSchema};  // no strlen per delivery
  out += R"({"schema":")"sv;
  out += kSchema;
  out += R"(","record":"delivery","time":)"sv;
  if (d.time_known) {
    out += '"';
    logs::append_time(out, d.time, d.micros);  // digits, '-', ':', '.', 'T', 'Z': no escape
    out += '"';
  } else {
    out += "null"sv;
  }
  append_field(out, R"(,"mta":)"sv, logs::to_string(d.mta));
  append_field(out, R"(,"host":)"sv, d.host);
  append_field(out, R"(,"queue_id":)"sv, d.queue_id);
  append_field(out, R"(,"recipient_domain":)"sv, d.recipient_domain);
  append_field(out, R"(,"relay":{"host":)"sv, d.relay_host);
  append_field(out, R"(,"address":)"sv, d.relay_address);
  out += R"(,"port":)"sv;
  if (d.relay_port == 0) {
    out += "null"sv;
  } else {
    out += std::to_string(d.relay_port);
  }
  out += '}';
  append_field(out, R"(,"result":)"sv, logs::to_string(d.result));
  append_field(out, R"(,"protection":)"sv, logs::to_string(d.protection));
  if (!d.tls_version.empty() || !d.tls_trust.empty()) {
    append_field(out, R"(,"tls":{"version":)"sv, d.tls_version);
    append_field(out, R"(,"cipher":)"sv, d.tls_cipher);
    append_field(out, R"(,"trust":)"sv, d.tls_trust);
    out += '}';
  } else {
    out += R"(,"tls":null)"sv;
  }
  out += R"(,"lines":[)"sv;
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, d.lines[i]);
  }
  out += "]}"sv;
}

nlohmann::json outbound_summary_to_json(const OutboundRun& run) {
  const auto& total = run.tally->total();
  nlohmann::json domains = nlohmann::json::array();
  for (const auto& [name, t] : run.tally->ranked()) domains.push_back(domain_to_json(name, *t));
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& s : run.lines.unparsed_samples) samples.push_back(text::printable(s));
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& in : run.inputs) {
    inputs.push_back({{"path", text::printable(in.path)},
                      {"error", in.error.empty() ? nlohmann::json(nullptr)
                                                 : nlohmann::json(text::printable(in.error))}});
  }
  nlohmann::json versions = nlohmann::json::object();
  for (const auto& [v, n] : total.tls_versions) versions[text::printable(v)] = n;
  const auto& l = run.lines;
  nlohmann::json j = {{"schema", kOutboundSchema},
                      {"record", "summary"},
                      {"deliveries", total.deliveries},
                      {"by_protection",
                       {{"verified", total.count(Protection::verified)},
                        {"encrypted_unverified", total.count(Protection::encrypted_unverified)},
                        {"plaintext", total.count(Protection::plaintext)},
                        {"unknown", total.count(Protection::unknown)}}},
                      {"by_result",
                       {{"sent", total.by_result[0]},
                        {"deferred", total.by_result[1]},
                        {"bounced", total.by_result[2]}}},
                      {"tls_versions", versions},
                      {"tls_logged", run.tls_logged},
                      {"domains", domains},
                      {"other_domain_deliveries", run.tally->other_domain_deliveries()},
                      {"lines",
                       {{"read", l.lines},
                        {"deliveries", l.deliveries},
                        {"tls", l.tls},
                        {"ignored", l.ignored},
                        {"unparsed", l.unparsed},
                        {"cut", l.cut},
                        {"evicted", l.evicted}}},
                      {"outside_period", run.outside_period},
                      {"unparsed_samples", samples},
                      {"inputs", inputs}};
  if (run.advice != nullptr) {
    nlohmann::json advice = nlohmann::json::array();
    for (const auto& a : *run.advice) advice.push_back(advice_to_json(a));
    j["advice"] = advice;
  }
  return j;
}

void write_delivery_text(std::ostream& out, const logs::Delivery& d) {
  out << time_text(d.time, d.micros, d.time_known) << " " << text::printable(d.queue_id) << " "
      << text::printable(d.recipient_domain) << " via "
      << text::printable(d.relay_host.empty() ? "-" : d.relay_host) << "["
      << text::printable(d.relay_address) << "] " << logs::to_string(d.result) << " "
      << logs::to_string(d.protection);
  if (!d.tls_version.empty())
    out << " " << text::printable(d.tls_version) << " " << text::printable(d.tls_cipher);
  out << "\n";
}

void write_outbound_text(std::ostream& out, const OutboundRun& run) {
  write_summary_sentence(out, run);
  write_domain_table(out, run);
  write_lines(out, run);
  if (run.advice != nullptr) write_advice(out, *run.advice);
}

}  // namespace intransit::report
