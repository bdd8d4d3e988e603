// shard.cpp — see shard.hpp.
#include "scan/shard.hpp"

#include <charconv>

namespace intransit::scan {

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  const auto slash = text.find('/');
  Shard s;
  const auto number = [](std::string_view t, std::uint32_t& out) {
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return ec == std::errc() && end == t.data() + t.size() && !t.empty();
  };
  if (slash == std::string_view::npos || !number(text.substr(0, slash), s.index) ||
      !number(text.substr(slash + 1), s.count)) {
    error = "a shard is K/N with whole numbers, e.g. 0/4";
    return std::nullopt;
  }
  if (s.count == 0 || s.count > kMaxShards || s.index >= s.count) {
    error = "a shard K/N needs 0 <= K < N <= " + std::to_string(kMaxShards);
    return std::nullopt;
  }
  return s;
}

}  // namespace intransit::scan
