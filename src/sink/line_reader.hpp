// line_reader.hpp — the one bounded line reader of the SMTP socket readers (the sink's session,
// the strip-proxy's relay, the tests' hostile server): bytes in, lines out, each ended by LF with
// an optional CR before it (RFC 5321 §2.3.8 CRLF; a bare LF is accepted and told apart). A line
// longer than its limit is reported as too long, never buffered without bound: it is either
// skipped to its end (the sink answers 500 and goes on, RELIABILITY.md item 38) or ends the reading
// (the strip-proxy closes). Pure; read_line.hpp feeds it from a stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace intransit::sink {

enum class LineStatus : std::uint8_t {
  line,      // a complete line is in `line`
  too_long,  // a line over the limit (skip: it has ended and was dropped; stop: reading is over)
  more,      // no complete line yet: append more bytes
  closed,    // (read_line.hpp) the stream ended or failed
};

enum class OverLong : std::uint8_t {
  skip,  // drop the over-long line up to its LF, report it then, and go on
  stop,  // report it as soon as the limit is passed; every later call reports it again
};

class LineReader {
 public:
  // `max_line`: bytes of one line without its line end.
  LineReader(std::size_t max_line, OverLong over_long)
      : max_line_(max_line), over_long_(over_long) {}

  void append(std::string_view bytes);
  // The next line, without its LF and the one CR before it; last_crlf() says whether it had one.
  LineStatus next(std::string& line);
  bool last_crlf() const { return last_crlf_; }

  // The bytes held that are not yet a line (the sink reads DATA from here, and checks it for
  // plaintext pipelined behind STARTTLS, RFC 3207 §4.2); clear() drops them.
  std::string& pending() { return buffer_; }
  void clear() { buffer_.clear(); }
  std::size_t max_line() const { return max_line_; }

 private:
  std::string buffer_;
  std::size_t max_line_;
  OverLong over_long_;
  bool skipping_ = false;
  bool stopped_ = false;
  bool last_crlf_ = false;
};

}  // namespace intransit::sink
