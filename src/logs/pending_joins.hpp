// pending_joins.hpp — per-process state waiting to be joined with later lines of the same
// process (a TLS line with the deliveries that follow it). Bounded: at most `capacity` entries;
// the oldest is evicted, and counted, when a new one would exceed it, so a log of endless
// interleaved processes holds constant memory (RELIABILITY.md item 51 neighbourhood: hostile logs).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace intransit::logs {

template <typename State>
class PendingJoins {
 public:
  explicit PendingJoins(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Sets the state of `key`, replacing an older one.
  void put(std::string_view key, State state) {
    auto [it, inserted] = map_.try_emplace(std::string(key));
    it->second.state = std::move(state);
    it->second.seq = ++seq_;
    order_.emplace_back(it->first, it->second.seq);
    if (inserted && map_.size() > capacity_) evict_oldest();
    if (order_.size() > 4 * capacity_) compact();
  }
  State* find(std::string_view key) {
    lookup_.assign(key);
    const auto it = map_.find(lookup_);
    return it == map_.end() ? nullptr : &it->second.state;
  }
  void erase(std::string_view key) {
    lookup_.assign(key);
    map_.erase(lookup_);
  }
  std::size_t size() const { return map_.size(); }
  std::size_t evicted() const { return evicted_; }

 private:
  struct Entry {
    State state;
    std::uint64_t seq = 0;
  };
  void evict_oldest() {
    while (!order_.empty()) {
      auto [key, seq] = std::move(order_.front());
      order_.pop_front();
      const auto it = map_.find(key);
      if (it != map_.end() && it->second.seq == seq) {
        map_.erase(it);
        ++evicted_;
        return;
      }
    }
  }
  // Drops order entries of keys that were replaced or erased since.
  void compact() {
    std::deque<std::pair<std::string, std::uint64_t>> kept;
    for (auto& [key, seq] : order_) {
      const auto it = map_.find(key);
      if (it != map_.end() && it->second.seq == seq) kept.emplace_back(std::move(key), seq);
    }
    order_.swap(kept);
  }
  std::size_t capacity_;
  std::uint64_t seq_ = 0;
  std::size_t evicted_ = 0;
  std::string lookup_;
  std::unordered_map<std::string, Entry> map_;
  std::deque<std::pair<std::string, std::uint64_t>> order_;
};

}  // namespace intransit::logs
