// message.cpp — see message.hpp. GMime parses; this file only walks headers and the top-level
// MIME part. GMime objects are reference-counted GObjects: each is released where it is made.
#include "trace/message.hpp"

#include <fcntl.h>
#include <gmime/gmime.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <utility>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "trace/reader_internal.hpp"

namespace intransit::trace {

std::string_view to_string(E2e e2e) {
  switch (e2e) {
    case E2e::none: return "none";
    case E2e::smime_encrypted: return "smime-encrypted";
    case E2e::smime_signed: return "smime-signed";
    case E2e::pgp_encrypted: return "pgp-encrypted";
    case E2e::pgp_signed: return "pgp-signed";
    case E2e::pgp_inline_encrypted: return "pgp-inline-encrypted";
    case E2e::pgp_inline_signed: return "pgp-inline-signed";
  }
  return "?";
}

std::string_view to_string(PathVerdict verdict) {
  switch (verdict) {
    case PathVerdict::all_tls: return "all-tls";
    case PathVerdict::plaintext_hop: return "plaintext-hop";
    case PathVerdict::no_evidence: return "no-evidence";
  }
  return "?";
}

namespace {

// A host name as compared: lower case, without the root's trailing dot.
std::string host_key(std::string_view name) {
  return text::lower(text::strip_trailing_dot(name));
}

bool under(std::string_view host, std::string_view domain) {
  const std::string h = host_key(host);
  const std::string d = host_key(domain);
  return h == d || (h.size() > d.size() && h.compare(h.size() - d.size(), d.size(), d) == 0 &&
                    h[h.size() - d.size() - 1] == '.');
}

bool same_host(std::string_view a, std::string_view b) {
  return !a.empty() && host_key(a) == host_key(b);
}

int version_rank(const std::optional<std::string>& v) {
  if (!v) return 99;  // TLS of unstated version: not known to be weak
  if (*v == "SSLv3") return 0;
  return (*v)[6] - '0' + 1;  // TLSv1.0 → 1 ... TLSv1.3 → 4
}

// End-to-end protection from the top-level part's type (RFC 8551 §3.2, RFC 3156 §4-5, RFC 1847).
E2e classify(GMimeMessage* message) {
  GMimeObject* part = g_mime_message_get_mime_part(message);
  if (part == nullptr) return E2e::none;
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (type == nullptr) return E2e::none;
  const auto param = [&](const char* name) {
    const char* v = g_mime_content_type_get_parameter(type, name);
    return text::lower(v != nullptr ? v : "");
  };
  if (g_mime_content_type_is_type(type, "multipart", "encrypted")) return E2e::pgp_encrypted;
  if (g_mime_content_type_is_type(type, "application", "pkcs7-mime") ||
      g_mime_content_type_is_type(type, "application", "x-pkcs7-mime")) {
    return param("smime-type") == "signed-data" ? E2e::smime_signed : E2e::smime_encrypted;
  }
  if (g_mime_content_type_is_type(type, "multipart", "signed")) {
    const std::string protocol = param("protocol");
    if (protocol.find("pgp") != std::string::npos) return E2e::pgp_signed;
    if (protocol.find("pkcs7") != std::string::npos) return E2e::smime_signed;
    return E2e::none;
  }
  if (GMIME_IS_TEXT_PART(part)) {
    // Inline PGP armour (RFC 4880 §6.2) in the first kInlinePgpScanBytes of the body as transmitted
    // (base64 decoded): no charset conversion of whole bodies (that was a fifth of a mailbox's
    // time). Armour is ASCII and survives quoted-printable.
    GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(part));
    GMimeStream* raw = content != nullptr ? g_mime_data_wrapper_get_stream(content) : nullptr;
    if (raw == nullptr) return E2e::none;
    static thread_local std::vector<char> buffer(
        limits::kInlinePgpScanBytes);  // reused: no per-message clearing
    g_mime_stream_reset(raw);
    const gssize got = g_mime_stream_read(raw, buffer.data(), buffer.size());
    g_mime_stream_reset(raw);
    const bool base64 =
        g_mime_part_get_content_encoding(GMIME_PART(part)) == GMIME_CONTENT_ENCODING_BASE64;
    return inline_pgp(std::string_view(buffer.data(), got > 0 ? static_cast<std::size_t>(got) : 0),
                      base64);
  }
  return E2e::none;
}

MessageTrace trace_message(GMimeMessage* message, std::string source, const TrustOptions& trust) {
  MessageTrace t;
  t.source = std::move(source);
  const char* id = g_mime_message_get_message_id(message);
  t.message_id = id != nullptr ? text::printable(id) : "";
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  const int count = g_mime_header_list_get_count(headers);
  std::vector<Hop> top_down;
  for (int i = 0; i < count; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(h);
    if (name == nullptr) continue;
    if (g_ascii_strcasecmp(name, "From") == 0 && t.from.empty()) {
      const char* v = g_mime_header_get_value(h);
      t.from = v != nullptr ? text::printable(v) : "";
    }
    if (g_ascii_strcasecmp(name, "Received") != 0) continue;
    if (top_down.size() >= limits::kReceivedPerMessage) {
      ++t.received_dropped;
      continue;
    }
    const char* raw = g_mime_header_get_raw_value(h);
    top_down.push_back(parse_received(raw != nullptr ? raw : ""));
  }
  for (auto it = top_down.rbegin(); it != top_down.rend(); ++it)
    t.hops.push_back({std::move(*it), false});
  t.e2e = classify(message);
  judge(t, trust);
  return t;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// What GMime makes of one message's bounded copy. One result whatever happens: GMime, given a
// last part whose header is cut by the end of input, reports a further message that is not
// there (found by the differential fuzzer), so only the first is read.
MessageTrace parse_copy(std::string_view copy, bool from_line, const TrustOptions& trust) {
  ensure_gmime();  // every caller (trace, serve's pasted headers) gets an initialised GMime
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(copy.data(), copy.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, from_line ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
  MessageTrace t;
  if (message == nullptr) {
    t.error = "not a message GMime could parse";
  } else if (g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(message))) ==
             0) {
    t.error = kNoHeaderFields;
  } else {
    t = trace_message(message, "", trust);
  }
  if (message != nullptr) g_object_unref(message);
  g_object_unref(parser);
  g_object_unref(stream);
  return t;
}

}  // namespace

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

void trace_copy(const MessageCutter& cutter, bool from_line, const TrustOptions& trust,
                bool gmime_only, std::vector<MessageTrace>& out) {
  const std::string_view copy = cutter.copy();
  if (copy.empty()) return;
  if (!gmime_only && from_line && !cutter.cut().any()) {
    const HeaderScan scan = scan_headers(copy);
    if (scan.plain) {
      if (auto fast = trace_plain(scan, trust)) {
        out.push_back(std::move(*fast));
        return;
      }
    }
  }
  out.push_back(parse_copy(copy, from_line, trust));
  out.back().header_cut = cutter.cut();
}

void trace_slice(std::string_view message, MessageCutter& cutter, const TrustOptions& trust,
                 bool gmime_only, std::vector<MessageTrace>& out) {
  if (!gmime_only) {
    // A plain message is never cut (header_scan.cpp): its slices are read where they lie.
    const HeaderScan scan = scan_headers(message);
    if (scan.plain) {
      if (auto fast = trace_plain(scan, trust)) {
        out.push_back(std::move(*fast));
        return;
      }
    }
  }
  cutter.reset(true);
  cutter.feed(message);
  out.push_back(parse_copy(cutter.copy(), true, trust));
  out.back().header_cut = cutter.cut();
}

MessageTrace trace_bytes(std::string_view message, const TrustOptions& trust, std::string source) {
  MessageCutter cutter;
  cutter.reset(false);
  cutter.feed(message);
  std::vector<MessageTrace> out;
  trace_copy(cutter, false, trust, false, out);
  if (out.empty()) {
    out.emplace_back();
    out.back().error = std::string(kNoHeaderFields);
  }
  out.back().source = std::move(source);
  return std::move(out.back());
}

void judge(MessageTrace& t, const TrustOptions& trust) {
  // Trust boundary: from the top (the last hop, written by the final receiver) down, hops whose
  // `by` host is the user's own (--trusted-domain, --trusted-host). With neither, the top-most
  // hop is trusted, and so is each hop below an in-host handoff (a `local` hop: LMTP delivery,
  // a content filter's reinjection, a loopback relay) that names it: the handoff's `from` or
  // `by` is the lower hop's `by`. Those names were written by the user's own software, not
  // chosen by a sender. Trust never extends below a network hop by default: a sender controls
  // its HELO name and its address's PTR record, so names alone cannot show a hop is genuine.
  const bool by_options = !trust.domains.empty() || !trust.hosts.empty();
  bool trusting = true;
  for (std::size_t i = t.hops.size(); i-- > 0;) {
    auto& h = t.hops[i];
    bool own = false;
    if (by_options) {
      own = std::any_of(trust.domains.begin(), trust.domains.end(),
                        [&](const std::string& d) { return under(h.hop.by(), d); }) ||
            std::find(trust.hosts.begin(), trust.hosts.end(), h.hop.by()) != trust.hosts.end();
    } else if (i + 1 == t.hops.size()) {
      own = true;
    } else {
      const Hop& upper = t.hops[i + 1].hop;
      own = upper.verdict == HopVerdict::local && !h.hop.by().empty() &&
            (same_host(h.hop.by(), upper.from()) || same_host(h.hop.by(), upper.by()));
    }
    trusting = trusting && own;
    h.trusted = trusting;
  }
  bool any_tls = false;
  bool any_plain = false;
  t.weakest.reset();
  int weakest_rank = 100;
  for (std::size_t i = 0; i < t.hops.size(); ++i) {
    const auto& h = t.hops[i].hop;
    if (h.verdict == HopVerdict::plaintext) {
      if (!any_plain) t.weakest = i;
      any_plain = true;
    } else if (h.verdict == HopVerdict::tls) {
      any_tls = true;
      const int rank = version_rank(h.tls_version);
      if (!any_plain && rank < weakest_rank) {
        weakest_rank = rank;
        t.weakest = i;
      }
    }
  }
  t.verdict = any_plain ? PathVerdict::plaintext_hop
              : any_tls ? PathVerdict::all_tls
                        : PathVerdict::no_evidence;
}

Input::Input(Input&& other) noexcept {
  *this = std::move(other);
}

Input& Input::operator=(Input&& other) noexcept {
  if (this != &other) {
    if (fd >= 0) close(fd);
    path = std::move(other.path);
    kind = other.kind;
    fd = std::exchange(other.fd, -1);
    regular = other.regular;
    head = std::move(other.head);
    device = other.device;
    inode = other.inode;
    size = other.size;
    mtime_ns = other.mtime_ns;
  }
  return *this;
}

Input::~Input() {
  if (fd >= 0) close(fd);
}

namespace {

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// Reads up to `n` bytes from the current position; fewer only at the end or on an error, which
// `error` then names.
std::size_t read_some(int fd, char* buf, std::size_t n, std::string& error) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = read(fd, buf + done, n - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) error = std::strerror(errno);
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

std::size_t pread_some(int fd, char* buf, std::size_t n, std::size_t offset, std::string& error) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = pread(fd, buf + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) error = std::strerror(errno);
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

}  // namespace

std::optional<Input> open_input(const std::string& path, std::string& error) {
  Input in;
  in.path = path;
  if (path != "-" && is_dir(path)) {
    if (!is_dir(path + "/cur") && !is_dir(path + "/new")) {
      error = path + " is a directory but not a Maildir (no cur/ or new/)";
      return std::nullopt;
    }
    in.kind = InputKind::maildir;
    return in;
  }
  in.fd = path == "-" ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
                      : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in.fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  if (fstat(in.fd, &st) != 0) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  in.regular = S_ISREG(st.st_mode);
  // The first five bytes tell an mbox. A regular file is read again from its start; any other
  // input only once, so they are kept and read again from `head`.
  char first[5] = {};
  std::string read_error;
  const std::size_t got = in.regular ? pread_some(in.fd, first, sizeof first, 0, read_error)
                                     : read_some(in.fd, first, sizeof first, read_error);
  if (!read_error.empty()) {
    error = "cannot read " + path + ": " + read_error;
    return std::nullopt;
  }
  if (!in.regular) in.head.assign(first, got);
  in.kind = std::string_view(first, got) == "From " ? InputKind::mbox : InputKind::message;
  in.device = st.st_dev;
  in.inode = st.st_ino;
  in.size = static_cast<std::uint64_t>(st.st_size);
  in.mtime_ns = mtime_ns(st);
  return in;
}

namespace {

using Sink = std::function<void(MessageTrace&&)>;

// Whether a regular file changed while it was read (RELIABILITY.md item 53): it shrank (a read
// came up short), grew, was written to, or its path now names another file (a mail server that
// compacts a mailbox writes a new one and renames it over the old). Empty when it did not.
std::string file_change(const Input& in, bool shrank) {
  struct stat now {};
  if (shrank || (fstat(in.fd, &now) == 0 && static_cast<std::uint64_t>(now.st_size) < in.size))
    return "it shrank";
  if (static_cast<std::uint64_t>(now.st_size) > in.size) return "it grew";
  if (mtime_ns(now) != in.mtime_ns) return "it was written to";
  struct stat named {};
  if (in.path == "-") return {};  // standard input has no path that could name another file
  if (stat(in.path.c_str(), &named) != 0 || named.st_dev != in.device || named.st_ino != in.inode) {
    return "its path now names another file";
  }
  return {};
}

// One message from a stream read from its start, only as far as trace needs it (a pipe, a
// device, a message file): /dev/zero ends at the header block's cap.
void read_one(const std::function<std::size_t(char*, std::size_t)>& read, std::string_view head,
              const std::string& source, const TrustOptions& trust, bool gmime_only,
              const Sink& sink) {
  MessageCutter cutter;
  cutter.reset(false);
  bool more = cutter.feed(head);
  std::vector<char> buffer(64 * 1024);
  while (more) {
    const std::size_t got = read(buffer.data(), buffer.size());
    if (got == 0) break;
    more = cutter.feed(std::string_view(buffer.data(), got));
  }
  std::vector<MessageTrace> out;
  trace_copy(cutter, false, trust, gmime_only, out);
  for (auto& t : out) {
    t.source = source;
    sink(std::move(t));
  }
}

// An mbox from a stream read once from its start (standard input, a pipe), one message at a time.
void read_mbox_stream(const std::function<std::size_t(char*, std::size_t)>& read,
                      std::string_view head, const std::string& path, const TrustOptions& trust,
                      bool reference, const Sink& sink) {
  MboxSplitter splitter(read, head);
  MessageCutter cutter;
  std::size_t n = 0;
  std::vector<MessageTrace> out;
  while (splitter.next(cutter)) {
    out.clear();
    trace_copy(cutter, true, trust, reference, out);
    for (auto& t : out) {
      t.source = path + "#" + std::to_string(++n);
      sink(std::move(t));
    }
  }
}

// The folders of a Maildir: itself, then its Maildir++ folders (".Sent", ".Archive.2024": a
// directory whose name starts with a dot and that has cur/ or new/), by name.
std::vector<std::string> maildir_folders(const std::string& path, ReadOutcome& outcome) {
  std::vector<std::string> folders{path};
  std::error_code ec;
  std::vector<std::string> subfolders;
  for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string folder = it->path().string();
    if (name.size() > 1 && name[0] == '.' && name != ".." &&
        (is_dir(folder + "/cur") || is_dir(folder + "/new"))) {
      subfolders.push_back(folder);
    }
  }
  if (ec) outcome.problems.push_back("cannot list " + path + ": " + ec.message());
  std::sort(subfolders.begin(), subfolders.end());
  folders.insert(folders.end(), subfolders.begin(), subfolders.end());
  return folders;
}

// Every message file of a Maildir and its folders, cur/ before new/, by name (Maildir names start
// with the delivery time). A directory that cannot be listed is a problem of the read, never
// silently nothing (RELIABILITY.md item 54).
void read_maildir(const std::string& path, const TrustOptions& trust, bool gmime_only,
                  const Sink& sink, ReadOutcome& outcome) {
  for (const auto& folder : maildir_folders(path, outcome)) {
    std::vector<std::string> files;
    for (const char* sub : {"/cur", "/new"}) {
      const std::string dir = folder + sub;
      if (!is_dir(dir)) continue;
      std::error_code ec;
      for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
           it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec)) files.push_back(it->path().string());
      }
      if (ec) outcome.problems.push_back("cannot list " + dir + ": " + ec.message());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        MessageTrace t;
        t.source = file;
        t.error = std::string("cannot open: ") + std::strerror(errno);
        sink(std::move(t));
        continue;
      }
      std::string error;
      std::size_t offset = 0;
      read_one(
          [&](char* buf, std::size_t n) {
            const std::size_t got = pread_some(fd, buf, n, offset, error);
            offset += got;
            return got;
          },
          {}, file, trust, gmime_only, sink);
      close(fd);
      if (!error.empty()) outcome.problems.push_back("cannot read " + file + ": " + error);
    }
  }
}

}  // namespace

ReadOutcome read_messages(Input& input, const TrustOptions& trust, const Sink& sink,
                          const ReadOptions& options) {
  return read_messages(
      input, trust, Render{}, [&](MessageTrace&& t, std::string&&) { sink(std::move(t)); },
      options);
}

ReadOutcome read_messages(Input& in, const TrustOptions& trust, const Render& render,
                          const RenderedSink& rendered_sink, const ReadOptions& options) {
  ensure_gmime();
  ReadOutcome outcome;
  // Outside the threaded mbox reader, rendering happens right here, one message at a time.
  const Sink sink = [&](MessageTrace&& t) {
    std::string text = render ? render(t) : std::string{};
    rendered_sink(std::move(t), std::move(text));
  };
  if (in.kind == InputKind::maildir) {
    read_maildir(in.path, trust, options.gmime_only, sink, outcome);
    return outcome;
  }
  if (in.kind == InputKind::mbox && in.regular) {
    const bool shrank =
        read_mbox_file(in.fd, in.size, in.path, trust, render, rendered_sink, options);
    outcome.changed = file_change(in, shrank);
    return outcome;
  }
  // Read once from the start: a regular file by offset, anything else from where `head` left off.
  std::string error;
  std::size_t offset = 0;
  const auto read = [&](char* buf, std::size_t n) -> std::size_t {
    if (!in.regular) return read_some(in.fd, buf, n, error);
    const std::size_t got = pread_some(in.fd, buf, n, offset, error);
    offset += got;
    return got;
  };
  if (in.kind == InputKind::mbox) {
    read_mbox_stream(read, in.head, in.path, trust, options.gmime_only, sink);
  } else {
    read_one(read, in.head, in.path, trust, options.gmime_only, sink);
  }
  if (!error.empty()) outcome.problems.push_back("cannot read " + in.path + ": " + error);
  return outcome;
}

}  // namespace intransit::trace
