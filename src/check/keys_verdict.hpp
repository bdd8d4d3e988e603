// keys_verdict.hpp — the facts `keys ADDRESS` gathers about one address (issue 21: WKD per
// draft-koch-openpgp-webkey-service, OPENPGPKEY per RFC 7929, SMIMEA per RFC 8162) and the
// verdict drawn from them (pure, so it is unit-tested without a network):
//   ready (authenticated by DNSSEC)  a usable key from a DNSSEC-secure OPENPGPKEY/SMIMEA answer
//   ready (authenticated by WebPKI)  a usable key from WKD over HTTPS with a valid certificate
//   ready (unauthenticated)          a usable key only from an unsigned (insecure) zone
//   key found but unusable (why)     keys were published, none can be used
//   none                             every source answered, none had a key
//   could not test                   no key found and a lookup failed: never reported as none
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/finding.hpp"
#include "dns/resolver.hpp"
#include "policy/key_lookup_names.hpp"
#include "policy/openpgp_key.hpp"
#include "policy/smime_cert.hpp"

namespace intransit::check {

// How one source's lookup ended.
enum class SourceStatus : std::uint8_t {
  found,      // key material came back (judged in the facts)
  absent,     // the source answered: nothing published (404, NXDOMAIN, NODATA)
  failed,     // could not find out (SERVFAIL, timeout, bogus, TLS or certificate failure, ...)
  not_tried,  // not asked (the direct WKD method when the advanced host exists)
};
std::string_view to_string(SourceStatus status);

struct WkdFacts {
  std::string method;  // "advanced" or "direct": the method a sender would use
  std::string url;
  SourceStatus status = SourceStatus::not_tried;
  std::string detail;  // the fetch's outcome in words
  int http_status = 0;
  bool wildcard = false;               // openpgpkey.DOMAIN exists only via a wildcard
  std::optional<bool> policy_present;  // the policy file (asked only when a key was found)
  std::optional<policy::OpenPgpKeyFacts> key;
};

struct DnsKeyFacts {
  std::string owner;
  SourceStatus status = SourceStatus::not_tried;
  dns::Status dns_status = dns::Status::error;
  dns::Security security = dns::Security::unknown;
  std::string why;                               // the resolver's words when it failed
  std::vector<policy::OpenPgpKeyFacts> openpgp;  // one per OPENPGPKEY record
  std::vector<policy::SmimeaFacts> smimea;       // one per SMIMEA record
  std::size_t malformed = 0;                     // records the decoder refused
};

enum class KeysVerdict : std::uint8_t {
  ready_dnssec,
  ready_webpki,
  ready_unauthenticated,
  unusable,
  none,
  untested,
};
std::string_view to_string(KeysVerdict verdict);  // JSON words: "ready-dnssec", ...

struct AddressKeys {
  std::string address;  // as given
  std::optional<policy::MailAddress> parsed;
  std::string address_error;  // why it could not be looked up (then untested)
  WkdFacts wkd;
  DnsKeyFacts openpgpkey;
  DnsKeyFacts smimea;
  KeysVerdict verdict = KeysVerdict::untested;
  std::string summary;  // "ready (authenticated by DNSSEC)", "key found but unusable (...)"
  Findings findings;
};

// Fills verdict, summary and findings from the facts.
void judge_keys(AddressKeys& keys);

}  // namespace intransit::check
