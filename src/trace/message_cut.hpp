// message_cut.hpp — the bounded copy of one message that `trace` reads, and an mbox split into
// such copies from any stream of bytes (a pipe, a file read with pread(2)), RELIABILITY.md items
// 37, 53 and 54. A message is read only as far as trace needs it: its header block (RFC 5322
// §2.2, §3.5), each line of it kept up to limits::kHeaderLineBytes and the block read up to
// limits::kHeaderBlockBytes, and the start of its body (inline PGP armour, RFC 4880 §6.2). What
// was cut is counted, never silently dropped. Memory is a few hundred KiB whatever the message:
// a 200 MB Received line, /dev/zero or an endless pipe cost no more than a plain message.
// Mbox framing as GMime splits: a message starts at a line beginning "From " (RFC 4155).
// Pure (no GMime), fuzzed through tests/fuzz/fuzz_trace_message.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace intransit::trace {

// What the cap on a header took away from one message (all zero for nearly every message).
struct HeaderCut {
  std::size_t long_lines = 0;       // header lines over kHeaderLineBytes, kept up to it
  std::size_t long_line_bytes = 0;  // the bytes of those lines not kept
  bool block_cut = false;           // the header block ran over kHeaderBlockBytes: the rest of
                                    // the message (its header from there, its body) was not read
  [[nodiscard]] bool any() const { return long_lines > 0 || block_cut; }
  bool operator==(const HeaderCut&) const = default;
};

// Builds the bounded copy of one message from its bytes, fed in pieces of any size.
class MessageCutter {
 public:
  // `from_line`: the message starts with an mbox From_ line, kept (capped) ahead of the header.
  void reset(bool from_line);
  // Takes the message's next bytes; false once it needs no more (header block over and the body's
  // start kept, or the header block cut): a reader of a single message stops reading there.
  bool feed(std::string_view bytes);
  [[nodiscard]] std::string_view copy() const { return copy_; }
  [[nodiscard]] const HeaderCut& cut() const { return cut_; }
  [[nodiscard]] std::size_t bytes_fed() const { return fed_; }

 private:
  enum class State : std::uint8_t { from_line, header, body, done };
  std::size_t take_line_piece(std::string_view bytes);
  void end_line();

  State state_ = State::header;
  std::string copy_;
  HeaderCut cut_;
  std::size_t fed_ = 0;
  std::size_t header_read_ = 0;  // bytes of the From_ line and header block read so far
  std::size_t line_read_ = 0;    // bytes of the current line read so far (its line end excluded)
  std::size_t line_start_ = 0;   // where the current line starts in copy_
  bool line_long_ = false;       // the current line is over the cap
  std::size_t body_kept_ = 0;
};

// Reads messages one after another from a stream of bytes holding an mbox: each message's bytes
// (From_ line included) go to a MessageCutter, and whatever of it the cutter does not need is
// read past without being kept. `read` fills up to n bytes, returns how many, 0 at the end.
class MboxSplitter {
 public:
  using Read = std::function<std::size_t(char*, std::size_t)>;
  // `prefix`: bytes already read from the stream (the ones looked at to tell an mbox).
  MboxSplitter(Read read, std::string_view prefix);
  // The next message into `cutter` (reset here); false at the end of the stream.
  bool next(MessageCutter& cutter);
  // Bytes of the stream taken by the messages returned so far.
  [[nodiscard]] std::size_t consumed() const { return consumed_; }

 private:
  bool refill();

  Read read_;
  std::unique_ptr<char[]> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  bool after_newline_ = true;  // the byte before buffer_[begin_] ends a line (or there is none)
  std::size_t consumed_ = 0;
};

// The first byte at or after `from` in `bytes` that starts an mbox message ('From ' after a line
// end; `after_newline`: the byte before bytes[0] ended a line). Returns bytes.size() when none,
// and sets `undecided` to the first place where "From " may start but is cut by the end of
// `bytes` (bytes.size() if there is none).
std::size_t find_mbox_start(std::string_view bytes, std::size_t from, bool after_newline,
                            std::size_t& undecided);

}  // namespace intransit::trace
