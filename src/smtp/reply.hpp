// reply.hpp — incremental, bounded parser for SMTP server replies (RFC 5321 §4.2, §4.5.3.1.5).
// Pure: bytes in, replies out, no I/O. It consumes exactly one reply per call sequence and stops
// at its end, so bytes that follow stay with the caller: that is how the prober notices a server
// that talks out of turn (pipelining without permission) or injects plaintext after the 220 to
// STARTTLS (CVE-2011-0411, RELIABILITY.md items 12 and 13).
// Hostile input handled here: RELIABILITY.md items 6 (endless multi-line reply), 7 (line with no
// end), 9 (NUL and 8-bit bytes are kept with explicit lengths), 10 (bare LF), 11 (malformed or
// inconsistent codes). Limits come from core/limits.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.hpp"

namespace intransit::smtp {

struct ReplyLimits {
  std::size_t max_line_bytes = limits::kReplyLineBytes;
  std::size_t max_lines = limits::kReplyLines;
  std::size_t max_reply_bytes = limits::kReplyBytes;
};

// Why a reply could not be parsed. Each maps to one probe outcome.
enum class ReplyError : std::uint8_t {
  none,
  line_too_long,   // a line grew past max_line_bytes without its line end
  too_many_lines,  // a multi-line reply went on past max_lines
  too_large,       // the reply went on past max_reply_bytes
  malformed_code,  // a line does not start with a reply code 2yz..5yz then SP, "-" or its end
};

std::string_view to_string(ReplyError error);

struct Reply {
  // The final line's code: RFC 5321 §4.2.1 makes the last line authoritative, as Postfix does.
  int code = 0;
  // Text of each line after "NNN " / "NNN-", raw bytes (may hold NUL or invalid UTF-8).
  std::vector<std::string> lines;
  // The lines did not all carry the same code (a protocol violation, RFC 5321 §4.2.1).
  bool inconsistent_codes = false;
  // Some line ended in a bare LF instead of CRLF (accepted, but worth reporting).
  bool bare_lf = false;
  // Bytes the reply took on the wire, line ends included.
  std::size_t wire_bytes = 0;

  int code_class() const { return code / 100; }
};

class ReplyParser {
 public:
  enum class Status : std::uint8_t { need_more, complete, error };
  struct Progress {
    Status status;
    std::size_t consumed;  // bytes of the input that belong to this reply
  };

  explicit ReplyParser(ReplyLimits limits = {}) : limits_(limits) {}

  // Consumes bytes up to and including the end of one reply. Call again with more input while
  // the status is need_more. After complete, reply() holds it; after error, error() says why.
  // Both states stay until reset().
  Progress feed(std::string_view input);

  const Reply& reply() const { return reply_; }
  ReplyError error() const { return error_; }
  // Bytes of the line being read when the reply ended in an error (for the transcript).
  std::string_view partial_line() const { return line_; }
  // Some of the reply has arrived but not its end (tells a drip from silence).
  bool has_partial() const { return !line_.empty() || !reply_.lines.empty(); }

  // Ready for the next reply; keeps the limits.
  void reset();

 private:
  // Handles one complete line (without its line end); returns false on error.
  bool finish_line(bool bare_lf);
  Status fail(ReplyError error);

  ReplyLimits limits_;
  Reply reply_;
  std::string line_;
  ReplyError error_ = ReplyError::none;
  Status state_ = Status::need_more;
};

}  // namespace intransit::smtp
