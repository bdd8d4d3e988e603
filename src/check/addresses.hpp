// addresses.hpp — a host's IPv4 and IPv6 addresses (RFC 1035 A, RFC 3596 AAAA) looked up
// together through the check's validating resolver, with the facts DANE and the report need:
// whether both lookups were DNSSEC-secure (RFC 7672 §2.2.1), whether the name is an alias
// (an MX target must not be, RFC 2181 §10.3), and whether we could find out at all.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "core/wait_group.hpp"
#include "dns/resolver.hpp"

namespace intransit::check {

struct HostAddresses {
  std::string host;
  dns::Answer a;
  dns::Answer aaaa;
  std::vector<std::string> ips;  // IPv4 first, in answer order, capped at kAddressesPerMx
  std::size_t dropped = 0;       // addresses over the cap
  std::string decode_error;      // a malformed record, if any
  bool conclusive() const { return a.conclusive() && aaaa.conclusive(); }
  bool secure() const {
    return a.security == dns::Security::secure && aaaa.security == dns::Security::secure;
  }
  std::string canonical_name() const {
    return !a.canonical_name.empty() ? a.canonical_name : aaaa.canonical_name;
  }
};

boost::asio::awaitable<HostAddresses> lookup_addresses(dns::Resolver& resolver, std::string host);

// One of several concurrent lookups: answers `name` into `slot`, then marks `group` done.
boost::asio::awaitable<void> lookup_into(dns::Resolver& resolver, std::string name,
                                         dns::RrType type, dns::Answer& slot, WaitGroup& group);

}  // namespace intransit::check
