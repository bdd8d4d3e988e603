// merge.cpp — see merge.hpp.
#include "scan/merge.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>

#include "scan/scan_file.hpp"

namespace intransit::scan {
using nlohmann::json;

namespace {

std::optional<json> first_line(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  json doc = json::parse(line, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("schema", "") != kScanSchema ||
      doc.value("type", "") != "header") {
    error = path + " does not start with an intransit.scan/1 header";
    return std::nullopt;
  }
  return doc;
}

// The headers agree on input, options and shard count, and no shard comes twice.
bool same_scan(const std::vector<std::string>& files, const std::vector<json>& headers,
               std::string& error) {
  std::set<std::uint64_t> seen;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    for (const char* field : {"input_sha256", "options"}) {
      if (headers[i][field] != headers[0][field]) {
        error = files[i] + " and " + files[0] + " differ in " + field + ": not one scan";
        return false;
      }
    }
    if (headers[i]["shard"]["count"] != headers[0]["shard"]["count"]) {
      error = files[i] + " and " + files[0] + " split the input into different shard counts";
      return false;
    }
    if (!seen.insert(headers[i]["shard"]["index"].get<std::uint64_t>()).second) {
      error = files[i] + " is shard " + headers[i]["shard"]["index"].dump() + " again";
      return false;
    }
  }
  return true;
}

std::string missing_shards(const std::vector<json>& headers) {
  const auto count = headers[0]["shard"]["count"].get<std::uint64_t>();
  std::set<std::uint64_t> have;
  for (const auto& h : headers) have.insert(h["shard"]["index"].get<std::uint64_t>());
  std::string missing;
  for (std::uint64_t k = 0; k < count && missing.size() < 200; ++k) {
    if (have.count(k) == 0) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
  }
  return missing;
}

}  // namespace

MergeResult merge_shards(const std::vector<std::string>& files) {
  MergeResult result;
  std::vector<json> headers;
  for (const auto& f : files) {
    auto h = first_line(f, result.message);
    if (!h) return {MergeStatus::refused, result.message};
    headers.push_back(std::move(*h));
  }
  if (files.empty()) return {MergeStatus::refused, "no files to merge"};
  if (!same_scan(files, headers, result.message)) return {MergeStatus::refused, result.message};

  LineWriter out;
  std::string error;
  out.open("-", -1, error);
  json header = headers[0];
  std::string started = header["started"];
  for (const auto& h : headers) started = std::min<std::string>(started, h["started"]);
  header["started"] = started;
  header["shard"] = {{"index", 0}, {"count", 1}};
  header["merged_shards"] = headers[0]["shard"]["count"];
  out.write(header);

  std::unordered_set<std::uint64_t> written;
  Tally total;
  double elapsed = 0;
  std::string unfinished;
  for (const auto& f : files) {
    auto file = read_scan_file(f, error, [&](const json& doc, const std::string& raw) {
      if (written.insert(fnv1a64(doc.value("domain", ""))).second) out.write_text(raw);
    });
    if (!file) return {MergeStatus::refused, error};  // header already out: the caller says so
    for (const auto& [verdict, n] : file->tally.counts) total.counts[verdict] += n;
    total.domains += file->tally.domains;
    const bool done = file->footer && file->footer->value("complete", false);
    if (file->footer) {
      total.errors += file->footer->value("errors", 0ULL);
      elapsed = std::max(elapsed, file->footer->value("elapsed_seconds", 0.0));
    }
    if (!done) unfinished += (unfinished.empty() ? "" : ", ") + f;
  }
  const std::string missing = missing_shards(headers);
  const bool complete = missing.empty() && unfinished.empty();
  out.write(footer_json(total, elapsed, utc_now(), complete));
  if (complete) return result;
  result.status = MergeStatus::incomplete;
  if (!missing.empty()) result.message = "missing shard(s): " + missing;
  if (!unfinished.empty()) {
    result.message += std::string(result.message.empty() ? "" : "; ") +
                      "unfinished (no complete footer): " + unfinished;
  }
  return result;
}

}  // namespace intransit::scan
