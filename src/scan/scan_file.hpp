// scan_file.hpp — the scan's output file (issue 16): JSON Lines, first a header
// {"schema":"intransit.scan/1","type":"header",...}, then one intransit.check/1 document per
// domain (or a {"type":"skipped"} line for an excluded one) in the order they finish, then a
// footer {"type":"footer","counts":{...},"complete":...}. Every line goes out in one write(2)
// as soon as it is ready, so a crash loses at most a line being written; reading a file back
// (for --resume and `scan merge`) drops a truncated last line. Schema:
// docs/schema/scan.schema.json.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include "scan/shard.hpp"

namespace intransit::scan {

inline constexpr const char* kScanSchema = "intransit.scan/1";

// The footer's numbers: documents by verdict ("skipped" for excluded domains), input lines that
// were no domain name or audits that failed.
struct Tally {
  std::map<std::string, std::uint64_t> counts;
  std::uint64_t domains = 0;
  std::uint64_t errors = 0;
  void add(const std::string& verdict) {
    ++counts[verdict];
    ++domains;
  }
};

std::string utc_now();  // "2026-12-02T16:13:12Z"

nlohmann::json header_json(const nlohmann::json& options, const std::string& input_sha256,
                           const std::string& started, Shard shard);
nlohmann::json skipped_json(const std::string& domain, const std::string& reason);
nlohmann::json footer_json(const Tally& tally, double elapsed_seconds, const std::string& finished,
                           bool complete);

// What a file written before holds (for --resume and merge).
struct ScanFile {
  std::optional<nlohmann::json> header;
  std::optional<nlohmann::json> footer;    // the last line, when it is a footer
  std::unordered_set<std::uint64_t> done;  // fnv1a64 of every domain with a line
  Tally tally;
  std::uint64_t keep_bytes = 0;       // the file up to here stays: whole lines, footer excluded
  std::uint64_t truncated_bytes = 0;  // a last line cut short (a crash while writing)
};

// Reads `path` line by line; `each` (when given) sees every domain line, parsed and as
// read (the first time a domain appears). nullopt with `error`
// when a line in the middle is not JSON or the first is no scan header.
std::optional<ScanFile> read_scan_file(
    const std::string& path, std::string& error,
    const std::function<void(const nlohmann::json&, const std::string&)>& each = {});

// Appends lines to the output, each in one write(2), unbuffered.
class LineWriter {
 public:
  // "-" is standard output. `keep_bytes` >= 0: resume, cut the file there and append.
  bool open(const std::string& path, std::int64_t keep_bytes, std::string& error);
  ~LineWriter();
  bool write(const nlohmann::json& line);
  bool write_text(std::string line);  // one line as it is (no newline in it)
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  bool owned_ = false;
  std::string error_;
};

}  // namespace intransit::scan
