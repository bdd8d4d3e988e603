// evaluate_dane.cpp — see evaluate_dane.hpp.
#include "check/evaluate_dane.hpp"

#include <algorithm>

#include "check/evidence.hpp"

namespace intransit::check {
namespace {

const std::string& tlsa_base(const MxFacts& mx) {
  return mx.tlsa_base.empty() ? mx.host : mx.tlsa_base;
}

std::string insecure_evidence(const MxFacts& mx, bool mx_secure) {
  const std::string why = mx.tlsa_answer.security != dns::Security::secure
                              ? "the TLSA records are not DNSSEC-signed"
                          : !mx_secure ? "the MX records are not DNSSEC-signed"
                                       : "the MX host's addresses are not DNSSEC-signed";
  return why + " (" + std::to_string(mx.tlsa.size()) + " TLSA record(s) at _25._tcp." +
         tlsa_base(mx) + ")";
}

// Advice about the records of a host DANE applies to.
void record_advice(const MxFacts& mx, Findings& out) {
  const std::string scope = mx_scope(mx.host);
  if (tlsa_base(mx) != mx.host) {
    add(out, FindingId::dane_cname_expanded, scope,
        "TLSA records at _25._tcp." + tlsa_base(mx) + " (" + mx.host + " is an alias for " +
            tlsa_base(mx) + ")");
  }
  const auto pkix =
      std::count_if(mx.tlsa.begin(), mx.tlsa.end(), [](const dns::Tlsa& r) { return r.usage < 2; });
  if (pkix > 0)
    add(out, FindingId::dane_pkix_usage, scope,
        std::to_string(pkix) + " TLSA record(s) with usage 0 or 1");
  if (mx.tlsa.size() == 1)
    add(out, FindingId::dane_single_record, scope, "only " + mx.tlsa.front().to_string());
}

}  // namespace

DaneHost evaluate_dane_host(const MxFacts& mx, bool mx_secure, Findings& out) {
  const std::string scope = mx_scope(mx.host);
  const auto& t = mx.tlsa_answer;
  if (t.security == dns::Security::bogus) {
    add(out, FindingId::dns_bogus, scope, answer_words(t));
    return DaneHost::bogus;
  }
  if (!t.conclusive()) {
    if (mx_secure && (mx.addresses.secure() || !mx.addresses.canonical_name().empty())) {
      add(out, FindingId::dane_tlsa_lookup_failed, scope, answer_words(t));
      return DaneHost::lookup_failed;
    }
    return DaneHost::none;
  }
  if (!mx.tlsa_error.empty())
    add(out, FindingId::dns_malformed_record, scope, "TLSA: " + mx.tlsa_error);
  if (mx.tlsa.empty()) return DaneHost::none;
  if (!mx.dane_applies) {
    add(out, FindingId::dane_tlsa_insecure, scope, insecure_evidence(mx, mx_secure));
    return DaneHost::insecure;
  }
  record_advice(mx, out);
  return DaneHost::applies;
}

DaneAddress evaluate_dane_address(const MxFacts& mx, const smtp::ProbeResult& p, AddressState state,
                                  std::set<std::string>& unusable_noted, Findings& out) {
  if (!mx.dane_applies || state == AddressState::untested) return DaneAddress::not_applicable;
  const std::string scope = ip_scope(mx.host, p.address);
  if (state == AddressState::plaintext) {
    add(out, FindingId::dane_starttls_missing, scope, outcome_evidence(p));
    return DaneAddress::no_tls;
  }
  if (!p.tls->dane) {
    if (unusable_noted.insert(mx.host).second)
      add(out, FindingId::dane_tlsa_unusable, mx_scope(mx.host), p.tls->dane_error);
    return DaneAddress::unusable;
  }
  const auto& d = *p.tls->dane;
  if (d.matched) {
    add(out, FindingId::dane_matched, scope,
        "TLSA " + d.matched_record + " matched at depth " + std::to_string(d.matched_depth));
    return DaneAddress::matched;
  }
  add(out, FindingId::dane_tlsa_mismatch, scope,
      d.error + " (" + std::to_string(d.usable_records) + " usable TLSA record(s))");
  return DaneAddress::mismatch;
}

void fold(DaneResult& dane, DaneAddress address) {
  switch (address) {
    case DaneAddress::not_applicable: break;
    case DaneAddress::no_tls:
    case DaneAddress::mismatch: dane.mismatch = true; break;
    case DaneAddress::unusable: dane.unusable = true; break;
    case DaneAddress::matched: dane.matched = true; break;
  }
}

DaneCoverage dane_coverage(std::size_t applying_hosts, std::size_t probed_hosts) {
  if (applying_hosts == 0) return DaneCoverage::none;
  return applying_hosts == probed_hosts ? DaneCoverage::every_host : DaneCoverage::some_hosts;
}

}  // namespace intransit::check
