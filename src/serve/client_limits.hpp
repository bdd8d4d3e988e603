// client_limits.hpp — requests per client, so one stranger cannot take the service for himself:
// a token bucket per client address (an IPv6 client by its /64, the usual one-customer
// allocation), the table bounded (idle clients are forgotten first).
#pragma once

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

#include "core/token_bucket.hpp"

namespace intransit::serve {

class ClientLimits {
 public:
  using Clock = TokenBucket::Clock;
  // rate <= 0: no limit.
  ClientLimits(double rate, double burst, std::size_t max_clients = 65536);
  // Takes a token for `client`; false when it has none left (answer 429).
  bool allow(const boost::asio::ip::address& client, Clock::time_point now);
  std::size_t clients() const { return clients_.size(); }

  // The key a client is counted under: the IPv4 address, or the /64 of an IPv6 one.
  static std::string key(const boost::asio::ip::address& client);

 private:
  struct Entry {
    TokenBucket bucket;
    Clock::time_point last;
  };
  void forget_idle(Clock::time_point now);
  double rate_, burst_;
  std::size_t max_clients_;
  std::unordered_map<std::string, Entry> clients_;
};

}  // namespace intransit::serve
