// exclude.hpp — a scan's opt-out list (issue 16 "Polite"): one entry a line, `#` comments.
// An entry is a domain (it and every name under it are skipped, never looked up or probed),
// an IPv4/IPv6 address, or a CIDR prefix (no SMTP connection is opened to an address in it).
#pragma once

#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace intransit::scan {

class ExcludeList {
 public:
  // Adds one line; false (and `error`) when it is neither a domain, an address nor a prefix.
  bool add(std::string_view line, std::string& error);
  // Reads `path`; nullopt with `error` naming the first bad line.
  static std::optional<ExcludeList> load(const std::string& path, std::string& error);

  bool excludes_domain(std::string_view domain) const;  // normalised domain
  bool excludes_address(const boost::asio::ip::address& address) const;
  bool empty() const { return domains_.empty() && prefixes_.empty(); }
  std::size_t size() const { return domains_.size() + prefixes_.size(); }

 private:
  struct Prefix {
    std::array<unsigned char, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    unsigned bits = 0;                      // of the 128
  };
  std::unordered_set<std::string> domains_;
  std::vector<Prefix> prefixes_;
};

}  // namespace intransit::scan
