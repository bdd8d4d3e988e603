// input.hpp — the population a scan reads (issue 16): one domain a line, or one CSV column.
// Comments (`#` to the end of the line), blank lines, surrounding spaces, upper case and a
// trailing dot are normalised away; a name that cannot be a domain is counted, not scanned.
// The input is read twice and never held: once to hash it (the header's input_sha256, which
// `scan merge` compares between shards) and count it, once lazily while scanning. A pipe is
// spooled to an unnamed temporary file first. Duplicates are found by a 64-bit hash of each
// name (8 bytes a domain, not the name), so memory stays flat in the population size.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "scan/shard.hpp"

namespace intransit::scan {

// What one input line holds.
struct LineResult {
  enum class Kind : std::uint8_t { nothing, domain, invalid } kind = Kind::nothing;
  std::string domain;  // normalised, when kind is domain
  std::string text;    // the offending field, when invalid
};

// `column` is 0 for a plain list, else the 1-based CSV column (comma-separated, quotes removed).
LineResult parse_line(std::string_view line, unsigned column);

struct InputStats {
  std::string sha256;          // of the raw input bytes, hex
  std::uint64_t in_shard = 0;  // valid names in this shard, duplicates included (progress total)
};

class InputReader {
 public:
  // nullptr with `error` set when `path` ("-" for standard input) cannot be read.
  static std::unique_ptr<InputReader> open(const std::string& path, unsigned column, Shard shard,
                                           std::string& error);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  const InputStats& stats() const { return stats_; }

  // The next domain of this shard not seen before; nullopt at the end. Invalid names are counted
  // in invalid() and the first few kept in first_invalid().
  std::optional<std::string> next();
  std::uint64_t invalid() const { return invalid_; }
  std::uint64_t duplicates() const { return duplicates_; }
  const std::string& first_invalid() const { return first_invalid_; }

 private:
  InputReader(std::FILE* file, bool owned, unsigned column, Shard shard);
  bool read_line(std::string& line);

  std::FILE* file_;
  bool owned_;
  unsigned column_;
  Shard shard_;
  InputStats stats_;
  std::unordered_set<std::uint64_t> seen_;
  std::uint64_t invalid_ = 0;
  std::uint64_t duplicates_ = 0;
  std::string first_invalid_;
};

}  // namespace intransit::scan
