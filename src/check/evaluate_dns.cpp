// evaluate_dns.cpp — see evaluate_dns.hpp.
#include "check/evaluate_dns.hpp"

#include "check/evidence.hpp"

namespace intransit::check {

void evaluate_domain_records(const DomainFacts& f, Findings& out) {
  if (!f.mta_sts.txt.conclusive())
    add(out, FindingId::mtasts_record_lookup_failed, domain_scope(), answer_words(f.mta_sts.txt));
  const auto& r = f.tls_rpt;
  if (!r.txt.conclusive()) {
    add(out, FindingId::tlsrpt_lookup_failed, domain_scope(), answer_words(r.txt));
  } else if (!r.error.empty()) {
    add(out, FindingId::tlsrpt_invalid, domain_scope(), r.error);
  } else if (!r.record) {
    add(out, FindingId::tlsrpt_missing, domain_scope(),
        "no v=TLSRPTv1 TXT record at _smtp._tls." + f.domain);
  }
}

namespace {

// No MX record: mail goes to the domain's own address (RFC 5321 §5.1).
DnsGate implicit_mx(const DomainFacts& f, Findings& out) {
  const auto& h = *f.implicit_lookup;
  if (h.ips.empty() && !h.conclusive()) {
    add(out, FindingId::mx_address_lookup_failed, domain_scope(),
        answer_words(h.a.conclusive() ? h.aaaa : h.a));
    return DnsGate::implicit_lookup_failed;
  }
  if (f.mx.empty()) return DnsGate::implicit_no_address;
  add(out, FindingId::mx_implicit, domain_scope(),
      "no MX record; mail goes to " + f.domain + " itself (" + h.ips.front() + ")");
  return DnsGate::usable;
}

}  // namespace

DnsGate evaluate_mx_rrset(const DomainFacts& f, Findings& out) {
  const auto& mx = f.mx_answer;
  if (mx.security == dns::Security::bogus) {
    add(out, FindingId::dns_bogus, domain_scope(), answer_words(mx));
    return DnsGate::mx_bogus;
  }
  if (!mx.conclusive()) {
    add(out, FindingId::dns_mx_lookup_failed, domain_scope(), answer_words(mx));
    return DnsGate::mx_lookup_failed;
  }
  if (mx.status == dns::Status::nxdomain) return DnsGate::nxdomain;
  for (const auto& e : f.mx_decode_errors)
    add(out, FindingId::dns_malformed_record, domain_scope(), "MX: " + e);
  if (mx.security == dns::Security::insecure)
    add(out, FindingId::dns_unsigned, domain_scope(),
        "the MX answer for " + f.domain + " is not DNSSEC-signed");
  if (f.null_mx && f.mx.empty()) return DnsGate::null_mx;
  if (f.null_mx)
    add(out, FindingId::mx_null_with_others, domain_scope(),
        "MX 0 . published together with " + std::to_string(f.mx.size()) + " other MX record(s)");
  if (f.implicit_lookup) return implicit_mx(f, out);
  return DnsGate::usable;
}

HostDns evaluate_host_dns(const MxFacts& mx, Findings& out) {
  const std::string scope = mx_scope(mx.host);
  const auto& h = mx.addresses;
  HostDns r;
  if (!h.canonical_name().empty() && !mx.implicit)
    add(out, FindingId::mx_cname, scope, mx.host + " is an alias for " + h.canonical_name());
  if (!h.decode_error.empty()) add(out, FindingId::dns_malformed_record, scope, h.decode_error);
  if (h.a.security == dns::Security::bogus || h.aaaa.security == dns::Security::bogus) {
    add(out, FindingId::dns_bogus, scope,
        answer_words(h.a.security == dns::Security::bogus ? h.a : h.aaaa));
    r.bogus = true;
  }
  if (h.ips.empty()) {
    if (!h.conclusive()) {
      add(out, FindingId::mx_address_lookup_failed, scope,
          answer_words(h.a.conclusive() ? h.aaaa : h.a));
      r.addresses = AddressLookup::failed;
    } else {
      add(out, FindingId::mx_no_address, scope, mx.host + " has no A or AAAA record");
      r.addresses = AddressLookup::none;
    }
  }
  if (h.dropped > 0)
    add(out, FindingId::mx_not_probed, scope,
        std::to_string(h.dropped) + " more addresses were not tested");
  return r;
}

void fold(HostsResult& hosts, const HostDns& host) {
  ++hosts.probed;
  if (host.addresses == AddressLookup::none) ++hosts.without_address;
  if (host.addresses == AddressLookup::failed) hosts.address_lookup_failed = true;
  if (host.bogus) hosts.bogus = true;
}

}  // namespace intransit::check
