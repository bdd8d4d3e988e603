// message.hpp — a received message's transport path: its Received fields in transit order
// (bottom-most first, RFC 5321 §4.4: each hop prepends its own), each read by received.hpp,
// plus the message verdict of DESIGN.md §3 (every hop with evidence used TLS or not, the
// weakest hop, the trust boundary) and end-to-end protection of the content: S/MIME (RFC 8551
// application/pkcs7-mime, multipart/signed with pkcs7-signature), PGP/MIME (RFC 3156
// multipart/encrypted, multipart/signed with pgp-signature) and inline PGP armour.
// Messages are read with GMime 3: single files, mbox (From_-line scanning) and Maildir.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trace/received.hpp"

namespace intransit::trace {

enum class E2e : std::uint8_t { none, smime_encrypted, smime_signed, pgp_encrypted, pgp_signed, pgp_inline_encrypted,
                               pgp_inline_signed };
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
  std::string source;       // "FILE", "MBOX#N" (1-based), "MAILDIR/cur/NAME"
  std::string message_id;
  std::string from;         // the From header, sanitised
  std::vector<TracedHop> hops;  // transit order
  std::size_t received_dropped = 0;  // Received fields over the per-message cap
  PathVerdict verdict = PathVerdict::no_evidence;
  std::optional<std::size_t> weakest;  // index into hops: the first plaintext hop, else the oldest TLS version
  E2e e2e = E2e::none;
  std::string error;        // why the message could not be read (it is still reported)
};

struct TrustOptions {
  std::vector<std::string> domains;  // --trusted-domain: hosts under these are the user's own
  std::vector<std::string> hosts;    // --trusted-host
};

// Marks trusted hops and computes verdict and weakest hop from the parsed hops.
void judge(MessageTrace& trace, const TrustOptions& trust);

enum class InputKind : std::uint8_t { message, mbox, maildir };
// "-" is a message on standard input; a directory with cur/ or new/ is a Maildir; a file whose
// first line starts "From " is an mbox; anything else one message. nullopt with `error` when the
// path cannot be read.
std::optional<InputKind> detect_input(const std::string& path, std::string& error);

// Reads every message of `path` and hands each to `sink` as soon as it is traced, so memory does
// not grow with the mailbox. A malformed message is reported (error set) and skipped over.
// Returns false with `error` when the input itself cannot be opened.
bool read_messages(const std::string& path, InputKind kind, const TrustOptions& trust,
                   const std::function<void(MessageTrace&&)>& sink, std::string& error);

// Work per message that needs nothing but the message (formatting it for output, which costs
// more than tracing it): a mailbox's reader threads run it in any order once the message's
// source is set, and its result reaches the sink with the message, in mailbox order.
using Render = std::function<std::string(const MessageTrace&)>;
using RenderedSink = std::function<void(MessageTrace&&, std::string&&)>;
bool read_messages(const std::string& path, InputKind kind, const TrustOptions& trust, const Render& render,
                   const RenderedSink& sink, std::string& error);

}  // namespace intransit::trace
