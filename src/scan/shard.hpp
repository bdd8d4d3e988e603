// shard.hpp — which shard a domain belongs to (issue 16 "Sharded"): FNV-1a 64 of the normalised
// name, modulo the shard count. The hash is fixed here and tested against known values, so a
// shard holds the same domains on every machine, every run and every version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace intransit::scan {

struct Shard {
  std::uint32_t index = 0;  // 0-based
  std::uint32_t count = 1;
  bool operator==(const Shard&) const = default;
};

// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
std::uint64_t fnv1a64(std::string_view text);

inline bool in_shard(std::string_view domain, Shard shard) {
  return shard.count <= 1 || fnv1a64(domain) % shard.count == shard.index;
}

// "K/N" with 0 <= K < N <= kMaxShards; nullopt (and `error`) otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

inline constexpr std::uint32_t kMaxShards = 1'000'000;

}  // namespace intransit::scan
