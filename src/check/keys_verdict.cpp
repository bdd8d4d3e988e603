// keys_verdict.cpp — see keys_verdict.hpp. A key counts as usable only when RNP/OpenSSL said so
// (policy/openpgp_key, policy/smime_cert); authentication comes from where it was found.
#include "check/keys_verdict.hpp"

namespace intransit::check {
namespace {

FindingId finding_for(policy::KeyProblem p) {
  switch (p) {
    case policy::KeyProblem::expired: return FindingId::keys_expired;
    case policy::KeyProblem::revoked: return FindingId::keys_revoked;
    case policy::KeyProblem::no_encryption_subkey: return FindingId::keys_no_encryption_subkey;
    case policy::KeyProblem::uid_mismatch: return FindingId::keys_uid_mismatch;
    default: return FindingId::keys_unparsable;  // unparsable, no public key, invalid
  }
}

struct Tally {
  bool dnssec = false, webpki = false, unauthenticated = false, failed = false;
  std::vector<std::string> why_unusable;
};

void openpgp(const policy::OpenPgpKeyFacts& k, std::string_view source, bool secure, bool https,
             Tally& t, Findings& out) {
  if (k.usable()) {
    (secure ? t.dnssec : (https ? t.webpki : t.unauthenticated)) = true;
    return;
  }
  const std::string why = std::string(source) + ": " + std::string(policy::describe(k.problem));
  t.why_unusable.push_back(why);
  add(out, finding_for(k.problem), domain_scope(),
      why + (k.fingerprint.empty() ? "" : " (" + k.fingerprint + ")"));
}

void dns_source(const DnsKeyFacts& d, std::string_view source, Tally& t, Findings& out) {
  if (d.status == SourceStatus::failed) {
    t.failed = true;
    add(out, FindingId::keys_lookup_failed, domain_scope(),
        std::string(source) + " " + d.owner + ": " + std::string(dns::to_string(d.dns_status)) +
            (d.why.empty() ? "" : " (" + d.why + ")"));
    return;
  }
  if (d.status != SourceStatus::found) return;
  const bool secure = d.security == dns::Security::secure;
  if (!secure) {
    add(out, FindingId::keys_unsigned_dns, domain_scope(),
        std::string(source) + " " + d.owner + " is " + std::string(dns::to_string(d.security)));
  }
  for (const auto& k : d.openpgp) openpgp(k, source, secure, false, t, out);
  for (const auto& c : d.smimea) {
    if (c.usable()) {
      (secure ? t.dnssec : t.unauthenticated) = true;
      continue;
    }
    const std::string why = std::string(source) + ": " + std::string(policy::describe(c.problem));
    t.why_unusable.push_back(why);
    add(out, FindingId::keys_smimea_unusable, domain_scope(), why);
  }
  if (d.malformed > 0) t.why_unusable.push_back(std::string(source) + ": malformed record");
}

void wkd_source(const WkdFacts& w, Tally& t, Findings& out) {
  if (w.wildcard) {
    add(out, FindingId::keys_wkd_wildcard, domain_scope(),
        "the advanced method's host answers through a wildcard: " + w.detail);
  }
  if (w.status == SourceStatus::failed && !w.wildcard) {
    t.failed = true;
    add(out, FindingId::keys_lookup_failed, domain_scope(), "WKD " + w.url + ": " + w.detail);
  }
  if (w.status != SourceStatus::found || !w.key) return;
  if (w.policy_present == false) {
    add(out, FindingId::keys_wkd_policy_missing, domain_scope(), "no policy file for " + w.url);
  }
  openpgp(*w.key, "WKD (" + w.method + ")", false, true, t, out);
}

std::string joined(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "; ") + p;
  return s;
}

}  // namespace

std::string_view to_string(SourceStatus status) {
  switch (status) {
    case SourceStatus::found: return "found";
    case SourceStatus::absent: return "absent";
    case SourceStatus::failed: return "failed";
    case SourceStatus::not_tried: return "not-tried";
  }
  return "?";
}

std::string_view to_string(KeysVerdict verdict) {
  switch (verdict) {
    case KeysVerdict::ready_dnssec: return "ready-dnssec";
    case KeysVerdict::ready_webpki: return "ready-webpki";
    case KeysVerdict::ready_unauthenticated: return "ready-unauthenticated";
    case KeysVerdict::unusable: return "unusable";
    case KeysVerdict::none: return "none";
    case KeysVerdict::untested: return "untested";
  }
  return "?";
}

void judge_keys(AddressKeys& keys) {
  keys.findings.clear();
  if (!keys.parsed) {
    keys.verdict = KeysVerdict::untested;
    keys.summary = "could not test (" + keys.address_error + ")";
    return;
  }
  Tally t;
  wkd_source(keys.wkd, t, keys.findings);
  dns_source(keys.openpgpkey, "OPENPGPKEY", t, keys.findings);
  dns_source(keys.smimea, "SMIMEA", t, keys.findings);
  if (t.dnssec) {
    keys.verdict = KeysVerdict::ready_dnssec;
    keys.summary = "ready (authenticated by DNSSEC)";
  } else if (t.webpki) {
    keys.verdict = KeysVerdict::ready_webpki;
    keys.summary = "ready (authenticated by WebPKI)";
  } else if (t.unauthenticated) {
    keys.verdict = KeysVerdict::ready_unauthenticated;
    keys.summary = "ready (unauthenticated)";
  } else if (!t.why_unusable.empty()) {
    keys.verdict = KeysVerdict::unusable;
    keys.summary = "key found but unusable (" + joined(t.why_unusable) + ")";
  } else if (t.failed) {
    keys.verdict = KeysVerdict::untested;
    keys.summary = "could not test (a lookup failed; see the findings)";
  } else {
    keys.verdict = KeysVerdict::none;
    keys.summary = "none";
  }
}

}  // namespace intransit::check
