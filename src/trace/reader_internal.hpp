// reader_internal.hpp — inside `trace`, not its API: the pieces message.cpp (GMime, inputs),
// plain_message.cpp (the fast path) and mailbox_reader.cpp (mbox files on every core) share.
#pragma once

#include <gmime/gmime.h>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trace/header_scan.hpp"
#include "trace/message.hpp"
#include "trace/message_cut.hpp"

namespace intransit::trace {

void ensure_gmime();

// Inline PGP armour (RFC 4880 §6.2) in the first kInlinePgpScanBytes of a body as transmitted,
// base64-decoded first when the part's Content-Transfer-Encoding is base64.
E2e inline_pgp(std::string_view body, bool base64);

// A message header_scan found plain, traced from its slices with no GMime message object; nullopt
// when its type needs GMime after all (parameters decide: multipart/signed, S/MIME). Source unset.
std::optional<MessageTrace> trace_plain(const HeaderScan& scan, const TrustOptions& trust);

// One message's bounded copy to its trace (source unset): the fast path when nothing was cut, the
// copy starts with a From_ line (`from_line`) and its header block is plain; GMime otherwise.
// Nothing for an empty copy (an empty input).
void trace_copy(const MessageCutter& cutter, bool from_line, const TrustOptions& trust,
                bool gmime_only, std::vector<MessageTrace>& out);

// One mbox message (From_ line included) as it lies in a buffer: the fast path straight from the
// buffer when it is plain, else its bounded copy through GMime (made in `cutter`). The same
// result as trace_copy on the same bytes.
void trace_slice(std::string_view message, MessageCutter& cutter, const TrustOptions& trust,
                 bool gmime_only, std::vector<MessageTrace>& out);

// An mbox in a regular file of `size` bytes on every core, in mailbox order, memory bounded
// (mailbox_reader.cpp); `render` (when set) runs on the reader threads. True when the file
// turned out shorter than `size` while it was read.
bool read_mbox_file(int fd, std::size_t size, const std::string& path, const TrustOptions& trust,
                    const Render& render, const RenderedSink& sink, const ReadOptions& options);

}  // namespace intransit::trace
