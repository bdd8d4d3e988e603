// keys_report.cpp — see keys_report.hpp.
#include "report/keys_report.hpp"

#include <sstream>

#include "core/text.hpp"
#include "report/probe_report.hpp"

namespace intransit::report {
namespace {
using nlohmann::json;

json openpgp_json(const policy::OpenPgpKeyFacts& k) {
  return {{"problem", to_string(k.problem)}, {"usable", k.usable()},
          {"fingerprint", k.fingerprint},    {"encryption_fingerprint", k.encryption_fingerprint},
          {"algorithm", k.algorithm},        {"user_ids", k.user_ids},
          {"fingerprints", k.fingerprints},  {"detail", k.detail}};
}

json smimea_json(const policy::SmimeaFacts& c) {
  return {{"problem", to_string(c.problem)},
          {"usable", c.usable()},
          {"subject", c.subject},
          {"sha256", c.sha256},
          {"addresses", c.addresses},
          {"detail", c.detail}};
}

json dns_json(const check::DnsKeyFacts& d) {
  json keys = json::array();
  for (const auto& k : d.openpgp) keys.push_back(openpgp_json(k));
  json certs = json::array();
  for (const auto& c : d.smimea) certs.push_back(smimea_json(c));
  json j = {{"owner", d.owner},
            {"status", to_string(d.status)},
            {"dns_status", dns::to_string(d.dns_status)},
            {"dnssec", dns::to_string(d.security)},
            {"malformed", d.malformed}};
  if (!d.why.empty()) j["reason"] = d.why;
  if (!d.openpgp.empty()) j["keys"] = std::move(keys);
  if (!d.smimea.empty()) j["certificates"] = std::move(certs);
  return j;
}

json wkd_json(const check::WkdFacts& w) {
  json j = {{"method", w.method},
            {"url", w.url},
            {"status", to_string(w.status)},
            {"detail", w.detail},
            {"http_status", w.http_status},
            {"wildcard", w.wildcard}};
  j["policy_present"] = w.policy_present ? json(*w.policy_present) : json();
  j["key"] = w.key ? openpgp_json(*w.key) : json();
  return j;
}

void text_key(std::ostream& out, const policy::OpenPgpKeyFacts& k) {
  out << "      key " << (k.fingerprint.empty() ? "-" : k.fingerprint) << ": "
      << policy::describe(k.problem);
  if (!k.encryption_fingerprint.empty()) out << "; encrypts with " << k.encryption_fingerprint;
  out << "\n";
  for (const auto& id : k.user_ids) out << "      uid " << text::printable(id) << "\n";
}

}  // namespace

json keys_to_json(const check::AddressKeys& k) {
  json findings = json::array();
  for (const auto& f : k.findings) findings.push_back(finding_to_json(f));
  json j = {{"schema", kKeysSchema},
            {"address", k.address},
            {"verdict", to_string(k.verdict)},
            {"summary", k.summary},
            {"findings", std::move(findings)}};
  if (!k.parsed) {
    j["error"] = k.address_error;
    return j;
  }
  j["domain"] = k.parsed->domain;
  j["wkd"] = wkd_json(k.wkd);
  j["openpgpkey"] = dns_json(k.openpgpkey);
  j["smimea"] = dns_json(k.smimea);
  return j;
}

void write_keys_text(std::ostream& out, const check::AddressKeys& k, bool verbose) {
  out << text::printable(k.address) << ": " << text::printable(k.summary) << "\n";
  if (k.parsed) {
    out << "  WKD (" << k.wkd.method << ") " << text::printable(k.wkd.url) << ": "
        << to_string(k.wkd.status) << " — " << text::printable(k.wkd.detail) << "\n";
    if (k.wkd.key) text_key(out, *k.wkd.key);
    for (const auto* d : {&k.openpgpkey, &k.smimea}) {
      out << "  " << (d == &k.openpgpkey ? "OPENPGPKEY " : "SMIMEA ") << d->owner << ": "
          << to_string(d->status) << " (DNSSEC " << dns::to_string(d->security) << ")\n";
      for (const auto& key : d->openpgp) text_key(out, key);
      for (const auto& c : d->smimea) {
        out << "      certificate " << text::printable(c.subject) << ": "
            << policy::describe(c.problem) << "\n";
      }
    }
  }
  for (const auto& f : k.findings) {
    if (!verbose && f.severity == Severity::info) continue;
    out << "  [" << to_string(f.severity) << "] " << to_string(f.id) << ": "
        << text::printable(f.evidence) << "\n";
    if (verbose) out << "      remedy: " << f.remedy() << "\n";
  }
}

std::string_view keys_meaning(check::KeysVerdict verdict) {
  switch (verdict) {
    case check::KeysVerdict::ready_dnssec:
      return "a sender can find a usable key and encrypt end to end; DNSSEC vouches that the key "
             "was published by the domain";
    case check::KeysVerdict::ready_webpki:
      return "a sender can find a usable key and encrypt end to end; the key server's WebPKI "
             "certificate vouches for where it came from";
    case check::KeysVerdict::ready_unauthenticated:
      return "a sender can encrypt end to end, but nothing vouches for the key: an attacker on "
             "the path could substitute their own";
    case check::KeysVerdict::unusable:
      return "keys are published, but a sender cannot encrypt with any of them";
    case check::KeysVerdict::none:
      return "no published key: only the transport (above) protects the content";
    case check::KeysVerdict::untested:
      return "could not find out: a lookup failed (never taken as no key)";
  }
  return "";
}

void write_keys_section(std::ostream& out, std::span<const check::AddressKeys> keys, bool verbose) {
  out << "\nExplicit encryption (end to end, whatever each hop does; not part of the verdict "
         "above):\n";
  for (const auto& k : keys) {
    std::ostringstream details;
    write_keys_text(details, k, verbose);
    std::istringstream lines(details.str());
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
      out << "  " << line << "\n";
      if (first) out << "    " << keys_meaning(k.verdict) << "\n";
      first = false;
    }
  }
}

}  // namespace intransit::report
