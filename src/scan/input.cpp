// input.cpp — see input.hpp.
#include "scan/input.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "check/audit.hpp"

namespace intransit::scan {
namespace {

// A line longer than this is no domain (253 octets) nor a sane CSV row: the rest of it is read
// and dropped, and the line counted as invalid (RELIABILITY.md: hostile input bounded).
constexpr std::size_t kMaxLineBytes = 64 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Field `column` (1-based) of a CSV row; double quotes group commas and are removed.
std::string csv_field(std::string_view line, unsigned column) {
  std::string field;
  unsigned at = 1;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      if (at == column) return field;
      ++at;
      field.clear();
    } else {
      field += c;
    }
  }
  return at == column ? field : std::string();
}

// A top-level label of digits only is an IPv4 address or a typo, never a domain to mail.
bool numeric_tld(std::string_view d) {
  const auto dot = d.rfind('.');
  const auto tld = dot == std::string_view::npos ? d : d.substr(dot + 1);
  return std::all_of(tld.begin(), tld.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hex(const unsigned char* bytes, unsigned n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

LineResult parse_line(std::string_view line, unsigned column) {
  LineResult r;
  if (const auto hash = line.find('#'); hash != std::string_view::npos) {
    line = line.substr(0, hash);
  }
  std::string field = column == 0 ? std::string(trim(line)) : csv_field(line, column);
  const std::string_view name = trim(field);
  if (name.empty()) return r;
  const auto domain = check::normalise_domain(name);
  // A name without a dot (a CSV header's "domain", a stray word) or with an all-digit top label
  // (an IPv4 address) is not a mail domain to scan.
  if (!domain || domain->find('.') == std::string::npos || numeric_tld(*domain)) {
    r.kind = LineResult::Kind::invalid;
    r.text = std::string(name.substr(0, 100));
    return r;
  }
  r.kind = LineResult::Kind::domain;
  r.domain = *domain;
  return r;
}

InputReader::InputReader(std::FILE* file, bool owned, unsigned column, Shard shard)
    : file_(file), owned_(owned), column_(column), shard_(shard) {}

InputReader::~InputReader() {
  if (owned_) std::fclose(file_);
}

bool InputReader::read_line(std::string& line) {
  line.clear();
  int c = 0;
  bool any = false;
  bool too_long = false;
  while ((c = getc_unlocked(file_)) != EOF) {
    any = true;
    if (c == '\n') break;
    if (line.size() < kMaxLineBytes) {
      line += static_cast<char>(c);
    } else {
      too_long = true;
    }
  }
  if (too_long) line = "\x01";  // never a domain: counted as invalid
  return any;
}

std::unique_ptr<InputReader> InputReader::open(const std::string& path, unsigned column,
                                               Shard shard, std::string& error) {
  std::FILE* file = path == "-" ? std::tmpfile() : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    error = "cannot read " + (path == "-" ? std::string("a temporary file") : path) + ": " +
            std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<InputReader> reader(new InputReader(file, true, column, shard));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
  char buffer[1 << 16];
  if (path == "-") {  // spool the pipe, hashing it on the way
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
      EVP_DigestUpdate(sha.get(), buffer, n);
      if (std::fwrite(buffer, 1, n, file) != n) {
        error = "cannot spool standard input to a temporary file: " + std::string(strerror(errno));
        return nullptr;
      }
    }
  } else {
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
      EVP_DigestUpdate(sha.get(), buffer, n);
    }
  }
  if (std::ferror(path == "-" ? stdin : file) != 0) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_DigestFinal_ex(sha.get(), digest, &length);
  reader->stats_.sha256 = hex(digest, length);
  std::rewind(file);
  std::string line;
  while (reader->read_line(line)) {
    const auto r = parse_line(line, column);
    if (r.kind == LineResult::Kind::domain && in_shard(r.domain, shard)) ++reader->stats_.in_shard;
  }
  std::rewind(file);
  return reader;
}

std::optional<std::string> InputReader::next() {
  std::string line;
  while (read_line(line)) {
    auto r = parse_line(line, column_);
    if (r.kind == LineResult::Kind::invalid) {  // counted by one shard only
      if (in_shard(r.text, shard_) && invalid_++ == 0) first_invalid_ = r.text;
      continue;
    }
    if (r.kind != LineResult::Kind::domain || !in_shard(r.domain, shard_)) continue;
    if (!seen_.insert(fnv1a64(r.domain)).second) {
      ++duplicates_;
      continue;
    }
    return std::move(r.domain);
  }
  return std::nullopt;
}

}  // namespace intransit::scan
