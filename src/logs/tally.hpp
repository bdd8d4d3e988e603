// tally.hpp — counters over deliveries, per destination domain: how many, how protected, with
// which results and TLS versions, when last seen, through which relays; and, bounded, the
// deliveries that would have been deferred had TLS (or authenticated TLS) been required. What
// the summary, the per-domain table and the enforcement advice are built from. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "logs/delivery.hpp"

namespace intransit::logs {

// Destination domains counted one by one; more (a hostile or huge log) are counted together
// as "other domains" so memory stays bounded (derived: a large sender reaches ~10^4 domains a day).
inline constexpr std::size_t kTallyDomains = 100'000;
// Deliveries kept per domain as examples of what a stricter policy would have deferred.
inline constexpr std::size_t kBlockingSamples = 20;
// Relay host names kept per domain (for Exim host lists).
inline constexpr std::size_t kRelaysPerDomain = 16;

// A delivery kept as an example: enough to find it in the log.
struct DeliveryRef {
  std::int64_t time = 0;
  bool time_known = false;
  std::string queue_id, relay_host, relay_address;
  Protection protection = Protection::unknown;
};

struct DomainTally {
  std::uint64_t deliveries = 0;
  std::array<std::uint64_t, kProtectionCount> by_protection{};
  std::array<std::uint64_t, 3> by_result{};
  std::map<std::string, std::uint64_t> tls_versions;
  std::int64_t last_seen = 0;
  bool last_seen_known = false;
  std::vector<std::string> relays;
  std::vector<DeliveryRef> plaintext_samples;   // would have been deferred under "encrypt"
  std::vector<DeliveryRef> unverified_samples;  // ... and these too under "secure"/"dane-only"

  std::uint64_t count(Protection p) const { return by_protection[static_cast<std::size_t>(p)]; }
};

class Tally {
 public:
  void add(const Delivery& d);
  std::uint64_t deliveries() const { return total_.deliveries; }
  const DomainTally& total() const { return total_; }
  const std::unordered_map<std::string, DomainTally>& domains() const { return domains_; }
  std::uint64_t other_domain_deliveries() const { return other_deliveries_; }
  // Domains worst first: most plaintext, then most unverified, then most deliveries, then name.
  std::vector<std::pair<std::string, const DomainTally*>> ranked() const;

 private:
  DomainTally total_;
  std::unordered_map<std::string, DomainTally> domains_;
  std::uint64_t other_deliveries_ = 0;
};

}  // namespace intransit::logs
