// scan_file.cpp — see scan_file.hpp.
#include "scan/scan_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "intransit_version.hpp"
#include "report/json_text.hpp"

namespace intransit::scan {
using nlohmann::json;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

json header_json(const json& options, const std::string& input_sha256, const std::string& started,
                 Shard shard) {
  return {{"schema", kScanSchema},
          {"type", "header"},
          {"tool_version", kVersion},
          {"options", options},
          {"input_sha256", input_sha256},
          {"started", started},
          {"shard", {{"index", shard.index}, {"count", shard.count}}}};
}

json skipped_json(const std::string& domain, const std::string& reason) {
  return {{"schema", kScanSchema}, {"type", "skipped"}, {"domain", domain}, {"reason", reason}};
}

json footer_json(const Tally& tally, double elapsed_seconds, const std::string& finished,
                 bool complete) {
  json counts = json::object();
  for (const auto& [verdict, n] : tally.counts) counts[verdict] = n;
  return {{"schema", kScanSchema},  {"type", "footer"},
          {"counts", counts},       {"domains", tally.domains},
          {"errors", tally.errors}, {"elapsed_seconds", elapsed_seconds},
          {"finished", finished},   {"complete", complete}};
}

namespace {

// One parsed line into `file`; false (with `error`) when it does not belong in a scan file.
bool take_line(const json& doc, const std::string& raw, ScanFile& file, std::string& error,
               const std::function<void(const json&, const std::string&)>& each) {
  const std::string schema = doc.value("schema", "");
  const std::string type = doc.value("type", "");
  if (!file.header) {
    if (schema != kScanSchema || type != "header") {
      error = "the first line is not an intransit.scan/1 header";
      return false;
    }
    file.header = doc;
    return true;
  }
  file.footer.reset();
  if (schema == kScanSchema && type == "footer") {
    file.footer = doc;
    return true;
  }
  const std::string domain = doc.value("domain", "");
  if (domain.empty() || (schema != kScanSchema && schema != "intransit.check/1")) {
    error = "a line is neither a domain's result nor a footer";
    return false;
  }
  if (!file.done.insert(fnv1a64(domain)).second) return true;  // counted once
  file.tally.add(schema == kScanSchema ? std::string("skipped") : doc.value("verdict", "?"));
  if (each) each(doc, raw);
  return true;
}

}  // namespace

std::optional<ScanFile> read_scan_file(
    const std::string& path, std::string& error,
    const std::function<void(const json&, const std::string&)>& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  ScanFile file;
  std::string line;
  std::uint64_t offset = 0;
  std::uint64_t footer_at = 0;
  while (std::getline(in, line)) {
    const bool whole = !in.eof();  // a last line without its newline was cut short
    if (!whole) {
      file.truncated_bytes = line.size();
      break;
    }
    json doc = json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      if (in.peek() == EOF) {  // the last line, garbled by a crash: dropped
        file.truncated_bytes = line.size() + 1;
        break;
      }
      error = path + ": byte " + std::to_string(offset) + " is not a JSON line";
      return std::nullopt;
    }
    if (!take_line(doc, line, file, error, each)) {
      error = path + ": " + error;
      return std::nullopt;
    }
    if (file.footer) footer_at = offset;
    offset += line.size() + 1;
  }
  if (!file.header) {
    error = path + ": no intransit.scan/1 header";
    return std::nullopt;
  }
  file.keep_bytes = file.footer ? footer_at : offset;
  return file;
}

bool LineWriter::open(const std::string& path, std::int64_t keep_bytes, std::string& error) {
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    return true;
  }
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (keep_bytes < 0 ? O_TRUNC : 0);
  fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  owned_ = true;
  if (keep_bytes >= 0 && (::ftruncate(fd_, keep_bytes) != 0 || ::lseek(fd_, 0, SEEK_END) < 0)) {
    error = "cannot resume " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

LineWriter::~LineWriter() {
  if (owned_) ::close(fd_);
}

bool LineWriter::write(const json& line) {
  return write_text(report::json_text(line));
}

bool LineWriter::write_text(std::string text) {
  text += '\n';
  std::size_t at = 0;
  while (at < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + at, text.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = std::string("cannot write the output: ") + std::strerror(errno);
      return false;
    }
    at += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace intransit::scan
