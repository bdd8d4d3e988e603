// addresses.cpp — see addresses.hpp.
#include "check/addresses.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "dns/rdata.hpp"

namespace intransit::check {
namespace asio = boost::asio;

asio::awaitable<void> lookup_into(dns::Resolver& resolver, std::string name, dns::RrType type,
                                  dns::Answer& slot, WaitGroup& group) {
  slot = co_await resolver.lookup(std::move(name), type);
  group.done();
}

asio::awaitable<HostAddresses> lookup_addresses(dns::Resolver& resolver, std::string host) {
  HostAddresses h;
  h.host = host;
  const auto ex = co_await asio::this_coro::executor;
  WaitGroup group(ex);
  group.add(2);
  asio::co_spawn(ex, lookup_into(resolver, host, dns::RrType::a, h.a, group), asio::detached);
  asio::co_spawn(ex, lookup_into(resolver, host, dns::RrType::aaaa, h.aaaa, group), asio::detached);
  co_await group.wait();
  for (const dns::Answer* answer : {&h.a, &h.aaaa}) {
    for (const auto& rdata : answer->rdata) {
      std::string error;
      const auto ip = answer->type == dns::RrType::a ? dns::decode_a(rdata, error)
                                                     : dns::decode_aaaa(rdata, error);
      if (!ip) {
        h.decode_error = error;
        continue;
      }
      if (h.ips.size() >= limits::kAddressesPerMx) {
        ++h.dropped;
      } else {
        h.ips.push_back(*ip);
      }
    }
  }
  co_return h;
}

}  // namespace intransit::check
