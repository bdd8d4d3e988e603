// check_report.cpp — see check_report.hpp.
#include "report/check_report.hpp"

#include <iomanip>
#include <sstream>

#include "report/keys_report.hpp"
#include "report/probe_report.hpp"

namespace intransit::report {
using nlohmann::json;

namespace {

json answer_json(const dns::Answer& a) {
  json j = {{"name", a.name},
            {"type", dns::to_string(a.type)},
            {"status", dns::to_string(a.status)},
            {"dnssec", dns::to_string(a.security)}};
  if (!a.why.empty()) j["reason"] = a.why;
  if (!a.canonical_name.empty()) j["canonical_name"] = a.canonical_name;
  return j;
}

// The assessment's findings about one address (scope "ip:<host>/<address>"): the probe's own and
// those the audit adds (dane.matched, mx.untested, ...), in the domain list's shape and order.
json address_findings(const std::vector<check::Finding>& findings, const std::string& scope) {
  json out = json::array();
  for (const auto& f : findings) {
    if (f.scope == scope) out.push_back(finding_to_json(f));
  }
  return out;
}

json enforced_by_json(const std::vector<check::Enforcer>& by) {
  json out = json::array();
  for (const auto e : by) out.push_back(std::string(check::to_string(e)));
  return out;
}

json mx_json(const check::MxFacts& mx, const std::vector<check::Finding>& findings) {
  json addresses = json::array();
  for (std::size_t i = 0; i < mx.probes.size(); ++i) {
    json a = probe_to_json(mx.probes[i], i < mx.sweeps.size() ? &mx.sweeps[i] : nullptr);
    a.erase("schema");
    a["ip"] = mx.addresses.ips[i];
    a["findings"] = address_findings(findings, "ip:" + mx.host + "/" + mx.probes[i].address);
    addresses.push_back(std::move(a));
  }
  json tlsa = json::array();
  for (const auto& t : mx.tlsa) tlsa.push_back(t.to_string());
  json dns = {{"a", answer_json(mx.addresses.a)},
              {"aaaa", answer_json(mx.addresses.aaaa)},
              {"tlsa", answer_json(mx.tlsa_answer)}};
  if (mx.tlsa_expanded_answer) dns["tlsa_expanded"] = answer_json(*mx.tlsa_expanded_answer);
  return {{"host", mx.host},
          {"preference", mx.preference},
          {"implicit", mx.implicit},
          {"probed", mx.probed},
          {"dns", std::move(dns)},
          {"tlsa_base", mx.tlsa_base.empty() ? mx.host : mx.tlsa_base},
          {"tlsa", std::move(tlsa)},
          {"dane_applies", mx.dane_applies},
          {"addresses", std::move(addresses)}};
}

json sts_json(const check::StsFacts& s) {
  json j = {{"record", s.record ? json{{"id", s.record->id}} : json()},
            {"record_error", s.record_error.empty() ? json() : json(s.record_error)},
            {"dns", answer_json(s.txt)}};
  if (s.fetch) {
    j["fetch"] = {{"url", s.fetch->url},
                  {"status", check::to_string(s.fetch->status)},
                  {"detail", s.fetch->detail},
                  {"address", s.fetch->address},
                  {"http_status", s.fetch->http_status},
                  {"content_type", s.fetch->content_type},
                  {"elapsed_ms", s.fetch->elapsed.count()}};
  } else {
    j["fetch"] = nullptr;
  }
  if (s.policy) {
    j["policy"] = {{"mode", policy::to_string(s.policy->mode)},
                   {"max_age", s.policy->max_age},
                   {"mx", s.policy->mx}};
  } else {
    j["policy"] = nullptr;
  }
  j["policy_error"] = s.policy_error.empty() ? json() : json(s.policy_error);
  return j;
}

}  // namespace

json check_to_json(const check::DomainFacts& f, const check::Assessment& a) {
  json mx = json::array();
  for (const auto& m : f.mx) mx.push_back(mx_json(m, a.findings));
  json findings = json::array();
  for (const auto& x : a.findings) findings.push_back(finding_to_json(x));
  json rpt = {{"record", f.tls_rpt.record ? json{{"rua", f.tls_rpt.record->rua}} : json()},
              {"error", f.tls_rpt.error.empty() ? json() : json(f.tls_rpt.error)},
              {"dns", answer_json(f.tls_rpt.txt)}};
  return {{"schema", kCheckSchema},
          {"domain", f.domain},
          {"verdict", check::to_string(a.verdict)},
          {"enforced_by", enforced_by_json(a.enforced_by)},
          {"untested_reason", a.untested_reason ? json(to_string(*a.untested_reason)) : json()},
          {"summary", a.summary},
          {"null_mx", f.null_mx},
          {"mx", std::move(mx)},
          {"mta_sts", sts_json(f.mta_sts)},
          {"tls_rpt", std::move(rpt)},
          {"dnssec",
           {{"mx", answer_json(f.mx_answer)}, {"status", dns::to_string(f.mx_answer.security)}}},
          {"counts",
           {{"addresses", a.addresses},
            {"tls", a.addresses_tls},
            {"plaintext", a.addresses_plaintext},
            {"untested", a.addresses_untested}}},
          {"findings", std::move(findings)},
          {"elapsed_ms", f.elapsed.count()}};
}

json check_to_json(const check::DomainFacts& f, const check::Assessment& a,
                   std::span<const check::AddressKeys> keys) {
  json doc = check_to_json(f, a);
  if (keys.empty()) return doc;
  json member = json::array();
  for (const auto& k : keys) member.push_back(keys_to_json(k));
  doc["keys"] = std::move(member);
  return doc;
}

namespace {

const char* colour_of(check::Verdict v) {
  switch (v) {
    case check::Verdict::enforced: return "\033[32m";
    case check::Verdict::opportunistic:
    case check::Verdict::partial: return "\033[33m";
    case check::Verdict::plaintext:
    case check::Verdict::broken: return "\033[31m";
    default: return "\033[36m";
  }
}

std::string lookup_failed(const dns::Answer& a) {
  return "lookup failed (" + std::string(dns::to_string(a.status)) +
         (a.why.empty() ? "" : ": " + a.why) + ")";
}

std::string address_cell(const smtp::ProbeResult& p) {
  switch (check::address_state(p)) {
    case check::AddressState::tls: {
      std::string s = p.tls->version;
      const auto& v = p.tls->verification;
      s += v.trusted ? (v.name_matches.value_or(false) ? "  cert valid" : "  cert name mismatch")
                     : "  cert " + v.error;
      if (p.tls->dane) s += p.tls->dane->matched ? "  DANE match" : "  DANE MISMATCH";
      return s;
    }
    case check::AddressState::plaintext:
      return "PLAINTEXT (" + std::string(to_string(p.outcome)) + ")";
    case check::AddressState::untested: return "untested: " + std::string(to_string(p.outcome));
  }
  return "";
}

}  // namespace

void write_check_text(std::ostream& out, const check::DomainFacts& f, const check::Assessment& a,
                      const TextStyle& style, std::span<const check::AddressKeys> keys) {
  const std::string on = style.colour ? colour_of(a.verdict) : "";
  const std::string off = style.colour ? "\033[0m" : "";
  std::string verdict(check::to_string(a.verdict));
  if (!a.enforced_by.empty()) {
    verdict += " via ";
    for (std::size_t i = 0; i < a.enforced_by.size(); ++i)
      verdict += (i > 0 ? "+" : "") + std::string(check::to_string(a.enforced_by[i]));
  }
  if (a.untested_reason) verdict += " (" + std::string(to_string(*a.untested_reason)) + ")";
  out << f.domain << ": " << on << verdict << off << "\n" << a.summary << "\n";
  if (!f.mx.empty()) {
    out << "\n  " << std::left << std::setw(5) << "pref" << std::setw(32) << "mx host"
        << std::setw(24) << "address"
        << "result\n";
    for (const auto& mx : f.mx) {
      std::string host = mx.host + (mx.implicit ? " (no MX)" : "");
      if (!mx.probed || mx.probes.empty()) {
        std::string why = !mx.probed                  ? "not probed (cap)"
                          : mx.addresses.conclusive() ? "no address"
                                                      : "address lookup failed";
        out << "  " << std::setw(5) << mx.preference << std::setw(32) << host << std::setw(24)
            << "-" << why << "\n";
        continue;
      }
      for (std::size_t i = 0; i < mx.probes.size(); ++i) {
        out << "  " << std::setw(5) << (i == 0 ? std::to_string(mx.preference) : "")
            << std::setw(32) << (i == 0 ? host : "") << std::setw(24) << mx.probes[i].address
            << address_cell(mx.probes[i]) << "\n";
      }
    }
  }
  out << "\n  DNSSEC      MX answer " << dns::to_string(f.mx_answer.security) << "\n";
  out << "  MTA-STS     ";
  if (f.mta_sts.policy) {
    out << "mode " << policy::to_string(f.mta_sts.policy->mode) << ", max_age "
        << f.mta_sts.policy->max_age << ", mx";
    for (const auto& p : f.mta_sts.policy->mx) out << " " << p;
  } else if (f.mta_sts.fetch && f.mta_sts.fetch->status == check::FetchStatus::ok) {
    // Fetched, but the policy does not parse: say why (issue 14 item 24), not "ok".
    out << "policy invalid: " << f.mta_sts.policy_error;
  } else if (f.mta_sts.fetch) {
    out << "policy not usable: " << check::to_string(f.mta_sts.fetch->status) << " ("
        << f.mta_sts.fetch->detail << ")";
  } else if (!f.mta_sts.record_error.empty()) {
    out << "record invalid: " << f.mta_sts.record_error;
  } else {
    out << (f.mta_sts.txt.conclusive() ? "none" : lookup_failed(f.mta_sts.txt));
  }
  out << "\n  TLS-RPT     ";
  if (f.tls_rpt.record) {
    for (const auto& r : f.tls_rpt.record->rua) out << r << " ";
  } else if (!f.tls_rpt.txt.conclusive()) {
    out << lookup_failed(f.tls_rpt.txt);  // as the JSON says, never "none" (issue 14 item 12)
  } else {
    out << (f.tls_rpt.error.empty() ? "none" : "invalid: " + f.tls_rpt.error);
  }
  out << "\n";
  std::size_t hidden = 0;
  bool header = false;
  for (const auto& x : a.findings) {
    if (x.severity == Severity::info && !style.verbose) {
      ++hidden;
      continue;
    }
    if (!header) {
      out << "\nFindings:\n";
      header = true;
    }
    out << "  [" << to_string(x.severity) << "] " << to_string(x.id) << "  " << x.scope
        << (x.count > 1 ? "  (seen " + std::to_string(x.count) + " times)" : "") << "\n"
        << "      " << x.evidence << "\n";
    if (!x.remedy().empty()) {
      out << "      fix: " << x.remedy();
      if (!x.rfc().empty()) out << " (" << x.rfc() << ")";
      out << "\n";
    }
  }
  if (hidden > 0) out << "\n  (" << hidden << " informational finding(s); -v shows them)\n";
  if (!keys.empty()) write_keys_section(out, keys, style.verbose);
  // Each address in depth with -v, and with --sweep (its versions and suites are what was
  // asked for): the sweep goes to the probe printer with its address (issue 14 item 15).
  for (const auto& mx : f.mx) {
    for (std::size_t i = 0; i < mx.probes.size(); ++i) {
      const smtp::SweepResult* sweep = i < mx.sweeps.size() ? &mx.sweeps[i] : nullptr;
      if (!style.verbose && sweep == nullptr) continue;
      out << "\n";
      write_probe_text(out, mx.probes[i], style.verbose, sweep, false);
    }
  }
}

}  // namespace intransit::report
