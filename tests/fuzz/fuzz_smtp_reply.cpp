// fuzz_smtp_reply.cpp — fuzz target for smtp::ReplyParser (src/smtp/reply.hpp).
// Properties, beyond "no crash": the parser never claims more bytes than it was given; every
// complete reply has a code 200..559 and stays inside its limits; and reading the stream in
// one piece or in small chunks (as TCP may deliver it) gives exactly the same replies.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "smtp/reply.hpp"

using intransit::smtp::Reply;
using intransit::smtp::ReplyError;
using intransit::smtp::ReplyLimits;
using intransit::smtp::ReplyParser;

namespace {

struct Outcome {
  ReplyParser::Status status;
  ReplyError error;
  int code;
  std::vector<std::string> lines;
  bool operator==(const Outcome&) const = default;
};

// Splits the stream into replies, feeding at most `chunk` bytes per call.
std::vector<Outcome> parse_all(std::string_view stream, std::size_t chunk,
                               const ReplyLimits& limits) {
  std::vector<Outcome> out;
  ReplyParser parser(limits);
  std::size_t pos = 0;
  while (pos < stream.size()) {
    const std::string_view piece = stream.substr(pos, chunk);
    const auto progress = parser.feed(piece);
    FUZZ_CHECK(progress.consumed <= piece.size());
    pos += progress.consumed;
    if (progress.status == ReplyParser::Status::need_more) {
      FUZZ_CHECK(progress.consumed == piece.size());
      continue;
    }
    const Reply& r = parser.reply();
    if (progress.status == ReplyParser::Status::complete) {
      FUZZ_CHECK(r.code >= 200 && r.code <= 559);
      FUZZ_CHECK(!r.lines.empty() && r.lines.size() <= limits.max_lines);
      FUZZ_CHECK(r.wire_bytes <= limits.max_reply_bytes);
      for (const auto& line : r.lines) FUZZ_CHECK(line.size() <= limits.max_line_bytes);
    } else {
      FUZZ_CHECK(parser.error() != ReplyError::none);
    }
    out.push_back({progress.status, parser.error(), r.code, r.lines});
    if (progress.status == ReplyParser::Status::error) return out;  // as the prober does
    parser.reset();
  }
  out.push_back({ReplyParser::Status::need_more, parser.error(), 0, {}});
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  // Small limits so that the fuzzer reaches every limit quickly.
  const ReplyLimits limits{.max_line_bytes = 64, .max_lines = 8, .max_reply_bytes = 256};
  const auto whole = parse_all(stream, stream.size() + 1, limits);
  FUZZ_CHECK(parse_all(stream, 1, limits) == whole);
  FUZZ_CHECK(parse_all(stream, 7, limits) == whole);
  // And with the production limits.
  (void)parse_all(stream, stream.size() + 1, ReplyLimits{});
  return 0;
}
