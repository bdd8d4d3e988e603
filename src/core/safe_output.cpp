// safe_output.cpp — see safe_output.hpp.
#include "core/safe_output.hpp"

#include <unistd.h>

#include <iostream>

#include "core/text.hpp"

namespace intransit::text {
namespace {
// Escape and forward in pieces of this size: a mailbox's JSON Lines stream through without the
// filter holding more than this (plus an incomplete tail of at most 4 bytes).
constexpr std::size_t kChunk = 64 * 1024;
}  // namespace

SafeOutputBuf::SafeOutputBuf(std::streambuf* target, bool terminal)
    : target_(target), terminal_(terminal) {}

SafeOutputBuf::~SafeOutputBuf() {
  drain(true);
  target_->pubsync();
}

SafeOutputBuf::int_type SafeOutputBuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  pending_ += traits_type::to_char_type(ch);
  if (pending_.size() >= kChunk || ch == '\n') drain(false);
  return ch;
}

std::streamsize SafeOutputBuf::xsputn(const char* s, std::streamsize n) {
  pending_.append(s, static_cast<std::size_t>(n));
  if (pending_.size() >= kChunk) drain(false);
  return n;
}

int SafeOutputBuf::sync() {
  drain(false);
  return target_->pubsync();
}

void SafeOutputBuf::drain(bool all) {
  const std::size_t keep = all ? 0 : incomplete_tail(pending_);
  const std::string_view ready(pending_.data(), pending_.size() - keep);
  if (!ready.empty()) {
    const std::string out = terminal_text(ready, terminal_, terminal_);
    target_->sputn(out.data(), static_cast<std::streamsize>(out.size()));
  }
  pending_.erase(0, pending_.size() - keep);
}

OutputBoundary::OutputBoundary()
    : cout_was_(std::cout.rdbuf()),
      cerr_was_(std::cerr.rdbuf()),
      cout_buf_(cout_was_, isatty(STDOUT_FILENO) != 0),
      cerr_buf_(cerr_was_, isatty(STDERR_FILENO) != 0) {
  std::cout.rdbuf(&cout_buf_);
  std::cerr.rdbuf(&cerr_buf_);
  std::cerr.setf(std::ios::unitbuf);  // stderr stays unbuffered: progress and errors show at once
}

OutputBoundary::~OutputBoundary() {
  std::cout.flush();
  std::cerr.flush();
  std::cout.rdbuf(cout_was_);
  std::cerr.rdbuf(cerr_was_);
}

}  // namespace intransit::text
