// exclude.cpp — see exclude.hpp.
#include "scan/exclude.hpp"

#include <charconv>
#include <fstream>

#include "scan/input.hpp"

namespace intransit::scan {
namespace asio = boost::asio;

namespace {

// Addresses compared as 16 bytes: IPv4 as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
std::array<unsigned char, 16> bytes_of(const asio::ip::address& a) {
  if (a.is_v6()) return a.to_v6().to_bytes();
  return asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4()).to_bytes();
}

bool matches(const std::array<unsigned char, 16>& addr, const std::array<unsigned char, 16>& net,
             unsigned bits) {
  for (unsigned i = 0; i < 16 && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
    const unsigned mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((addr[i] & mask) != (net[i] & mask)) return false;
  }
  return true;
}

}  // namespace

bool ExcludeList::add(std::string_view line, std::string& error) {
  if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (line.empty()) return true;
  const auto slash = line.find('/');
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(std::string(line.substr(0, slash)), ec);
  if (!ec) {
    Prefix p;
    p.bytes = bytes_of(address);
    const unsigned width = address.is_v4() ? 32 : 128;
    unsigned bits = width;
    if (slash != std::string_view::npos) {
      const auto text = line.substr(slash + 1);
      const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), bits);
      if (err != std::errc() || end != text.data() + text.size() || text.empty() || bits > width) {
        error = "'" + std::string(line) + "' has no valid prefix length";
        return false;
      }
    }
    p.bits = bits + (128 - width);
    prefixes_.push_back(p);
    return true;
  }
  const auto parsed = parse_line(line, 0);
  if (parsed.kind != LineResult::Kind::domain || slash != std::string_view::npos) {
    error = "'" + std::string(line.substr(0, 100)) + "' is neither a domain nor an address/prefix";
    return false;
  }
  domains_.insert(parsed.domain);
  return true;
}

std::optional<ExcludeList> ExcludeList::load(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read the exclude list " + path;
    return std::nullopt;
  }
  ExcludeList list;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!list.add(line, error)) {
      error = path + " line " + std::to_string(number) + ": " + error;
      return std::nullopt;
    }
  }
  return list;
}

bool ExcludeList::excludes_domain(std::string_view domain) const {
  // The name itself, then each parent: example.org excludes mail.example.org.
  while (!domain.empty()) {
    if (domains_.count(std::string(domain)) > 0) return true;
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return false;
}

bool ExcludeList::excludes_address(const asio::ip::address& address) const {
  const auto b = bytes_of(address);
  for (const auto& p : prefixes_) {
    if (matches(b, p.bytes, p.bits)) return true;
  }
  return false;
}

}  // namespace intransit::scan
