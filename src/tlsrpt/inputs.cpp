// inputs.cpp — see inputs.hpp. A regular file is sniffed by its first bytes: gzip magic or a
// JSON object (after an optional UTF-8 BOM and white space) is a report file, "From " an mbox,
// anything else one message. Mailboxes are read by GMime's parser from the file itself (parts stay
// in the file, not in memory), and a part's content is decoded through a filter stream and read
// only up to the cap.
#include "tlsrpt/inputs.hpp"

#include <fcntl.h>
#include <gmime/gmime.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "core/limits.hpp"
#include "core/text.hpp"

namespace intransit::tlsrpt {
namespace {

namespace fs = std::filesystem;

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string errno_text(const std::string& path) {
  return path + ": " + std::strerror(errno);
}

// Up to `cap` + 1 bytes of `fd` from its start (one byte more than allowed tells "too large").
std::string read_capped(int fd, std::size_t cap, bool& failed) {
  std::string out;
  char buf[64 * 1024];
  failed = false;
  while (out.size() <= cap) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = true;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// How a part's media type says it holds a report: exactly (RFC 8460 §5.3), under a generic type
// with a report's file name (named in a note), or not at all.
enum class PartKind : std::uint8_t { none, exact, generic };

PartKind part_kind(GMimeObject* part, std::string& filename) {
  GMimeContentType* ct = g_mime_object_get_content_type(part);
  if (ct == nullptr) return PartKind::none;
  const std::string type = text::lower(
      g_mime_content_type_get_media_type(ct) ? g_mime_content_type_get_media_type(ct) : "");
  const std::string sub = text::lower(
      g_mime_content_type_get_media_subtype(ct) ? g_mime_content_type_get_media_subtype(ct) : "");
  const char* name = GMIME_IS_PART(part) ? g_mime_part_get_filename(GMIME_PART(part)) : nullptr;
  filename = name != nullptr ? name : "";
  if (type == "application" && (sub == "tlsrpt+gzip" || sub == "tlsrpt+json"))
    return PartKind::exact;
  const std::string lname = text::lower(filename);
  const bool report_name = lname.find('!') != std::string::npos &&
                           (lname.ends_with(".json.gz") || lname.ends_with(".json"));
  if (type == "application" && report_name &&
      (sub == "gzip" || sub == "x-gzip" || sub == "json" || sub == "octet-stream"))
    return PartKind::generic;
  return PartKind::none;
}

// The decoded content of `part`, up to the cap; `error` when larger or unreadable.
std::string part_bytes(GMimePart* part, std::string& error) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) {
    error = "the part has no content";
    return {};
  }
  GMimeStream* raw = g_mime_data_wrapper_get_stream(content);
  g_mime_stream_reset(raw);
  GMimeStream* filtered = g_mime_stream_filter_new(raw);
  const GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(content);
  if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      enc == GMIME_CONTENT_ENCODING_UUENCODE) {
    GMimeFilter* decoder = g_mime_filter_basic_new(enc, FALSE);
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), decoder);
    g_object_unref(decoder);
  }
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = g_mime_stream_read(filtered, buf, sizeof buf);
    if (n < 0) error = "the part could not be read";
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > limits::tlsrpt::kCompressedBytes) {
      error = "the part is larger than " + std::to_string(limits::tlsrpt::kCompressedBytes >> 20U) +
              " MiB";
      break;
    }
  }
  g_object_unref(filtered);
  if (!error.empty()) out.clear();
  return out;
}

struct PartScan {
  const std::string* source;
  const CandidateSink* sink;
  std::size_t index = 0, found = 0;
};

void on_part(GMimeObject* /*parent*/, GMimeObject* part, gpointer data) {
  auto& scan = *static_cast<PartScan*>(data);
  ++scan.index;
  if (!GMIME_IS_PART(part)) return;
  std::string filename;
  const PartKind kind = part_kind(part, filename);
  if (kind == PartKind::none) return;
  ++scan.found;
  Candidate c;
  c.source = *scan.source + " part " + std::to_string(scan.index);
  if (!filename.empty()) c.source += " (" + filename.substr(0, 200) + ")";
  if (kind == PartKind::generic) {
    char* mime = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(part));
    c.notes.push_back(
        {"generic-media-type", "a report attached as " + std::string(mime != nullptr ? mime : "") +
                                   ", not application/tlsrpt+gzip or +json (RFC 8460 §5.3)"});
    g_free(mime);
  }
  c.bytes = part_bytes(GMIME_PART(part), c.error);
  (*scan.sink)(std::move(c));
}

// Every report part of `message`; counts the message.
void scan_message(GMimeMessage* message, const std::string& source, const CandidateSink& sink,
                  InputStats& stats) {
  ++stats.messages;
  PartScan scan{&source, &sink};
  g_mime_message_foreach(message, on_part, &scan);
  if (scan.found == 0) ++stats.messages_without;
}

// A message or an mbox in the file open at `fd` (GMime takes the descriptor).
void read_mail(int fd, const std::string& path, bool mbox, const CandidateSink& sink,
               InputStats& stats) {
  ensure_gmime();
  GMimeStream* stream = g_mime_stream_fs_new(fd);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_object_unref(stream);
  g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  std::size_t n = 0;
  while (!g_mime_parser_eos(parser)) {
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    if (message == nullptr) break;
    ++n;
    scan_message(message, mbox ? path + "#" + std::to_string(n) : path, sink, stats);
    g_object_unref(message);
    if (!mbox) break;
  }
  g_object_unref(parser);
  if (n == 0) stats.problems.push_back(path + ": no message could be read from it");
}

// The first bytes of a report file: a JSON object (or array, to say why it is none), after a BOM
// and white space.
bool looks_like_json(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  const auto first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (head[first] == '{' || head[first] == '[');
}

void read_file(const std::string& path, const CandidateSink& sink, InputStats& stats) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    stats.problems.push_back(errno_text(path));
    return;
  }
  ++stats.files;
  char head[64];
  const ssize_t n = pread(fd, head, sizeof head, 0);
  const std::string_view h(head, n > 0 ? static_cast<std::size_t>(n) : 0);
  if (n < 0) {
    stats.problems.push_back(errno_text(path));
    close(fd);
    return;
  }
  if (h.size() >= 2 && static_cast<unsigned char>(h[0]) == 0x1f &&
      static_cast<unsigned char>(h[1]) == 0x8b) {
    // gzip: a report file (decoded later)
  } else if (!looks_like_json(h)) {
    read_mail(fd, path, h.starts_with("From "), sink, stats);  // GMime owns fd now
    return;
  }
  Candidate c;
  c.source = path;
  bool failed = false;
  c.bytes = read_capped(fd, limits::tlsrpt::kCompressedBytes, failed);
  close(fd);
  if (failed) {
    c.error = errno_text(path);
    c.bytes.clear();
  } else if (c.bytes.size() > limits::tlsrpt::kCompressedBytes) {
    c.error =
        "larger than " + std::to_string(limits::tlsrpt::kCompressedBytes >> 20U) + " MiB: refused";
    c.bytes.clear();
  }
  sink(std::move(c));
}

std::vector<fs::path> sorted_entries(const fs::path& dir, std::string& error) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (out.size() == limits::tlsrpt::kFilesPerInput) break;
    out.push_back(it->path());
  }
  if (ec) error = dir.string() + ": " + ec.message();
  std::sort(out.begin(), out.end());
  return out;
}

void read_path(const fs::path& path, int depth, const CandidateSink& sink, InputStats& stats);

void read_directory(const fs::path& dir, int depth, const CandidateSink& sink, InputStats& stats) {
  std::error_code ec;
  const bool maildir = fs::is_directory(dir / "cur", ec) || fs::is_directory(dir / "new", ec);
  std::string error;
  if (maildir) {
    for (const char* sub : {"new", "cur"}) {
      if (!fs::is_directory(dir / sub, ec)) continue;
      for (const auto& entry : sorted_entries(dir / sub, error)) {
        if (!fs::is_regular_file(entry, ec)) continue;
        const int fd = open(entry.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
          stats.problems.push_back(errno_text(entry.string()));
          continue;
        }
        ++stats.files;
        read_mail(fd, entry.string(), false, sink, stats);
      }
    }
  } else if (depth >= limits::tlsrpt::kDirectoryDepth) {
    stats.problems.push_back(dir.string() + ": deeper than " +
                             std::to_string(limits::tlsrpt::kDirectoryDepth) +
                             " directory levels: not read");
    return;
  } else {
    for (const auto& entry : sorted_entries(dir, error)) {
      if (entry.filename().string().starts_with(".")) continue;
      read_path(entry, depth + 1, sink, stats);
    }
  }
  if (!error.empty()) stats.problems.push_back(error);
}

void read_path(const fs::path& path, int depth, const CandidateSink& sink, InputStats& stats) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    stats.problems.push_back(errno_text(path.string()));
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    read_directory(path, depth, sink, stats);
  } else if (S_ISREG(st.st_mode)) {
    read_file(path.string(), sink, stats);
  } else {
    stats.problems.push_back(path.string() + ": not a regular file or directory: not read");
  }
}

}  // namespace

void read_input(const std::string& path, const CandidateSink& sink, InputStats& stats) {
  read_path(fs::path(path), 0, sink, stats);
}

}  // namespace intransit::tlsrpt
