// rdata.hpp — pure decoders for the DNS record data `check` reads, as libunbound hands it over
// (uncompressed wire form, RFC 3597 §4): domain names (RFC 1035 §3.1), MX (§3.3.9, and the
// null MX of RFC 7505), TXT (§3.3.14: a sequence of <character-string>s), A (§3.4.1), AAAA
// (RFC 3596 §2.2), TLSA (RFC 6698 §2.1), SMIMEA (RFC 8162 §2, TLSA's wire form), OPENPGPKEY
// (RFC 7929 §2: the transferable public key itself) and SRV (RFC 2782). Every decoder checks
// lengths before reading and reports malformed data as nullopt with a reason; nothing here does
// I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace intransit::dns {

using Bytes = std::span<const std::uint8_t>;

// A wire-form name starting at `offset` (advanced past it), as lower-case text without the
// trailing dot ("." for the root). Labels are escaped RFC 4343-style (\DDD) when not
// letter/digit/hyphen/underscore. No compression pointers (libunbound decompresses).
std::optional<std::string> decode_name(Bytes rdata, std::size_t& offset, std::string& error);

struct Mx {
  std::uint16_t preference = 0;
  std::string host;  // "." for the null MX
};
std::optional<Mx> decode_mx(Bytes rdata, std::string& error);

// One TXT RR: its character-strings concatenated (RFC 7208 §3.3 / RFC 8461 §3.1 read a record
// as the concatenation of its strings).
std::optional<std::string> decode_txt(Bytes rdata, std::string& error);

std::optional<std::string> decode_a(Bytes rdata, std::string& error);
std::optional<std::string> decode_aaaa(Bytes rdata, std::string& error);

struct Tlsa {
  std::uint8_t usage = 0;     // 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE
  std::uint8_t selector = 0;  // 0 full certificate, 1 SubjectPublicKeyInfo
  std::uint8_t matching = 0;  // 0 exact, 1 SHA-256, 2 SHA-512
  std::vector<std::uint8_t> data;
  std::string to_string() const;  // "3 1 1 ab12..." (presentation form, hex in lower case)
};
std::optional<Tlsa> decode_tlsa(Bytes rdata, std::string& error);

// SMIMEA has TLSA's wire form (RFC 8162 §2); its data is a certificate or key, or its hash.
std::optional<Tlsa> decode_smimea(Bytes rdata, std::string& error);

// OPENPGPKEY: the binary transferable public key (RFC 4880 §11.1), at most
// limits::kOpenPgpKeyBytes; empty or larger data is refused.
std::optional<std::vector<std::uint8_t>> decode_openpgpkey(Bytes rdata, std::string& error);
// SRV (RFC 2782): priority, weight, port, target. A target of "." means the service is
// decidedly not available at this domain (RFC 2782, RFC 6186 §3.4).
struct Srv {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;
};
std::optional<Srv> decode_srv(Bytes rdata, std::string& error);

}  // namespace intransit::dns
