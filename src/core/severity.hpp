// severity.hpp — the one severity scale of the product (issue 15 §2): `check` findings and the
// sink report's behaviours use it alike, least severe first so that `>` means "worse". The
// words are the JSON contract's `severity` values (docs/json-schema.md): change them only with a
// new schema version.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace intransit {

enum class Severity : std::uint8_t { info, low, medium, high, critical };

namespace severity_detail {
constexpr std::array<std::string_view, 5> kWords{"info", "low", "medium", "high", "critical"};
}

constexpr std::string_view to_string(Severity severity) {
  return severity_detail::kWords.at(static_cast<std::size_t>(severity));
}

constexpr std::optional<Severity> severity_from_string(std::string_view word) {
  for (std::size_t i = 0; i < severity_detail::kWords.size(); ++i) {
    if (severity_detail::kWords[i] == word) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

}  // namespace intransit
