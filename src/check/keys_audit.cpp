// keys_audit.cpp — see keys_audit.hpp. Lookups run one after the other (a handful per address;
// `keys` is not a scan), each awaited into a local first (GCC 12: no co_await in conditions).
#include "check/keys_audit.hpp"

#include <span>

#include "core/limits.hpp"
#include "dns/rdata.hpp"

namespace intransit::check {
namespace asio = boost::asio;

namespace {

SourceStatus status_of(const dns::Answer& a) {
  if (!a.conclusive()) return SourceStatus::failed;
  return a.status == dns::Status::answer && !a.rdata.empty() ? SourceStatus::found
                                                             : SourceStatus::absent;
}

DnsKeyFacts dns_facts(const dns::Answer& a, std::string owner) {
  DnsKeyFacts d;
  d.owner = std::move(owner);
  d.status = status_of(a);
  d.dns_status = a.status;
  d.security = a.security;
  d.why = a.why;
  return d;
}

void judge_openpgpkey(const dns::Answer& a, const std::string& address, DnsKeyFacts& d) {
  if (d.status != SourceStatus::found) return;
  for (const auto& rd : a.rdata) {
    std::string error;
    const auto key = dns::decode_openpgpkey(rd, error);
    if (!key) {
      ++d.malformed;
      continue;
    }
    d.openpgp.push_back(policy::inspect_openpgp_key(*key, address));
  }
}

void judge_smimea(const dns::Answer& a, const std::string& address, DnsKeyFacts& d) {
  if (d.status != SourceStatus::found) return;
  for (const auto& rd : a.rdata) {
    std::string error;
    const auto rec = dns::decode_smimea(rd, error);
    if (!rec) {
      ++d.malformed;
      continue;
    }
    d.smimea.push_back(
        policy::inspect_smimea(rec->usage, rec->selector, rec->matching, rec->data, address));
  }
}

// The path-and-query of a WKD URL ("https://host/path?l=x" -> "/path?l=x").
std::string target_of(const std::string& url) {
  const auto start = url.find('/', std::string("https://").size());
  return start == std::string::npos ? "/" : url.substr(start);
}

// Does the openpgpkey host exist (has an address, or the name answers at all)? found: yes;
// absent: NXDOMAIN or no address (the direct method applies); failed: could not find out.
asio::awaitable<SourceStatus> advanced_host(dns::Resolver& resolver, std::string host) {
  const dns::Answer a = co_await resolver.lookup(host, dns::RrType::a);
  if (!a.conclusive()) co_return SourceStatus::failed;
  if (a.status == dns::Status::answer) co_return SourceStatus::found;
  const dns::Answer aaaa = co_await resolver.lookup(host, dns::RrType::aaaa);
  if (!aaaa.conclusive()) co_return SourceStatus::failed;
  co_return aaaa.status == dns::Status::answer ? SourceStatus::found : SourceStatus::absent;
}

asio::awaitable<void> wkd(dns::Resolver& resolver, const WkdGet& get,
                          const policy::MailAddress& address, const std::string& text,
                          WkdFacts& w) {
  const std::string host = policy::wkd_advanced_host(address);
  const SourceStatus exists = co_await advanced_host(resolver, host);
  if (exists == SourceStatus::failed) {
    w.method = "advanced";
    w.url = policy::wkd_advanced_url(address);
    w.status = SourceStatus::failed;
    w.detail = "the address lookup of " + host + " failed";
    co_return;
  }
  const bool advanced = exists == SourceStatus::found;
  w.method = advanced ? "advanced" : "direct";
  w.url = advanced ? policy::wkd_advanced_url(address) : policy::wkd_direct_url(address);
  const std::string fetch_host = advanced ? host : address.domain;
  WkdResponse r = co_await get(fetch_host, target_of(w.url), limits::kOpenPgpKeyBytes);
  w.status = r.status;
  w.http_status = r.http_status;
  w.detail = r.detail;
  if (advanced && r.status != SourceStatus::found) {
    // A wildcard answers for the openpgpkey host too: senders stop at the advanced method.
    const dns::Answer probe = co_await resolver.lookup(
        std::string(kWildcardProbeLabel) + "." + address.domain, dns::RrType::a);
    w.wildcard = probe.status == dns::Status::answer;
  }
  if (r.status != SourceStatus::found) co_return;
  w.key = policy::inspect_openpgp_key(
      std::span(reinterpret_cast<const std::uint8_t*>(r.body.data()), r.body.size()), text);
  const std::string policy_url = policy::wkd_policy_url(address, advanced);
  WkdResponse p = co_await get(fetch_host, target_of(policy_url), limits::kWkdPolicyBytes);
  if (p.status != SourceStatus::failed) w.policy_present = p.status == SourceStatus::found;
}

}  // namespace

asio::awaitable<AddressKeys> audit_keys(dns::Resolver& resolver, WkdGet get, std::string address) {
  AddressKeys keys;
  keys.address = std::move(address);
  keys.parsed = policy::split_address(keys.address, keys.address_error);
  if (!keys.parsed) {
    judge_keys(keys);
    co_return keys;
  }
  const policy::MailAddress& a = *keys.parsed;
  const std::string text = a.local + "@" + a.domain;
  co_await wkd(resolver, get, a, text, keys.wkd);

  const std::string pgp_owner = policy::openpgpkey_owner(a);
  const dns::Answer pgp = co_await resolver.lookup(pgp_owner, dns::RrType::openpgpkey);
  keys.openpgpkey = dns_facts(pgp, pgp_owner);
  judge_openpgpkey(pgp, text, keys.openpgpkey);

  const std::string smime_owner = policy::smimea_owner(a);
  const dns::Answer smime = co_await resolver.lookup(smime_owner, dns::RrType::smimea);
  keys.smimea = dns_facts(smime, smime_owner);
  judge_smimea(smime, text, keys.smimea);

  judge_keys(keys);
  co_return keys;
}

}  // namespace intransit::check
