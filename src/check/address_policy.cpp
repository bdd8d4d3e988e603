// address_policy.cpp — see address_policy.hpp. One table per family, most specific prefix
// first (the first row that matches names the range). Sources: the IANA IPv4 and IPv6
// Special-Purpose Address Registries (RFC 6890 §2.2.2, §2.2.3 and their later entries), RFC 5771
// (IPv4 multicast), RFC 4291 §2.7 (IPv6 multicast).
#include "check/address_policy.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace intransit::check {
namespace {

struct V4Row {
  std::array<std::uint8_t, 4> prefix;
  unsigned length;
  std::string_view words;
};

struct V6Row {
  std::array<std::uint8_t, 16> prefix;
  unsigned length;
  std::string_view words;
};

constexpr std::array kV4{
    V4Row{{0, 0, 0, 0}, 8, "this network (RFC 1122)"},
    V4Row{{10, 0, 0, 0}, 8, "private (RFC 1918)"},
    V4Row{{100, 64, 0, 0}, 10, "shared/CGNAT (RFC 6598)"},
    V4Row{{127, 0, 0, 0}, 8, "loopback (RFC 1122)"},
    V4Row{{169, 254, 0, 0}, 16, "link-local (RFC 3927)"},
    V4Row{{172, 16, 0, 0}, 12, "private (RFC 1918)"},
    V4Row{{192, 0, 0, 0}, 24, "IETF protocol assignments (RFC 6890)"},
    V4Row{{192, 0, 2, 0}, 24, "documentation TEST-NET-1 (RFC 5737)"},
    V4Row{{192, 88, 99, 0}, 24, "6to4 relay anycast (RFC 7526)"},
    V4Row{{192, 168, 0, 0}, 16, "private (RFC 1918)"},
    V4Row{{198, 18, 0, 0}, 15, "benchmarking (RFC 2544)"},
    V4Row{{198, 51, 100, 0}, 24, "documentation TEST-NET-2 (RFC 5737)"},
    V4Row{{203, 0, 113, 0}, 24, "documentation TEST-NET-3 (RFC 5737)"},
    V4Row{{224, 0, 0, 0}, 4, "multicast (RFC 5771)"},
    V4Row{{255, 255, 255, 255}, 32, "limited broadcast (RFC 919)"},
    V4Row{{240, 0, 0, 0}, 4, "reserved (RFC 1112)"},
};

// Rows with empty words carry an IPv4 address: judged by it (see embedded_v4()).
constexpr std::array kV6{
    V6Row{{}, 128, "unspecified (RFC 4291)"},
    V6Row{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback (RFC 4291)"},
    V6Row{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, ""},  // IPv4-mapped (RFC 4291)
    V6Row{{}, 96, "IPv4-compatible, deprecated (RFC 4291)"},
    V6Row{{0, 0x64, 0xff, 0x9b}, 96, ""},  // NAT64 well-known prefix (RFC 6052)
    V6Row{{0, 0x64, 0xff, 0x9b, 0, 1}, 48, "local-use NAT64 (RFC 8215)"},
    V6Row{{0x01, 0x00}, 64, "discard-only (RFC 6666)"},
    V6Row{{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation (RFC 3849)"},
    V6Row{{0x20, 0x01}, 23, "IETF protocol assignments (RFC 2928)"},
    V6Row{{0x20, 0x02}, 16, ""},  // 6to4 (RFC 3056)
    V6Row{{0xfc}, 7, "unique-local (RFC 4193)"},
    V6Row{{0xfe, 0x80}, 10, "link-local (RFC 4291)"},
    V6Row{{0xff}, 8, "multicast (RFC 4291)"},
};

template <std::size_t N>
bool in_prefix(const std::array<std::uint8_t, N>& bytes, const std::array<std::uint8_t, N>& prefix,
               unsigned length) {
  for (std::size_t i = 0; i < N && length > 0; ++i) {
    const unsigned bits = length >= 8 ? 8 : length;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((bytes[i] & mask) != (prefix[i] & mask)) return false;
    length -= bits;
  }
  return true;
}

std::optional<std::string_view> classify_v4(const std::array<std::uint8_t, 4>& bytes) {
  for (const auto& row : kV4) {
    if (in_prefix(bytes, row.prefix, row.length)) return row.words;
  }
  return std::nullopt;
}

// The IPv4 address inside an embedding row's address: the last 32 bits for IPv4-mapped and
// NAT64 (RFC 6052 §2.2, /96), bits 16-47 for 6to4 (RFC 3056 §2).
std::array<std::uint8_t, 4> embedded_v4(const std::array<std::uint8_t, 16>& bytes,
                                        const V6Row& row) {
  const std::size_t at = row.length == 16 ? 2 : 12;
  return {bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]};
}

}  // namespace

std::optional<std::string_view> special_purpose_range(const boost::asio::ip::address& address) {
  if (address.is_v4()) return classify_v4(address.to_v4().to_bytes());
  const auto bytes = address.to_v6().to_bytes();
  for (const auto& row : kV6) {
    if (!in_prefix(bytes, row.prefix, row.length)) continue;
    if (!row.words.empty()) return row.words;
    return classify_v4(embedded_v4(bytes, row));
  }
  return std::nullopt;
}

}  // namespace intransit::check
