// fuzz_mail_lines.cpp — fuzz target for smtp::LineResponseParser (src/smtp/mail_lines.hpp), the
// IMAP/POP3 response reader. Properties, beyond "no crash": it never claims more bytes than it
// was given; a complete response stays inside its limits; and reading the stream in one piece or
// in small chunks gives the same responses, for each of the three shapes. The capability and
// status helpers run on every line read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "smtp/mail_lines.hpp"

using intransit::smtp::LineResponseParser;
using intransit::smtp::ReplyError;
using intransit::smtp::ReplyLimits;

namespace {

struct Outcome {
  LineResponseParser::Status status;
  ReplyError error;
  std::vector<std::string> lines;
  bool operator==(const Outcome&) const = default;
};

std::vector<Outcome> parse_all(std::string_view stream, std::size_t chunk,
                               LineResponseParser::Shape shape, const ReplyLimits& limits) {
  std::vector<Outcome> out;
  LineResponseParser parser(limits);
  parser.reset(shape, "a1");
  std::size_t pos = 0;
  while (pos < stream.size()) {
    const std::string_view piece = stream.substr(pos, chunk);
    const auto progress = parser.feed(piece);
    FUZZ_CHECK(progress.consumed <= piece.size());
    pos += progress.consumed;
    if (progress.status == LineResponseParser::Status::need_more) {
      FUZZ_CHECK(progress.consumed == piece.size());
      continue;
    }
    if (progress.status == LineResponseParser::Status::complete) {
      FUZZ_CHECK(parser.lines().size() <= limits.max_lines);
      for (const auto& line : parser.lines()) {
        FUZZ_CHECK(line.size() <= limits.max_line_bytes);
        (void)intransit::smtp::imap_status(line, "a1");
      }
    } else {
      FUZZ_CHECK(parser.error() != ReplyError::none);
    }
    out.push_back({progress.status, parser.error(), parser.lines()});
    if (progress.status == LineResponseParser::Status::error) return out;
    parser.reset(shape, "a1");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const ReplyLimits limits{.max_line_bytes = 64, .max_lines = 8, .max_reply_bytes = 256};
  for (const auto shape :
       {LineResponseParser::Shape::single, LineResponseParser::Shape::until_tagged,
        LineResponseParser::Shape::pop3_multiline}) {
    const auto whole = parse_all(stream, stream.size() + 1, shape, limits);
    FUZZ_CHECK(parse_all(stream, 1, shape, limits) == whole);
    FUZZ_CHECK(parse_all(stream, 7, shape, limits) == whole);
    (void)parse_all(stream, stream.size() + 1, shape, ReplyLimits{});
  }
  return 0;
}
