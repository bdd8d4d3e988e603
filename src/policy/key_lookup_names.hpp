// key_lookup_names.hpp — where a sender looks for the key of an e-mail address (`keys`,
// issue 21): the Web Key Directory URLs (draft-koch-openpgp-webkey-service §3.1: the
// z-base-32 encoded SHA-1 of the lower-cased local part, advanced and direct methods, the
// `policy` file of §4.5) and the DNS owner names of OPENPGPKEY (RFC 7929 §3) and SMIMEA
// (RFC 8162 §3): hex of SHA-256 of the local part, truncated to 28 octets. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace intransit::policy {

// An address split at its last '@' (the local part may be quoted and contain '@'). The domain
// is lower-cased, without a trailing dot; the local part is kept as given (RFC 5321 §2.4: only
// the receiving domain may interpret its case).
struct MailAddress {
  std::string local;
  std::string domain;
};
// nullopt with `error` for no '@', an empty side, a too long address (limits::kAddressBytes),
// or bytes that cannot be part of an address (controls, space, '/', '?', '#' in the domain).
std::optional<MailAddress> split_address(std::string_view address, std::string& error);

// z-base-32 (Phil Zimmermann's alphabet, as the draft uses it): 5 bits per character, most
// significant first, no padding; 20 octets give 32 characters.
std::string zbase32(std::span<const std::uint8_t> bytes);

// The WKD hash of a local part: z-base-32 of SHA-1 of the local part with ASCII upper case
// mapped to lower case (§3.1; other octets are left as they are).
std::string wkd_hash(std::string_view local);

// The local part as the `l=` query parameter (percent-encoded, RFC 3986 §2.1; unreserved kept).
std::string wkd_local_parameter(std::string_view local);

// https://openpgpkey.DOMAIN/.well-known/openpgpkey/DOMAIN/hu/HASH?l=LOCAL
std::string wkd_advanced_url(const MailAddress& address);
// https://DOMAIN/.well-known/openpgpkey/hu/HASH?l=LOCAL
std::string wkd_direct_url(const MailAddress& address);
// The host each method asks: "openpgpkey.DOMAIN" or "DOMAIN".
std::string wkd_advanced_host(const MailAddress& address);
// The `policy` file next to hu/ for either method (§4.5).
std::string wkd_policy_url(const MailAddress& address, bool advanced);

// The DNS owner names: hex(SHA-256(local part))[first 28 octets]._openpgpkey.DOMAIN and
// ..._smimecert.DOMAIN, in lower-case hex, no trailing dot. The local part is hashed as given
// (RFC 7929 §3 hashes the UTF-8 string; §4 leaves case-folding to the domain's publisher).
std::string openpgpkey_owner(const MailAddress& address);
std::string smimea_owner(const MailAddress& address);

}  // namespace intransit::policy
