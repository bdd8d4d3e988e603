// mailbox_reader.cpp — an mbox file on every core. The file is cut into fixed ranges of 1 MiB;
// a range owns the messages whose From_ line (the separator GMime splits on) starts inside it.
// Worker threads claim ranges in order and read each with pread(2) into their own buffer, with
// some slack past the range's end so that its last message usually ends inside the buffer too.
// A plain message (header_scan.hpp) is traced from slices of that buffer; any other by GMime on
// its bounded copy (message_cut.hpp). A message longer than the slack is read on from the file
// in pieces, only as far as trace needs it, and read past up to the next From_ line.
// A traced range is parked; whichever thread parks the next range in mailbox order hands it, and
// the parked ranges after it, to the sink, strictly in mailbox order, so a fast thread never
// waits for a slow one. Memory is one buffer per worker and a few ranges' traces whatever the
// mailbox's or a message's size.
//
// The file is never mapped (RELIABILITY.md item 53): a mail server that expunges or compacts the
// mailbox while it is read would turn a mapped page past the new end into SIGBUS. pread(2) says
// so with a short read instead: the messages read are reported, and the caller says the file
// changed. Copying from the page cache into a reused buffer was 2.4x faster than scanning a
// fresh mapping anyway (bench/README.md, trace). Threads only pay off because the fast path
// builds no GObjects: GMime's per-header objects contend inside GLib.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/limits.hpp"
#include "trace/reader_internal.hpp"

namespace intransit::trace {
namespace {

struct Geometry {
  std::size_t range = limits::kMailboxRangeBytes;       // bytes of the file each claim owns
  std::size_t slack = limits::kMailboxRangeSlackBytes;  // read past the range for its last message
};

// ReadOptions::chunk_bytes = N: tiny ranges, so that tests and the fuzzer cross every boundary
// case (messages straddling ranges, ranges with no message start, From_ split by a window). The
// slack is at least a From_ line's "From ", so that one starting in a range is always whole in
// its window.
Geometry geometry(std::size_t chunk_bytes) {
  Geometry g;
  if (chunk_bytes > 0) g = {chunk_bytes, std::max<std::size_t>(chunk_bytes / 4, 5)};
  return g;
}

// Reads the file's bytes at [offset, offset + size) into `buf`; returns how many it read, fewer
// at the end of the file (one that shrank) or on a read error.
std::size_t read_upto(int fd, char* buf, std::size_t size, std::size_t offset) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pread(fd, buf + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

class RangeReader {
 public:
  RangeReader(int fd, std::size_t size, const Geometry& g, const TrustOptions& trust,
              bool gmime_only, std::atomic<bool>& shrank)
      : fd_(fd),
        size_(size),
        g_(g),
        trust_(trust),
        gmime_only_(gmime_only),
        shrank_(shrank),
        buffer_(std::make_unique_for_overwrite<char[]>(g.range + g.slack + 1)) {}

  // Every message that starts in [begin, end), in order; sources are set by the caller.
  std::vector<MessageTrace> trace(std::size_t begin, std::size_t end) {
    std::vector<MessageTrace> out;
    // The window starts one byte early: a From_ line counts only after a line end.
    const std::size_t wb = begin == 0 ? 0 : begin - 1;
    const std::size_t want = std::min(end + g_.slack, size_) - wb;
    const std::size_t got = read_upto(fd_, buffer_.get(), want, wb);
    if (got < want) shrank_ = true;
    const std::string_view window(buffer_.get(), got);
    const bool ends_file = got < want || wb + got == size_;  // nothing of the file lies past it
    std::size_t pos = begin == 0 ? 0 : next_mbox_message(window, 0);
    while (pos < window.size() && wb + pos < end) {
      const std::size_t next = next_mbox_message(window, pos);
      if (next == window.size() && !ends_file) {
        // A message runs past the window (or a From_ line is cut by its end): the rest of the
        // range is read on from the file.
        read_on(wb + pos, end, out);
        break;
      }
      trace_slice(window.substr(pos, next - pos), cutter_, trust_, gmime_only_, out);
      pos = next;
    }
    return out;
  }

 private:
  // The messages from the one at `start` on that start before `end`, read from the file in
  // pieces: each message only as far as trace needs it.
  void read_on(std::size_t start, std::size_t end, std::vector<MessageTrace>& out) {
    std::size_t offset = start;
    MboxSplitter splitter(
        [&](char* buf, std::size_t n) {
          n = std::min(n, size_ > offset ? size_ - offset : 0);
          const std::size_t got = read_upto(fd_, buf, n, offset);
          if (got < n) shrank_ = true;
          offset += got;
          return got;
        },
        {});
    while (start + splitter.consumed() < end && splitter.next(cutter_)) {
      trace_copy(cutter_, true, trust_, gmime_only_, out);
    }
  }

  int fd_;
  std::size_t size_;
  Geometry g_;
  const TrustOptions& trust_;
  bool gmime_only_;
  std::atomic<bool>& shrank_;
  std::unique_ptr<char[]> buffer_;
  MessageCutter cutter_;
};

// The ordering between the workers: which range each claims next, the message numbers (with a
// render step they are needed before rendering, so a range is numbered as soon as the ranges
// before it are traced), and the hand-over to the sink strictly in mailbox order. A traced range
// is parked; the thread that parks the next range in mailbox order hands it and every parked one
// after it to the sink, one message at a time, so no thread waits for a slower one to catch up
// (the two vCPUs of the bench machine differ in speed by up to 1.8x). Workers stay at most
// kMailboxRangesAhead ranges ahead of the sink: memory is a few ranges' traces whatever the
// mailbox's size.
class RangeOrder {
 public:
  struct Finished {
    std::vector<MessageTrace> traces;
    std::vector<std::string> rendered;  // empty without a render step
  };

  RangeOrder(std::size_t size, std::size_t range, const std::string& path, bool render,
             const RenderedSink& sink)
      : size_(size), range_(range), path_(path), render_(render), sink_(sink) {}

  // The next range to trace, in file order; nullopt when every range is claimed. Waits while
  // the workers are kMailboxRangesAhead ranges ahead of the sink.
  std::optional<std::size_t> claim() {
    std::unique_lock lock(mutex_);
    turn_.wait(
        lock, [&] { return past_end() || next_range_ < next_emit_ + limits::kMailboxRangesAhead; });
    if (past_end()) return std::nullopt;
    return next_range_++;
  }

  // Numbers range `index`'s traces (render step only), once the ranges before it are numbered.
  void number(std::size_t index, std::vector<MessageTrace>& traces) {
    std::size_t first = 0;
    {
      std::unique_lock lock(mutex_);
      turn_.wait(lock, [&] { return next_count_ == index; });
      first = numbered_ + 1;
      numbered_ += traces.size();
      ++next_count_;
    }
    turn_.notify_all();
    set_sources(traces, first);
  }

  // Parks range `index`; hands it and the ranges after it to the sink when it is next in order.
  void park(std::size_t index, Finished range) {
    std::unique_lock lock(mutex_);
    finished_.emplace(index, std::move(range));
    if (!emitting_) emit_ready(lock);
  }

 private:
  bool past_end() const { return next_range_ * range_ >= size_; }

  void set_sources(std::vector<MessageTrace>& traces, std::size_t first) const {
    for (std::size_t i = 0; i < traces.size(); ++i)
      traces[i].source = path_ + "#" + std::to_string(first + i);
  }

  // Called with the lock held, by one thread at a time.
  void emit_ready(std::unique_lock<std::mutex>& lock) {
    emitting_ = true;
    while (!finished_.empty() && finished_.begin()->first == next_emit_) {
      Finished range = std::move(finished_.begin()->second);
      finished_.erase(finished_.begin());
      lock.unlock();
      if (!render_) set_sources(range.traces, emitted_ + 1);
      emitted_ += range.traces.size();
      for (std::size_t i = 0; i < range.traces.size(); ++i) {
        sink_(std::move(range.traces[i]), render_ ? std::move(range.rendered[i]) : std::string{});
      }
      range = {};
      lock.lock();
      ++next_emit_;
      turn_.notify_all();
    }
    emitting_ = false;
  }

  const std::size_t size_;
  const std::size_t range_;
  const std::string& path_;
  const bool render_;
  const RenderedSink& sink_;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::size_t next_range_ = 0;  // the next unclaimed range's index
  std::size_t next_count_ = 0;  // the next range whose messages are to be numbered (render step)
  std::size_t numbered_ = 0;    // messages numbered so far (render step only)
  std::size_t next_emit_ = 0;   // the next range to hand to the sink
  std::map<std::size_t, Finished> finished_;  // traced ranges waiting for their turn
  bool emitting_ = false;                     // a thread is handing ranges to the sink
  std::size_t emitted_ = 0;  // messages handed to the sink: only the emitting thread touches it
};

}  // namespace

bool read_mbox_file(int fd, std::size_t size, const std::string& path, const TrustOptions& trust,
                    const Render& render, const RenderedSink& sink, const ReadOptions& options) {
  // GMime alone: one thread, as the reference the differential tests compare with.
  const bool reference = options.gmime_only;
  const Geometry g = geometry(options.chunk_bytes);
  const std::size_t workers =
      reference ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::atomic<bool> shrank = false;
  RangeOrder order(size, g.range, path, static_cast<bool>(render), sink);
  // Each worker traces the ranges it claims; with a render step it numbers and renders them.
  const auto work = [&] {
    RangeReader reader(fd, size, g, trust, reference, shrank);
    while (const std::optional<std::size_t> index = order.claim()) {
      const std::size_t begin = *index * g.range;
      RangeOrder::Finished range{reader.trace(begin, std::min(begin + g.range, size)), {}};
      if (render) {
        order.number(*index, range.traces);
        range.rendered.reserve(range.traces.size());
        for (const auto& t : range.traces) range.rendered.push_back(render(t));
      }
      order.park(*index, std::move(range));
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  return shrank;
}

}  // namespace intransit::trace
