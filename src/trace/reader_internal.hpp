// reader_internal.hpp — inside `trace`, not its API: the pieces message.cpp (GMime),
// plain_message.cpp (the fast path) and mailbox_reader.cpp (mapped mboxes on every core) share.
#pragma once

#include <gmime/gmime.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "trace/header_scan.hpp"
#include "trace/message.hpp"

namespace intransit::trace {

void ensure_gmime();

// GMime over one stream: a single message, or with `mbox` the messages of a stream that starts
// at a From_ line (read_mapped_mbox hands over one message at a time; an unmappable mailbox
// comes whole). "SOURCE#N", N from 1 in this stream. A malformed message is reported with
// `error` set; one GMime cannot get past ends the stream.
void parse_stream(GMimeStream* stream, bool mbox, const std::string& source, const TrustOptions& trust,
                  const std::function<void(MessageTrace&&)>& sink);

// Inline PGP armour (RFC 4880 §6.2) in the first kInlinePgpScanBytes of a body as transmitted,
// base64-decoded first when the part's Content-Transfer-Encoding is base64.
E2e inline_pgp(std::string_view body, bool base64);

// A message header_scan found plain, traced from its slices with no GMime message object; nullopt
// when its type needs GMime after all (parameters decide: multipart/signed, S/MIME). Source unset.
std::optional<MessageTrace> trace_plain(const HeaderScan& scan, const TrustOptions& trust);

// A mapped mbox on every core, in mailbox order, memory bounded (mailbox_reader.cpp); `render`
// (when set) runs on the reader threads.
void read_mapped_mbox(GMimeStreamMmap* mapped, const std::string& path, const TrustOptions& trust,
                      const Render& render, const RenderedSink& sink);

}  // namespace intransit::trace
