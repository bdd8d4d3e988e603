// key_lookup_names.cpp — see key_lookup_names.hpp. SHA-1 and SHA-256 come from OpenSSL's
// one-shot EVP_Digest (no state to own).
#include "policy/key_lookup_names.hpp"

#include <openssl/evp.h>

#include <array>
#include <vector>

#include "core/limits.hpp"
#include "core/text.hpp"

namespace intransit::policy {
namespace {

std::vector<std::uint8_t> digest(const EVP_MD* md, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) {
    return {};  // OpenSSL without SHA-1/SHA-256 is a broken installation, not input
  }
  return {out.begin(), out.begin() + len};
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    s += kHex[b >> 4U];
    s += kHex[b & 15U];
  }
  return s;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool domain_byte_ok(unsigned char c) {
  return c > 0x20 && c != 0x7f && c != '/' && c != '?' && c != '#' && c != '@' && c != '\\';
}

std::string dane_owner(const MailAddress& address, std::string_view label) {
  const auto sha = digest(EVP_sha256(), address.local);
  const std::span<const std::uint8_t> first28(sha.data(), std::min<std::size_t>(sha.size(), 28));
  return hex(first28) + "." + std::string(label) + "." + address.domain;
}

}  // namespace

std::optional<MailAddress> split_address(std::string_view address, std::string& error) {
  error.clear();
  if (address.size() > limits::kAddressBytes) {
    error = "address longer than " + std::to_string(limits::kAddressBytes) + " octets";
    return std::nullopt;
  }
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) {
    error = "no '@' in the address";
    return std::nullopt;
  }
  MailAddress a{std::string(address.substr(0, at)), std::string(address.substr(at + 1))};
  if (!a.domain.empty() && a.domain.back() == '.') a.domain.pop_back();
  if (a.local.empty() || a.domain.empty()) {
    error = "empty local part or domain";
    return std::nullopt;
  }
  for (char& c : a.domain) {
    if (!domain_byte_ok(static_cast<unsigned char>(c))) {
      error = "the domain holds a byte no domain name may";
      return std::nullopt;
    }
    c = ascii_lower(c);
  }
  for (char c : a.local) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      error = "the local part holds a control character";
      return std::nullopt;
    }
  }
  return a;
}

std::string zbase32(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t b : bytes) {
    buffer = (buffer << 8U) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kAlphabet[(buffer >> static_cast<unsigned>(bits)) & 31U];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << static_cast<unsigned>(5 - bits)) & 31U];
  return out;
}

std::string wkd_hash(std::string_view local) {
  std::string lowered(local);
  for (char& c : lowered) c = ascii_lower(c);
  return zbase32(digest(EVP_sha1(), lowered));
}

std::string wkd_local_parameter(std::string_view local) {
  return text::percent_encode(local);  // the draft's §3.1: percent-escaped local part
}

std::string wkd_advanced_host(const MailAddress& address) {
  return "openpgpkey." + address.domain;
}

std::string wkd_advanced_url(const MailAddress& address) {
  return "https://" + wkd_advanced_host(address) + "/.well-known/openpgpkey/" + address.domain +
         "/hu/" + wkd_hash(address.local) + "?l=" + wkd_local_parameter(address.local);
}

std::string wkd_direct_url(const MailAddress& address) {
  return "https://" + address.domain + "/.well-known/openpgpkey/hu/" + wkd_hash(address.local) +
         "?l=" + wkd_local_parameter(address.local);
}

std::string wkd_policy_url(const MailAddress& address, bool advanced) {
  if (advanced) {
    return "https://" + wkd_advanced_host(address) + "/.well-known/openpgpkey/" + address.domain +
           "/policy";
  }
  return "https://" + address.domain + "/.well-known/openpgpkey/policy";
}

std::string openpgpkey_owner(const MailAddress& address) {
  return dane_owner(address, "_openpgpkey");
}

std::string smimea_owner(const MailAddress& address) {
  return dane_owner(address, "_smimecert");
}

}  // namespace intransit::policy
