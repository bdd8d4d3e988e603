// message.cpp — see message.hpp. GMime parses; this file only walks headers and the top-level
// MIME part. GMime objects are reference-counted GObjects: each is released where it is made.
#include "trace/message.hpp"

#include <fcntl.h>
#include <gmime/gmime.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <cstring>
#include <mutex>

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
std::string host_key(std::string_view name) { return text::lower(text::strip_trailing_dot(name)); }

bool under(std::string_view host, std::string_view domain) {
  const std::string h = host_key(host);
  const std::string d = host_key(domain);
  return h == d || (h.size() > d.size() && h.compare(h.size() - d.size(), d.size(), d) == 0 && h[h.size() - d.size() - 1] == '.');
}

bool same_host(std::string_view a, std::string_view b) { return !a.empty() && host_key(a) == host_key(b); }

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
    static thread_local std::vector<char> buffer(limits::kInlinePgpScanBytes);  // reused: no per-message clearing
    g_mime_stream_reset(raw);
    const gssize got = g_mime_stream_read(raw, buffer.data(), buffer.size());
    g_mime_stream_reset(raw);
    const bool base64 = g_mime_part_get_content_encoding(GMIME_PART(part)) == GMIME_CONTENT_ENCODING_BASE64;
    return inline_pgp(std::string_view(buffer.data(), got > 0 ? static_cast<std::size_t>(got) : 0), base64);
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
  for (auto it = top_down.rbegin(); it != top_down.rend(); ++it) t.hops.push_back({std::move(*it), false});
  t.e2e = classify(message);
  judge(t, trust);
  return t;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

void parse_stream(GMimeStream* stream, StreamHolds holds, const std::string& source, const TrustOptions& trust,
                  const std::function<void(MessageTrace&&)>& sink) {
  const bool mailbox = holds == StreamHolds::mailbox;
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, holds == StreamHolds::message ? GMIME_FORMAT_MESSAGE : GMIME_FORMAT_MBOX);
  std::size_t n = 0;
  while (!g_mime_parser_eos(parser)) {
    const gint64 before = g_mime_parser_tell(parser);
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    ++n;
    const std::string where = mailbox ? source + "#" + std::to_string(n) : source;
    if (message == nullptr) {
      MessageTrace t;
      t.source = where;
      t.error = "not a message GMime could parse";
      // A parser that failed without moving would fail the same way forever (found by the
      // fuzzer: a From_ line followed by bytes that are no header).
      const bool stuck = g_mime_parser_tell(parser) <= before;
      sink(std::move(t));
      if (!mailbox || stuck) break;
      continue;
    }
    sink(trace_message(message, where, trust));
    g_object_unref(message);
    if (!mailbox) break;
  }
  g_object_unref(parser);
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
      own = std::any_of(trust.domains.begin(), trust.domains.end(), [&](const std::string& d) { return under(h.hop.by(), d); }) ||
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
  t.verdict = any_plain ? PathVerdict::plaintext_hop : any_tls ? PathVerdict::all_tls : PathVerdict::no_evidence;
}

std::optional<InputKind> detect_input(const std::string& path, std::string& error) {
  if (path == "-") return InputKind::message;
  if (is_dir(path)) {
    if (is_dir(path + "/cur") || is_dir(path + "/new")) return InputKind::maildir;
    error = path + " is a directory but not a Maildir (no cur/ or new/)";
    return std::nullopt;
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  char head[5] = {};
  const ssize_t got = read(fd, head, sizeof head);
  close(fd);
  return got == 5 && std::string_view(head, 5) == "From " ? InputKind::mbox : InputKind::message;
}

bool read_messages(const std::string& path, InputKind kind, const TrustOptions& trust,
                   const std::function<void(MessageTrace&&)>& sink, std::string& error) {
  return read_messages(path, kind, trust, Render{}, [&](MessageTrace&& t, std::string&&) { sink(std::move(t)); }, error);
}

bool read_messages(const std::string& path, InputKind kind, const TrustOptions& trust, const Render& render,
                   const RenderedSink& rendered_sink, std::string& error) {
  ensure_gmime();
  // Outside the threaded mbox reader, rendering happens right here, one message at a time.
  const auto sink = [&](MessageTrace&& t) {
    std::string text = render ? render(t) : std::string{};
    rendered_sink(std::move(t), std::move(text));
  };
  if (kind == InputKind::maildir) {
    std::vector<std::string> files;
    for (const char* sub : {"/cur", "/new"}) {
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(path + sub, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());  // Maildir names start with the delivery time
    for (const auto& file : files) {
      const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        MessageTrace t;
        t.source = file;
        t.error = std::string("cannot open: ") + std::strerror(errno);
        sink(std::move(t));
        continue;
      }
      GMimeStream* stream = g_mime_stream_fs_new(fd);  // owns fd
      parse_stream(stream, StreamHolds::message, file, trust, sink);
      g_object_unref(stream);
    }
    return true;
  }
  const int fd = path == "-" ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  // Standard input may be a pipe, which an fs stream cannot seek in. A file is mapped: GMime's
  // substreams then read by copying instead of a seek and a read(2) each (a third of the time).
  GMimeStream* stream = nullptr;
  if (path == "-") {
    stream = g_mime_stream_pipe_new(fd);
  } else {
    stream = g_mime_stream_mmap_new(fd, PROT_READ, MAP_PRIVATE);
    if (stream == nullptr) stream = g_mime_stream_fs_new(fd);  // empty or unmappable file
  }
  if (kind == InputKind::mbox && GMIME_IS_STREAM_MMAP(stream)) {
    read_mapped_mbox(GMIME_STREAM_MMAP(stream), path, trust, render, rendered_sink);
  } else {
    parse_stream(stream, kind == InputKind::mbox ? StreamHolds::mailbox : StreamHolds::message, path, trust, sink);
  }
  g_object_unref(stream);
  return true;
}

}  // namespace intransit::trace
