// log_source.cpp — see log_source.hpp. zlib's gzread reads gzip members and, transparently,
// uncompressed files; `read_input` reads a plain regular file with read(2) instead (one copy
// less), through the same splitters.
#include "logs/log_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "logs/journal_export.hpp"
#include "logs/line_splitter.hpp"

namespace intransit::logs {

namespace {

constexpr std::size_t kChunk = 1024 * 1024;

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzPtr = std::unique_ptr<gzFile_s, GzCloser>;

// Opens `path` ("-" for standard input) for gzread. nullptr with `error`.
GzPtr open_input(const std::string& path, std::string& error) {
  int fd = path == "-" ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    error = path + ": is a directory";
    return nullptr;
  }
  gzFile f = gzdopen(fd, "rb");
  if (f == nullptr) {
    close(fd);
    error = path + ": cannot read";
    return nullptr;
  }
  gzbuffer(f, 256 * 1024);
  return GzPtr(f);
}

std::string_view json_string(const nlohmann::json& j, const char* key, std::string& scratch) {
  const auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get_ref<const std::string&>();
  if (it->is_array()) {
    // journald writes a field that is not valid UTF-8 as an array of byte values.
    scratch.clear();
    for (const auto& b : *it) {
      if (b.is_number_unsigned() && b.get<unsigned>() < 256)
        scratch.push_back(static_cast<char>(b.get<unsigned>()));
    }
    return scratch;
  }
  return {};
}

// Feeds one line to the parser: journald JSON when it looks like an object, text otherwise.
void feed_any(std::string_view line, LogParser& parser, const EmitDelivery& emit) {
  if (!line.empty() && line.front() == '{') {
    if (!feed_journal_json(line, parser, emit)) parser.note_unparsed(line);
    return;
  }
  parser.feed_line(line, emit);
}

template <typename Splitter>
bool pump(gzFile f, Splitter& splitter, const std::string& path, std::string& error) {
  std::string buf(kChunk, '\0');
  for (;;) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int code = 0;
      const char* msg = gzerror(f, &code);
      error = path + ": " + (code == Z_ERRNO ? std::strerror(errno) : msg);
      splitter.finish();
      return false;
    }
    if (n == 0) break;
    splitter.push(buf.data(), static_cast<std::size_t>(n));
  }
  // A gzip file cut short reads as far as it goes; zlib reports the truncation.
  int code = 0;
  const char* msg = gzerror(f, &code);
  splitter.finish();
  if (code != Z_OK && code != Z_BUF_ERROR) {
    error = path + ": " + msg;
    return false;
  }
  if (code == Z_BUF_ERROR) {
    error = path + ": compressed data ends early (truncated .gz)";
    return false;
  }
  return true;
}

// First timestamp found in the first 64 KiB of `path`; nullopt when none.
std::optional<std::int64_t> first_time(const std::string& path, const TimeContext& ctx) {
  std::string error;
  auto f = open_input(path, error);
  if (!f) return std::nullopt;
  std::string buf(64 * 1024, '\0');
  const int n = gzread(f.get(), buf.data(), static_cast<unsigned>(buf.size()));
  if (n <= 0) return std::nullopt;
  std::string_view data(buf.data(), static_cast<std::size_t>(n));
  while (!data.empty()) {
    const auto nl = data.find('\n');
    const auto line = data.substr(0, nl);
    if (looks_like_exim_mainlog(line)) {
      if (auto t = parse_rfc3339(std::string(line.substr(0, 19)))) return t->epoch;
    } else if (const auto s = parse_syslog(line, ctx)) {
      return s->time.epoch;
    }
    if (nl == std::string_view::npos) break;
    data.remove_prefix(nl + 1);
  }
  return std::nullopt;
}

}  // namespace

bool feed_journal_json(std::string_view raw, LogParser& parser, const EmitDelivery& emit) {
  const auto j = nlohmann::json::parse(raw, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  std::string s1, s2, s3, s4, s5;
  const auto pid_field = json_string(j, "SYSLOG_PID", s3);
  feed_journal_entry(json_string(j, "MESSAGE", s1), json_string(j, "SYSLOG_IDENTIFIER", s2),
                     pid_field.empty() ? json_string(j, "_PID", s3) : pid_field,
                     json_string(j, "_HOSTNAME", s4), json_string(j, "__REALTIME_TIMESTAMP", s5),
                     parser, emit);
  return true;
}

void feed_journal_entry(std::string_view message, std::string_view program, std::string_view pid,
                        std::string_view host, std::string_view realtime_usec, LogParser& parser,
                        const EmitDelivery& emit) {
  LogTime time;
  std::int64_t usec = 0;
  bool digits = !realtime_usec.empty() && realtime_usec.size() < 19;
  for (const char c : realtime_usec) {
    if (c < '0' || c > '9') digits = false;
    if (digits) usec = usec * 10 + (c - '0');
  }
  if (digits) {
    time.epoch = usec / 1000000;
    time.micros = static_cast<std::int32_t>(usec % 1000000);
    time.known = true;
  }
  parser.feed_record(time, host, program, pid, message, message, emit);
}

bool prescan_tls_logged(const std::vector<std::string>& paths) {
  static constexpr std::string_view kNeedles[] = {
      " TLS connection established to ", " TLS connection reused to ", "STARTTLS=client, relay="};
  std::string buf(kChunk + 64, '\0');
  for (const auto& path : paths) {
    if (path == "-") continue;
    std::string error;
    auto f = open_input(path, error);
    if (!f) continue;
    std::size_t total = 0, keep = 0;
    while (total < limits::kTlsPrescanBytes) {
      const int n = gzread(f.get(), buf.data() + keep, static_cast<unsigned>(kChunk));
      if (n <= 0) break;
      total += static_cast<std::size_t>(n);
      const std::string_view data(buf.data(), keep + static_cast<std::size_t>(n));
      for (const auto needle : kNeedles) {
        if (data.find(needle) != std::string_view::npos) return true;
      }
      // Keep the tail so a needle across two chunks is found.
      keep = std::min<std::size_t>(data.size(), 64);
      std::memmove(buf.data(), data.data() + data.size() - keep, keep);
    }
  }
  return false;
}

std::vector<std::string> order_inputs(const std::vector<std::string>& paths,
                                      const TimeContext& ctx) {
  struct Item {
    std::string path;
    std::optional<std::int64_t> time;
  };
  std::vector<Item> items;
  for (const auto& p : paths) items.push_back({p, p == "-" ? std::nullopt : first_time(p, ctx)});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.time.has_value() != b.time.has_value()) return a.time.has_value();
    return a.time && *a.time < *b.time;
  });
  std::vector<std::string> out;
  for (auto& i : items) out.push_back(std::move(i.path));
  return out;
}

namespace {

// A regular file that does not start with the gzip magic (1f 8b) is read with read(2): zlib's
// transparent mode copies every byte of a plain log once more (6 % of `outbound`'s CPU).
int open_plain_file(const std::string& path) {
  if (path == "-") return -1;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st {};
  unsigned char magic[2] = {0, 0};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b))
    return fd;
  close(fd);
  return -1;  // gzip, a pipe, a directory or unreadable: zlib's path says what it is
}

// read(2) until `buf` is full or the end; -1 on an error.
long read_full(int fd, char* buf, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = read(fd, buf + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return static_cast<long>(got);
}

template <typename Splitter>
bool pump_fd(int fd, Splitter& splitter, const std::string& path, std::string& error) {
  std::string buf(kChunk, '\0');
  for (;;) {
    const ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = path + ": " + std::strerror(errno);
      splitter.finish();
      return false;
    }
    if (n == 0) break;
    splitter.push(buf.data(), static_cast<std::size_t>(n));
  }
  splitter.finish();
  return true;
}

// The first bytes say which form this is: `journalctl -o export` entries, or lines (syslog
// text, Exim's main log, `journalctl -o json`). `pump` reads the rest into the splitter.
template <typename Pump>
bool split_input(std::string_view head, LogParser& parser, const EmitDelivery& emit, Pump&& pump) {
  if (looks_like_journal_export(head)) {
    JournalExportReader reader(
        [&](const JournalEntry& e) {
          feed_journal_entry(e.message, e.identifier, e.pid, e.host, e.realtime, parser, emit);
        },
        [&] { parser.note_cut_line(); });
    reader.push(head.data(), head.size());
    return pump(reader);
  }
  LineSplitter splitter([&](std::string_view line) { feed_any(line, parser, emit); },
                        [&] { parser.note_cut_line(); });
  splitter.push(head.data(), head.size());
  return pump(splitter);
}

}  // namespace

bool read_input(const std::string& path, LogParser& parser, const EmitDelivery& emit,
                std::string& error) {
  std::string head(4096, '\0');
  if (const int fd = open_plain_file(path); fd >= 0) {
    const long n = read_full(fd, head.data(), head.size());
    if (n < 0) {
      error = path + ": " + std::strerror(errno);
      close(fd);
      return false;
    }
    head.resize(static_cast<std::size_t>(n));
    const bool ok =
        split_input(head, parser, emit, [&](auto& s) { return pump_fd(fd, s, path, error); });
    close(fd);
    return ok;
  }
  auto f = open_input(path, error);
  if (!f) return false;
  const int n = gzread(f.get(), head.data(), static_cast<unsigned>(head.size()));
  head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return split_input(head, parser, emit, [&](auto& s) { return pump(f.get(), s, path, error); });
}

bool follow_input(const std::string& path, LogParser& parser, const EmitDelivery& emit,
                  const volatile std::sig_atomic_t& stop, const std::function<void()>& idle,
                  std::string& error) {
  LineSplitter splitter([&](std::string_view line) { feed_any(line, parser, emit); },
                        [&] { parser.note_cut_line(); });
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::string buf(kChunk, '\0');
  off_t offset = 0;
  struct stat current {};
  fstat(fd, &current);
  while (stop == 0) {
    const ssize_t n = read(fd, buf.data(), buf.size());
    if (n > 0) {
      offset += n;
      splitter.push(buf.data(), static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // At the end: has the file been replaced (rotation) or truncated?
    struct stat now {};
    if (stat(path.c_str(), &now) == 0) {
      if (now.st_ino != current.st_ino || now.st_dev != current.st_dev) {
        const int fresh = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fresh >= 0) {
          // The old file is read to its end: the MTA may have written to it after our last read.
          ssize_t rest = 0;
          while ((rest = read(fd, buf.data(), buf.size())) > 0 || (rest < 0 && errno == EINTR)) {
            if (rest > 0) splitter.push(buf.data(), static_cast<std::size_t>(rest));
          }
          splitter.finish();
          close(fd);
          fd = fresh;
          fstat(fd, &current);
          offset = 0;
          continue;
        }
      } else if (now.st_size < offset) {
        splitter.reset();
        lseek(fd, 0, SEEK_SET);
        offset = 0;
        continue;
      }
    }
    if (idle) idle();
    const timespec pause{0, 200 * 1000 * 1000};
    nanosleep(&pause, nullptr);  // a signal ends the pause early
  }
  splitter.finish();
  close(fd);
  return true;
}

}  // namespace intransit::logs
