// client_names.hpp — which name a mail client may hold a server's certificate to (RFC 7817 §3,
// RFC 6186 §6): the domain of the user's address always; the host name a discovery source gave
// (an SRV target, an autoconfig hostname) only when that source was authenticated — a
// DNSSEC-secure SRV answer, or an autoconfig file fetched over HTTPS with a WebPKI-valid
// certificate for the domain's autoconfig host. An unsigned SRV answer pointing at a foreign
// name proves nothing: a certificate valid only for that name is not authenticated. Names match
// per RFC 6125 §6.4 (subjectAltName dNSName, a wildcard only as the whole left-most label).
// Pure: unit-tested as a decision table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::check {

enum class NameCheck : std::uint8_t {
  domain,                   // the certificate names the domain the user typed
  delegated,                // it names the server host, and the source was authenticated
  foreign_unauthenticated,  // it names only the server host, from an unauthenticated source
  mismatch,                 // it names neither
  untested,                 // no certificate seen (no TLS, or the probe did not get that far)
};
std::string_view to_string(NameCheck check);  // "domain", "delegated", ...
bool authenticated(NameCheck check);          // domain or delegated

// RFC 6125 §6.4.3: `name` (lower case, no trailing dot) against one dNSName; a wildcard only as
// the complete left-most label, matching exactly one label.
bool name_matches(std::string_view pattern, std::string_view name);
bool any_name_matches(const std::vector<std::string>& dns_names, std::string_view name);

// The decision table. `have_certificate` false: untested, whatever else.
NameCheck decide_name(bool have_certificate, bool matches_domain, bool matches_host,
                      bool source_authenticated);

}  // namespace intransit::check
