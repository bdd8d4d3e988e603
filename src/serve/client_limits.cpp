// client_limits.cpp — see client_limits.hpp.
#include "serve/client_limits.hpp"

namespace intransit::serve {

ClientLimits::ClientLimits(double rate, double burst, std::size_t max_clients)
    : rate_(rate), burst_(burst), max_clients_(max_clients) {}

std::string ClientLimits::key(const boost::asio::ip::address& client) {
  if (client.is_v4()) return client.to_string();
  auto bytes = client.to_v6().to_bytes();
  if (client.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, client.to_v6()).to_string();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

void ClientLimits::forget_idle(Clock::time_point now) {
  // A client idle for longer than it takes to refill its bucket is indistinguishable from a new
  // one: forgetting it changes nothing it could notice.
  const auto refill = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(rate_ > 0 ? burst_ / rate_ + 1 : 1));
  std::erase_if(clients_, [&](const auto& kv) { return now - kv.second.last > refill; });
  if (clients_.size() >= max_clients_) clients_.clear();  // a flood of addresses: start over
}

bool ClientLimits::allow(const boost::asio::ip::address& client, Clock::time_point now) {
  if (rate_ <= 0) return true;
  const std::string k = key(client);
  auto it = clients_.find(k);
  if (it == clients_.end()) {
    if (clients_.size() >= max_clients_) forget_idle(now);
    it = clients_.emplace(k, Entry{TokenBucket(rate_, burst_, now), now}).first;
  }
  it->second.last = now;
  return it->second.bucket.take(now) == Clock::duration::zero();
}

}  // namespace intransit::serve
