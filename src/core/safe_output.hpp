// safe_output.hpp — the one output boundary for text (RELIABILITY.md items 9 and 51): a stream
// buffer put in front of stdout and stderr by main(), so every byte any report or message writes
// reaches the terminal or file as valid UTF-8 with no control character but its own layout (line
// feed, tab) and, on a terminal, its own colour codes (text::terminal_text). Emitters cannot forget
// it: they write to std::cout/std::cerr as usual.
#pragma once

#include <streambuf>
#include <string>

namespace intransit::text {

class SafeOutputBuf : public std::streambuf {
 public:
  // Writes through to `target`; `terminal` (a TTY) lets the report's colour codes and CR through.
  SafeOutputBuf(std::streambuf* target, bool terminal);
  ~SafeOutputBuf() override;
  SafeOutputBuf(const SafeOutputBuf&) = delete;
  SafeOutputBuf& operator=(const SafeOutputBuf&) = delete;

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  // Escapes and forwards what is pending, keeping back an incomplete tail unless `all`.
  void drain(bool all);

  std::streambuf* target_;
  bool terminal_;
  std::string pending_;
};

// Puts a SafeOutputBuf in front of std::cout and std::cerr for its lifetime (main() holds one).
class OutputBoundary {
 public:
  OutputBoundary();
  ~OutputBoundary();
  OutputBoundary(const OutputBoundary&) = delete;
  OutputBoundary& operator=(const OutputBoundary&) = delete;

 private:
  std::streambuf* cout_was_;
  std::streambuf* cerr_was_;
  SafeOutputBuf cout_buf_;
  SafeOutputBuf cerr_buf_;
};

}  // namespace intransit::text
