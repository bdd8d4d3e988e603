// tally.cpp — see tally.hpp.
#include "logs/tally.hpp"

#include <algorithm>
#include <tuple>

namespace intransit::logs {

namespace {

DeliveryRef ref_of(const Delivery& d) {
  return DeliveryRef{d.time, d.time_known, d.queue_id, d.relay_host, d.relay_address, d.protection};
}

void add_to(DomainTally& t, const Delivery& d, bool keep_details) {
  ++t.deliveries;
  ++t.by_protection[static_cast<std::size_t>(d.protection)];
  ++t.by_result[static_cast<std::size_t>(d.result)];
  if (!d.tls_version.empty() &&
      (keep_details || t.tls_versions.size() < 16 || t.tls_versions.count(d.tls_version))) {
    ++t.tls_versions[d.tls_version];
  }
  if (d.time_known && (!t.last_seen_known || d.time > t.last_seen)) {
    t.last_seen = d.time;
    t.last_seen_known = true;
  }
  if (!keep_details) return;
  if (!d.relay_host.empty() && t.relays.size() < kRelaysPerDomain &&
      std::find(t.relays.begin(), t.relays.end(), d.relay_host) == t.relays.end()) {
    t.relays.push_back(d.relay_host);
  }
  if (d.protection == Protection::plaintext && t.plaintext_samples.size() < kBlockingSamples) {
    t.plaintext_samples.push_back(ref_of(d));
  }
  if (d.protection == Protection::encrypted_unverified &&
      t.unverified_samples.size() < kBlockingSamples) {
    t.unverified_samples.push_back(ref_of(d));
  }
}

std::tuple<std::uint64_t, std::uint64_t, std::uint64_t> badness(const DomainTally& t) {
  return {t.count(Protection::plaintext), t.count(Protection::encrypted_unverified), t.deliveries};
}

}  // namespace

void Tally::add(const Delivery& d) {
  add_to(total_, d, false);
  auto it = domains_.find(d.recipient_domain);
  if (it == domains_.end()) {
    if (domains_.size() >= kTallyDomains) {
      ++other_deliveries_;
      return;
    }
    it = domains_.emplace(d.recipient_domain, DomainTally{}).first;
  }
  add_to(it->second, d, true);
}

std::vector<std::pair<std::string, const DomainTally*>> Tally::ranked() const {
  std::vector<std::pair<std::string, const DomainTally*>> out;
  out.reserve(domains_.size());
  for (const auto& [name, t] : domains_) out.emplace_back(name, &t);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto ba = badness(*a.second), bb = badness(*b.second);
    if (ba != bb) return ba > bb;
    return a.first < b.first;
  });
  return out;
}

}  // namespace intransit::logs
