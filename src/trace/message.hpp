// message.hpp — a received message's transport path: its Received fields in transit order
// (bottom-most first, RFC 5321 §4.4: each hop prepends its own), each read by received.hpp,
// plus the message verdict of DESIGN.md §3 (every hop with evidence used TLS or not, the
// weakest hop, the trust boundary) and end-to-end protection of the content: S/MIME (RFC 8551
// application/pkcs7-mime, multipart/signed with pkcs7-signature), PGP/MIME (RFC 3156
// multipart/encrypted, multipart/signed with pgp-signature) and inline PGP armour.
// Messages are read with GMime 3: single files, mbox (From_-line scanning) and Maildir with its
// Maildir++ folders (".Sent/").
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trace/message_cut.hpp"
#include "trace/received.hpp"

namespace intransit::trace {

enum class E2e : std::uint8_t {
  none,
  smime_encrypted,
  smime_signed,
  pgp_encrypted,
  pgp_signed,
  pgp_inline_encrypted,
  pgp_inline_signed
};
std::string_view to_string(E2e e2e);

struct TracedHop {
  Hop hop;
  bool trusted = false;  // written by the user's own servers (see TrustOptions)
};

enum class PathVerdict : std::uint8_t {
  all_tls,        // every hop with evidence used TLS (local hops aside), at least one did
  plaintext_hop,  // at least one hop with evidence was plaintext
  no_evidence,    // no hop says either way
};
std::string_view to_string(PathVerdict verdict);

struct MessageTrace {
  std::string source;  // "FILE", "MBOX#N" (1-based), "MAILDIR/cur/NAME"
  std::string message_id;
  std::string from;                  // the From header, sanitised
  std::vector<TracedHop> hops;       // transit order
  std::size_t received_dropped = 0;  // Received fields over the per-message cap
  HeaderCut header_cut;              // what the header caps took away (message_cut.hpp)
  PathVerdict verdict = PathVerdict::no_evidence;
  std::optional<std::size_t>
      weakest;  // index into hops: the first plaintext hop, else the oldest TLS version
  E2e e2e = E2e::none;
  std::string error;  // why the message could not be read (it is still reported)
};

struct TrustOptions {
  std::vector<std::string> domains;  // --trusted-domain: hosts under these are the user's own
  std::vector<std::string> hosts;    // --trusted-host
};

// Marks trusted hops and computes verdict and weakest hop from the parsed hops.
void judge(MessageTrace& trace, const TrustOptions& trust);

enum class InputKind : std::uint8_t { message, mbox, maildir };

// An input opened once (RELIABILITY.md item 54): "-" is a message or mbox on standard input; a
// directory with cur/ or new/ is a Maildir; anything else whose first five bytes are "From " an
// mbox, else one message. The bytes looked at to tell are kept, so a pipe (`<(zcat box.gz)`,
// /dev/stdin) loses none of them. A regular file is read with pread(2), never mapped: a file
// that shrinks while it is read cannot fault (item 53).
class Input {
 public:
  Input() = default;
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  Input(Input&& other) noexcept;
  Input& operator=(Input&& other) noexcept;
  ~Input();

  std::string path;
  InputKind kind = InputKind::message;
  int fd = -1;           // -1 for a Maildir
  bool regular = false;  // a regular file: read with pread(2), an mbox on every core
  std::string head;      // bytes already read from an input that is not a regular file
  // A regular file as opened, to tell afterwards whether it changed while it was read.
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = 0;
};

// nullopt with `error` when the path cannot be opened or read, or is a directory but no Maildir.
std::optional<Input> open_input(const std::string& path, std::string& error);

// How a read went, besides its messages (each of which is reported, unreadable ones included).
struct ReadOutcome {
  std::string changed;  // not empty: the file changed while it was read, and how
  std::vector<std::string>
      problems;  // parts that could not be read: a Maildir directory, a read error
};

// How messages are read, for the tests and the fuzzer (the results are the same either way): the
// caller decides, the library reads no environment. `intransit trace` takes them from the
// variables INTRANSIT_TRACE_GMIME_ONLY and INTRANSIT_TRACE_CHUNK_BYTES.
struct ReadOptions {
  // Every message through GMime, on one thread: the reference the differential tests compare
  // the fast path with.
  bool gmime_only = false;
  // Mailbox ranges of this many bytes instead of limits::kMailboxRangeBytes (0: the default):
  // tiny ranges make tests and the fuzzer cross every boundary case of mailbox_reader.cpp.
  std::size_t chunk_bytes = 0;
};

// Reads every message of `input` and hands each to `sink` as soon as it is traced, so memory does
// not grow with the mailbox. Each message is read only as far as trace needs (message_cut.hpp).
ReadOutcome read_messages(Input& input, const TrustOptions& trust,
                          const std::function<void(MessageTrace&&)>& sink,
                          const ReadOptions& options = {});

// Work per message that needs nothing but the message (formatting it for output, which costs
// more than tracing it): a mailbox's reader threads run it in any order once the message's
// source is set, and its result reaches the sink with the message, in mailbox order.
using Render = std::function<std::string(const MessageTrace&)>;
using RenderedSink = std::function<void(MessageTrace&&, std::string&&)>;
ReadOutcome read_messages(Input& input, const TrustOptions& trust, const Render& render,
                          const RenderedSink& sink, const ReadOptions& options = {});

// One message held in memory (pasted headers, a request body) traced as a file holding the same
// bytes would be: bounded the same way (message_cut.hpp), source set to `source`.
MessageTrace trace_bytes(std::string_view message, const TrustOptions& trust, std::string source);

// The error of a message with no header field at all: garbage, or an empty header block.
inline constexpr std::string_view kNoHeaderFields = "no header fields: not a message";

}  // namespace intransit::trace
