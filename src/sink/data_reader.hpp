// data_reader.hpp — the sink's DATA phase as a pure reader (RFC 5321 §4.1.1.4, §4.5.2): bytes
// in, until <CRLF>.<CRLF> and nothing else ends the data — a bare LF or CR never does (SMTP
// smuggling, RELIABILITY.md item 41); such line ends are noted. Dot-stuffing is undone; the size
// is counted as received; the header block is kept up to a bound. A line that never ends is not
// buffered without bound: beyond `max_partial` bytes only its last four are kept (what could
// still be "\r\n.\r").
#pragma once

#include <cstddef>
#include <string>

namespace intransit::sink {

class DataReader {
 public:
  DataReader(std::size_t max_headers, std::size_t max_partial)
      : max_headers_(max_headers), max_partial_(max_partial) {}

  // Takes the complete lines out of `pending`; true once the end of the data has been read
  // (what follows it stays in `pending`, pipelined commands).
  bool consume(std::string& pending);

  bool ended() const { return ended_; }
  std::size_t size() const { return size_; }  // message bytes, CRLF counted per line, unstuffed
  bool bare_line_ends() const { return bare_line_ends_; }
  std::string& headers() { return headers_; }  // header lines, each ended by LF

 private:
  void line(std::string_view raw);

  std::size_t max_headers_;
  std::size_t max_partial_;
  std::size_t size_ = 0;
  bool in_headers_ = true;
  bool previous_crlf_ = true;  // the DATA command's own CRLF
  bool ended_ = false;
  bool bare_line_ends_ = false;
  std::string headers_;
};

}  // namespace intransit::sink
