// reader_internal.hpp — inside `trace`, not its API: the pieces message.cpp (GMime),
// plain_message.cpp (the fast path) and mailbox_reader.cpp (mapped mboxes on every core) share.
#pragma once

#include <gmime/gmime.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "trace/header_scan.hpp"
#include "trace/message.hpp"

namespace intransit::trace {

void ensure_gmime();

// What a stream given to GMime holds.
enum class StreamHolds : std::uint8_t {
  message,       // one message without a From_ line (a file, a Maildir entry, standard input)
  mbox_message,  // one mbox message with its From_ line: read_mapped_mbox cut it at the next one
  mailbox,       // a whole mailbox (one that cannot be mapped): "SOURCE#N", N from 1
};

// GMime over one stream. A malformed message is reported with `error` set; one GMime cannot get
// past ends the stream. A stream that holds one message yields exactly one trace: GMime, given
// a last part whose header is cut by the end of input, reports a further message that is not
// there (found by the differential fuzzer).
void parse_stream(GMimeStream* stream, StreamHolds holds, const std::string& source, const TrustOptions& trust,
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
