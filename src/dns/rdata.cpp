// rdata.cpp — see rdata.hpp.
#include "dns/rdata.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdio>

#include "core/limits.hpp"

namespace intransit::dns {
namespace {

constexpr std::size_t kMaxNameWire = 255;  // RFC 1035 §2.3.4
constexpr std::uint8_t kMaxLabel = 63;

bool plain_label_char(std::uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::optional<std::string> decode_name(Bytes rdata, std::size_t& offset, std::string& error) {
  error.clear();
  std::string name;
  std::size_t wire = 0;
  while (true) {
    if (offset >= rdata.size()) {
      error = "name runs past the end of the record";
      return std::nullopt;
    }
    const std::uint8_t len = rdata[offset++];
    ++wire;
    if (len == 0) break;
    if (len > kMaxLabel) {  // also refuses compression pointers (0xC0), which must not be here
      error = "label length " + std::to_string(len) + " is over 63";
      return std::nullopt;
    }
    if (offset + len > rdata.size()) {
      error = "label runs past the end of the record";
      return std::nullopt;
    }
    wire += len;
    if (wire > kMaxNameWire) {
      error = "name longer than 255 octets";
      return std::nullopt;
    }
    if (!name.empty()) name += '.';
    for (std::size_t i = 0; i < len; ++i) {
      std::uint8_t c = rdata[offset + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<std::uint8_t>(c - 'A' + 'a');
      if (plain_label_char(c)) {
        name += static_cast<char>(c);
      } else {
        std::array<char, 5> esc{};
        std::snprintf(esc.data(), esc.size(), "\\%03u", static_cast<unsigned>(c));
        name += esc.data();
      }
    }
    offset += len;
  }
  return name.empty() ? std::string(".") : name;
}

std::optional<Mx> decode_mx(Bytes rdata, std::string& error) {
  error.clear();
  if (rdata.size() < 3) {
    error = "MX record shorter than 3 octets";
    return std::nullopt;
  }
  Mx mx;
  mx.preference = static_cast<std::uint16_t>(rdata[0] << 8 | rdata[1]);
  std::size_t offset = 2;
  auto host = decode_name(rdata, offset, error);
  if (!host) return std::nullopt;
  if (offset != rdata.size()) {
    error = "bytes after the MX exchange name";
    return std::nullopt;
  }
  mx.host = std::move(*host);
  return mx;
}

std::optional<Srv> decode_srv(Bytes rdata, std::string& error) {
  error.clear();
  if (rdata.size() < 7) {  // three 16-bit fields and at least the root name
    error = "SRV record shorter than 7 octets";
    return std::nullopt;
  }
  Srv srv;
  srv.priority = static_cast<std::uint16_t>(rdata[0] << 8 | rdata[1]);
  srv.weight = static_cast<std::uint16_t>(rdata[2] << 8 | rdata[3]);
  srv.port = static_cast<std::uint16_t>(rdata[4] << 8 | rdata[5]);
  std::size_t offset = 6;
  auto target = decode_name(rdata, offset, error);
  if (!target) return std::nullopt;
  if (offset != rdata.size()) {
    error = "bytes after the SRV target name";
    return std::nullopt;
  }
  srv.target = std::move(*target);
  return srv;
}

std::optional<std::string> decode_txt(Bytes rdata, std::string& error) {
  error.clear();
  if (rdata.empty()) {
    error = "TXT record with no character-string";
    return std::nullopt;
  }
  std::string text;
  std::size_t offset = 0;
  while (offset < rdata.size()) {
    const std::size_t len = rdata[offset++];
    if (offset + len > rdata.size()) {
      error = "TXT character-string runs past the end of the record";
      return std::nullopt;
    }
    text.append(reinterpret_cast<const char*>(rdata.data() + offset), len);
    offset += len;
  }
  return text;
}

namespace {
std::optional<std::string> decode_address(Bytes rdata, int family, std::size_t size,
                                          std::string& error) {
  error.clear();
  if (rdata.size() != size) {
    error = "address record of " + std::to_string(rdata.size()) + " octets, expected " +
            std::to_string(size);
    return std::nullopt;
  }
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (inet_ntop(family, rdata.data(), text.data(), text.size()) == nullptr) {
    error = "address does not format";
    return std::nullopt;
  }
  return std::string(text.data());
}
}  // namespace

std::optional<std::string> decode_a(Bytes rdata, std::string& error) {
  return decode_address(rdata, AF_INET, 4, error);
}
std::optional<std::string> decode_aaaa(Bytes rdata, std::string& error) {
  return decode_address(rdata, AF_INET6, 16, error);
}

std::optional<Tlsa> decode_tlsa(Bytes rdata, std::string& error) {
  error.clear();
  if (rdata.size() < 4) {  // three octets of parameters and at least one of data
    error = "TLSA record shorter than 4 octets";
    return std::nullopt;
  }
  Tlsa t;
  t.usage = rdata[0];
  t.selector = rdata[1];
  t.matching = rdata[2];
  t.data.assign(rdata.begin() + 3, rdata.end());
  return t;
}

std::optional<Tlsa> decode_smimea(Bytes rdata, std::string& error) {
  auto t = decode_tlsa(rdata, error);
  if (!t) error = "SMIMEA record shorter than 4 octets";
  return t;
}

std::optional<std::vector<std::uint8_t>> decode_openpgpkey(Bytes rdata, std::string& error) {
  error.clear();
  if (rdata.empty()) {
    error = "OPENPGPKEY record is empty";
    return std::nullopt;
  }
  if (rdata.size() > limits::kOpenPgpKeyBytes) {
    error = "OPENPGPKEY record larger than " + std::to_string(limits::kOpenPgpKeyBytes) + " octets";
    return std::nullopt;
  }
  return std::vector<std::uint8_t>(rdata.begin(), rdata.end());
}

std::string Tlsa::to_string() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s =
      std::to_string(usage) + " " + std::to_string(selector) + " " + std::to_string(matching) + " ";
  for (std::uint8_t b : data) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

}  // namespace intransit::dns
