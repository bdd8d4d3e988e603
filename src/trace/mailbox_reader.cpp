// mailbox_reader.cpp — an mbox file on every core. The file is cut into fixed ranges of 1 MiB;
// a range owns the messages whose From_ line (the separator GMime splits on) starts inside it.
// Worker threads claim ranges in order and read each with pread(2) into their own buffer, with
// some slack past the range's end so that its last message usually ends inside the buffer too.
// A plain message (header_scan.hpp) is traced from slices of that buffer; any other by GMime on
// a copy of its bytes. A last message longer than the slack is read through the mapping instead.
// A traced range is parked; whichever thread parks the next range in mailbox order hands it, and
// the parked ranges after it, to the sink, strictly in mailbox order, so a fast thread never
// waits for a slow one. Memory is one buffer per worker and a few ranges' traces whatever the
// mailbox's size.
//
// Why pread and not the mapping: scanning a freshly mapped page costs a fault and a TLB miss;
// copying from the page cache into a reused buffer was 2.4x faster for the same memchr scan of
// 1 GB (bench/README.md, trace). Threads only pay off because the fast path builds no GObjects:
// GMime's per-header objects contend inside GLib.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/limits.hpp"
#include "trace/reader_internal.hpp"

namespace intransit::trace {
namespace {

struct Geometry {
  std::size_t range = limits::kMailboxRangeBytes;  // bytes of the file each claim owns
  std::size_t slack = limits::kMailboxRangeSlackBytes;  // read past the range for its last message
};

// INTRANSIT_TRACE_CHUNK_BYTES=N: tiny ranges, so that tests and the fuzzer cross every boundary
// case (messages straddling ranges, ranges with no message start, From_ split by a window).
Geometry geometry() {
  Geometry g;
  if (const char* env = getenv("INTRANSIT_TRACE_CHUNK_BYTES")) {
    const auto n = std::strtoull(env, nullptr, 10);
    if (n > 0) g = {n, std::max<std::size_t>(n / 4, 1)};
  }
  return g;
}

// Fills `buf` with the file's bytes at [offset, offset + size); false on a read error.
bool read_fully(int fd, char* buf, std::size_t size, std::size_t offset) {
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = pread(fd, buf + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// One message's bytes (From_ line included) to a trace: the fast path if it is plain, else GMime
// over `stream` (made only then: a copy for the buffer, a substream for the mapping).
template <typename MakeStream>
void trace_one(std::string_view message, const TrustOptions& trust, bool gmime_only, MakeStream make_stream,
               std::vector<MessageTrace>& out) {
  const HeaderScan scan = gmime_only ? HeaderScan{} : scan_headers(message);
  std::optional<MessageTrace> fast = scan.plain ? trace_plain(scan, trust) : std::nullopt;
  if (fast) {
    out.push_back(std::move(*fast));
    return;
  }
  GMimeStream* stream = make_stream();
  parse_stream(stream, StreamHolds::mbox_message, "", trust, [&](MessageTrace&& t) { out.push_back(std::move(t)); });
  g_object_unref(stream);
}

class RangeReader {
 public:
  RangeReader(GMimeStreamMmap* mapped, const Geometry& g, const TrustOptions& trust, bool gmime_only)
      : mapped_(mapped), map_(mapped->map, mapped->maplen), g_(g), trust_(trust), gmime_only_(gmime_only),
        buffer_(std::make_unique_for_overwrite<char[]>(g.range + g.slack + 1)) {}

  // Every message that starts in [begin, end), in order; sources are set by the caller.
  std::vector<MessageTrace> trace(std::size_t begin, std::size_t end) {
    std::vector<MessageTrace> out;
    // The window starts one byte early: a From_ line counts only after a line end.
    const std::size_t wb = begin == 0 ? 0 : begin - 1;
    const std::size_t we = std::min(end + g_.slack, map_.size());
    if (!read_fully(mapped_->fd, buffer_.get(), we - wb, wb)) {
      // A file that shrank or cannot be read: the mapping says what is there (or faults the same).
      trace_mapped(begin == 0 ? 0 : next_mbox_message(map_, begin - 1), end, out);
      return out;
    }
    const std::string_view window(buffer_.get(), we - wb);
    std::size_t pos = begin == 0 ? 0 : next_mbox_message(window, 0);
    if (pos == window.size() && we < map_.size()) {
      // No whole From_ line in the window; one of ours may still be cut by its end.
      const std::size_t cut = from_line_in(std::max(begin, we - std::min<std::size_t>(we, 5)), std::min(end, we));
      if (cut < end) trace_mapped(cut, end, out);
      return out;
    }
    while (wb + pos < end) {
      const std::size_t next = next_mbox_message(window, pos);
      if (next == window.size() && we < map_.size()) {
        // A message runs past the window (or a From_ line is cut by its end): the rest of the
        // range is read through the mapping.
        trace_mapped(wb + pos, end, out);
        break;
      }
      const std::string_view message = window.substr(pos, next - pos);
      trace_one(message, trust_, gmime_only_, [&] { return g_mime_stream_mem_new_with_buffer(message.data(), message.size()); }, out);
      pos = next;
    }
    return out;
  }

 private:
  void trace_mapped_message(std::size_t from, std::size_t to, std::vector<MessageTrace>& out) {
    trace_one(map_.substr(from, to - from), trust_, gmime_only_, [&] {
      return g_mime_stream_substream(GMIME_STREAM(mapped_), static_cast<gint64>(from), static_cast<gint64>(to));
    }, out);
  }

  // A From_ line starting in [lo, hi) of the file, looked for through the mapping; hi when none.
  [[nodiscard]] std::size_t from_line_in(std::size_t lo, std::size_t hi) const {
    for (std::size_t p = std::max<std::size_t>(lo, 1); p < hi; ++p) {
      if (map_[p - 1] == '\n' && map_.compare(p, 5, "From ") == 0) return p;
    }
    return hi;
  }

  // The messages from the one at `pos` on that start before `end`.
  void trace_mapped(std::size_t pos, std::size_t end, std::vector<MessageTrace>& out) {
    while (pos < end) {
      const std::size_t next = next_mbox_message(map_, pos);
      trace_mapped_message(pos, next, out);
      pos = next;
    }
  }

  GMimeStreamMmap* mapped_;
  std::string_view map_;
  Geometry g_;
  const TrustOptions& trust_;
  bool gmime_only_;
  std::unique_ptr<char[]> buffer_;
};

}  // namespace

void read_mapped_mbox(GMimeStreamMmap* mapped, const std::string& path, const TrustOptions& trust,
                      const Render& render, const RenderedSink& sink) {
  // INTRANSIT_TRACE_GMIME_ONLY=1: every message through GMime, one thread — the reference the
  // differential tests compare the fast path with.
  const bool gmime_only = getenv("INTRANSIT_TRACE_GMIME_ONLY") != nullptr;
  const std::size_t size = mapped->maplen;
  const Geometry g = geometry();
  const std::size_t workers = gmime_only ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

  struct Finished {
    std::vector<MessageTrace> traces;
    std::vector<std::string> rendered;  // empty without a render step
  };
  std::mutex mutex;
  std::condition_variable turn;
  std::size_t next_range = 0;  // the next unclaimed range's index
  std::size_t next_count = 0;  // the next range whose messages are to be numbered (render step only)
  std::size_t numbered = 0;    // messages numbered so far (render step only)
  std::size_t next_emit = 0;   // the next range to hand to the sink
  std::map<std::size_t, Finished> finished;  // traced ranges waiting for their turn
  bool emitting = false;       // a thread is handing ranges to the sink
  std::size_t emitted = 0;     // messages handed to the sink: only the emitting thread touches it
  std::size_t released = 0;    // likewise
  const auto numbers = [&](std::vector<MessageTrace>& traces, std::size_t first) {
    for (std::size_t i = 0; i < traces.size(); ++i) traces[i].source = path + "#" + std::to_string(first + i);
  };
  // Hands the finished ranges to the sink for as long as the next one in mailbox order is there;
  // called with the lock held, by one thread at a time.
  const auto emit_ready = [&](std::unique_lock<std::mutex>& lock) {
    emitting = true;
    while (!finished.empty() && finished.begin()->first == next_emit) {
      Finished range = std::move(finished.begin()->second);
      finished.erase(finished.begin());
      lock.unlock();
      if (!render) numbers(range.traces, emitted + 1);
      emitted += range.traces.size();
      for (std::size_t i = 0; i < range.traces.size(); ++i) {
        sink(std::move(range.traces[i]), render ? std::move(range.rendered[i]) : std::string{});
      }
      range = {};
      // Pages of the mapping that long messages were read through go back to the kernel.
      const std::size_t finished_bytes = std::min((next_emit + 1) * g.range, size) / page * page;
      if (finished_bytes > released + limits::kMailboxReleaseBytes) {
        madvise(mapped->map + released, finished_bytes - released, MADV_DONTNEED);
        released = finished_bytes;
      }
      lock.lock();
      ++next_emit;
      turn.notify_all();
    }
    emitting = false;
  };
  // Each worker traces a range. With a render step it numbers the range's messages as soon as the
  // ranges before it are traced (not yet emitted) and renders them. Then it parks the range; the
  // thread that parks the next range in mailbox order hands it and every parked one after it to
  // the sink, one message at a time, so no thread waits for a slower one to catch up (the two
  // vCPUs of the bench machine differ in speed by up to 1.8x). Workers stay at most
  // kMailboxRangesAhead ranges ahead of the sink: memory is a few ranges' traces whatever the
  // mailbox's size.
  const auto work = [&] {
    RangeReader reader(mapped, g, trust, gmime_only);
    for (;;) {
      std::size_t index = 0;
      {
        std::unique_lock lock(mutex);
        turn.wait(lock, [&] { return next_range * g.range >= size || next_range < next_emit + limits::kMailboxRangesAhead; });
        if (next_range * g.range >= size) return;
        index = next_range++;
      }
      const std::size_t begin = index * g.range;
      const std::size_t end = std::min(begin + g.range, size);
      Finished range{reader.trace(begin, end), {}};
      if (render) {
        std::size_t first = 0;
        {
          std::unique_lock lock(mutex);
          turn.wait(lock, [&] { return next_count == index; });
          first = numbered + 1;
          numbered += range.traces.size();
          ++next_count;
        }
        turn.notify_all();
        numbers(range.traces, first);
        range.rendered.reserve(range.traces.size());
        for (const auto& t : range.traces) range.rendered.push_back(render(t));
      }
      std::unique_lock lock(mutex);
      finished.emplace(index, std::move(range));
      if (!emitting) emit_ready(lock);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
}

}  // namespace intransit::trace
