// merge.hpp — `intransit scan merge OUT*.jsonl` (issue 16 "Sharded"): the shards of one scan
// joined into one file with one header and one footer. Files from different inputs or options,
// or two files for the same shard, are refused before anything is written; missing or
// unfinished shards are named, and the merged footer then says "complete": false.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace intransit::scan {

enum class MergeStatus : std::uint8_t {
  complete,    // every shard there and complete
  incomplete,  // written, but shards are missing or unfinished (named in `message`)
  refused      // the files are not shards of one scan (nothing written)
};

struct MergeResult {
  MergeStatus status = MergeStatus::complete;
  std::string message;
};

// Writes the merged JSON Lines to standard output.
MergeResult merge_shards(const std::vector<std::string>& files);

}  // namespace intransit::scan
