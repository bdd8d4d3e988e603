// message_cut.cpp — see message_cut.hpp.
#include "trace/message_cut.hpp"

#include <algorithm>
#include <cstring>

#include "core/limits.hpp"

namespace intransit::trace {
namespace {

constexpr std::string_view kFrom = "From ";
// Bytes an MboxSplitter asks of its stream at a time: one pipe's worth several times over.
constexpr std::size_t kSplitterChunkBytes = 64 * 1024;

}  // namespace

void MessageCutter::reset(bool from_line) {
  state_ = from_line ? State::from_line : State::header;
  copy_.clear();
  cut_ = {};
  fed_ = 0;
  header_read_ = 0;
  line_read_ = 0;
  line_start_ = 0;
  line_long_ = false;
  body_kept_ = 0;
}

bool MessageCutter::feed(std::string_view bytes) {
  fed_ += bytes.size();
  while (!bytes.empty() && state_ != State::done) {
    if (state_ == State::body) {
      const std::size_t n = std::min(bytes.size(), limits::kMessageBodyKeepBytes - body_kept_);
      copy_.append(bytes.substr(0, n));
      body_kept_ += n;
      bytes.remove_prefix(n);
      if (body_kept_ == limits::kMessageBodyKeepBytes) state_ = State::done;
    } else {
      bytes.remove_prefix(take_line_piece(bytes));
    }
  }
  return state_ != State::done;
}

// Takes bytes of the From_ line or the header block up to and including the next line end, or
// all of `bytes` when the line goes on past them; returns how many it took.
std::size_t MessageCutter::take_line_piece(std::string_view bytes) {
  const auto* nl = static_cast<const char*>(std::memchr(bytes.data(), '\n', bytes.size()));
  const std::size_t piece =
      nl == nullptr ? bytes.size() : static_cast<std::size_t>(nl - bytes.data()) + 1;
  // The block cap counts bytes read, not bytes kept: so reading ends even in a header that is
  // one endless line (/dev/zero, a pipe).
  const bool over = header_read_ + piece > limits::kHeaderBlockBytes;
  const std::size_t take = over ? limits::kHeaderBlockBytes - header_read_ : piece;
  const std::size_t content =
      nl != nullptr && !over ? take - 1 : take;  // the line end is kept apart
  const std::size_t room =
      line_read_ < limits::kHeaderLineBytes ? limits::kHeaderLineBytes - line_read_ : 0;
  const std::size_t keep = std::min(room, content);
  copy_.append(bytes.substr(0, keep));
  if (content > keep) {
    if (!line_long_) ++cut_.long_lines;
    line_long_ = true;
    cut_.long_line_bytes += content - keep;
  }
  line_read_ += content;
  header_read_ += take;
  if (over) {
    // The rest of the message is not read; the copy ends with a whole line for GMime.
    cut_.block_cut = true;
    if (!copy_.empty() && copy_.back() != '\n') copy_ += '\n';
    state_ = State::done;
    return bytes.size();
  }
  if (nl != nullptr) end_line();
  return piece;
}

void MessageCutter::end_line() {
  // An empty line ("\n" or "\r\n") ends the header block (RFC 5322 §2.1).
  const bool empty = line_read_ == 0 || (line_read_ == 1 && copy_[line_start_] == '\r');
  copy_ += '\n';
  if (state_ == State::from_line) {
    state_ = State::header;
  } else if (empty) {
    state_ = State::body;
  }
  line_read_ = 0;
  line_long_ = false;
  line_start_ = copy_.size();
}

std::size_t find_mbox_start(std::string_view bytes, std::size_t from, bool after_newline,
                            std::size_t& undecided) {
  undecided = bytes.size();
  // One memchr per 'F' (rarer than line ends in bodies), then a look at its neighbours.
  for (std::size_t pos = from; pos < bytes.size();) {
    const void* hit = std::memchr(bytes.data() + pos, 'F', bytes.size() - pos);
    if (hit == nullptr) break;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data());
    pos = at + 1;
    if (!(at == 0 ? after_newline : bytes[at - 1] == '\n')) continue;
    const std::string_view rest = bytes.substr(at);
    if (rest.size() >= kFrom.size()) {
      if (rest.compare(0, kFrom.size(), kFrom) == 0) return at;
    } else if (kFrom.compare(0, rest.size(), rest) == 0) {
      undecided = at;  // "Fro" at the end: the next bytes decide
      break;
    }
  }
  return bytes.size();
}

MboxSplitter::MboxSplitter(Read read, std::string_view prefix)
    : read_(std::move(read)),
      buffer_(std::make_unique_for_overwrite<char[]>(kSplitterChunkBytes + prefix.size())) {
  if (!prefix.empty()) std::memcpy(buffer_.get(), prefix.data(), prefix.size());
  end_ = prefix.size();
}

bool MboxSplitter::refill() {
  if (eof_) return false;
  // Only an undecided tail of a few bytes is left: it moves to the front.
  std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  const std::size_t got = read_(buffer_.get() + end_, kSplitterChunkBytes - end_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool MboxSplitter::next(MessageCutter& cutter) {
  if (begin_ == end_ && !refill()) return false;
  cutter.reset(true);
  const auto take = [&](std::size_t n) {
    if (n == 0) return;
    cutter.feed(std::string_view(buffer_.get() + begin_, n));
    after_newline_ = buffer_[begin_ + n - 1] == '\n';
    begin_ += n;
    consumed_ += n;
  };
  // The message's own first byte is not where the next one starts.
  std::size_t from = 1;
  for (;;) {
    std::size_t undecided = 0;
    const std::string_view avail(buffer_.get() + begin_, end_ - begin_);
    const std::size_t start = find_mbox_start(avail, from, after_newline_, undecided);
    if (start < avail.size()) {
      take(start);
      return true;
    }
    take(undecided);
    from = 0;
    if (!refill()) {
      take(end_ - begin_);  // the end of the stream decides: the tail is this message's
      return true;
    }
  }
}

}  // namespace intransit::trace
