// mailbox_reader.cpp — a mapped mbox on every core. The mapping is cut into chunks of about
// 8 MiB at From_ lines (the separator GMime splits on, so every message lies inside one chunk).
// Worker threads trace their chunks' messages: a plain one (header_scan.hpp) from slices of the
// mapping, any other by GMime on its own substream. Each worker then waits its turn and hands
// its traces to the sink itself, strictly in mailbox order, and gives the chunk's pages back to
// the kernel (clean file pages: reread should anything touch them again). One chunk per worker
// is in flight, so memory stays bounded whatever the mailbox's size. Threads only pay off because the fast path
// builds no GObjects: GMime's per-header objects contend inside GLib (bench/README.md, trace).
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "core/limits.hpp"
#include "trace/reader_internal.hpp"

namespace intransit::trace {
namespace {

constexpr std::size_t kChunkBytes = 8U << 20U;

struct Chunk {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The chunk that starts at `begin`. Found only when a worker claims it: cutting the whole file
// up front would touch a page every 8 MiB at once, and the kernel maps whole large folios around
// each touch (120 MB of a 1 GB mailbox resident before any work was done).
Chunk chunk_at(std::string_view map, std::size_t begin) {
  return {begin, map.size() - begin > kChunkBytes ? next_mbox_message(map, begin + kChunkBytes) : map.size()};
}

// Every message of one chunk, in order; sources are set by the caller.
std::vector<MessageTrace> trace_chunk(GMimeStreamMmap* mapped, const Chunk& chunk, const TrustOptions& trust, bool gmime_only) {
  const std::string_view map(mapped->map, mapped->maplen);
  std::vector<MessageTrace> out;
  for (std::size_t begin = chunk.begin; begin < chunk.end;) {
    const std::size_t end = std::min(next_mbox_message(map, begin), chunk.end);
    const HeaderScan scan = gmime_only ? HeaderScan{} : scan_headers(map.substr(begin, end - begin));
    std::optional<MessageTrace> fast = scan.plain ? trace_plain(scan, trust) : std::nullopt;
    if (fast) {
      out.push_back(std::move(*fast));
    } else {
      GMimeStream* one = g_mime_stream_substream(GMIME_STREAM(mapped), static_cast<gint64>(begin), static_cast<gint64>(end));
      parse_stream(one, true, "", trust, [&](MessageTrace&& t) { out.push_back(std::move(t)); });
      g_object_unref(one);
    }
    begin = end;
  }
  return out;
}

}  // namespace

void read_mapped_mbox(GMimeStreamMmap* mapped, const std::string& path, const TrustOptions& trust,
                      const std::function<void(MessageTrace&&)>& sink) {
  // INTRANSIT_TRACE_GMIME_ONLY=1: every message through GMime, one thread — the reference the
  // differential tests compare the fast path with.
  const bool gmime_only = getenv("INTRANSIT_TRACE_GMIME_ONLY") != nullptr;
  const std::string_view map(mapped->map, mapped->maplen);
  const std::size_t workers = gmime_only ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

  std::mutex mutex;
  std::condition_variable turn;
  std::size_t next_begin = 0;  // where the next unclaimed chunk starts
  std::size_t next_chunk = 0;  // its index
  std::size_t next_emit = 0;
  std::size_t n = 0;         // messages emitted (only the thread whose turn it is touches it)
  std::size_t released = 0;  // likewise
  // Each worker traces a chunk, waits for its turn and hands the traces to the sink itself: the
  // thread that allocated a trace also frees it (glibc's cross-thread frees cost more than the
  // tracing), and the sink sees one message at a time, in mailbox order.
  const auto work = [&] {
    for (;;) {
      std::size_t index = 0;
      Chunk chunk;
      {
        std::lock_guard lock(mutex);
        if (next_begin >= map.size()) return;
        chunk = chunk_at(map, next_begin);
        next_begin = chunk.end;
        index = next_chunk++;
      }
      auto traces = trace_chunk(mapped, chunk, trust, gmime_only);
      {
        std::unique_lock lock(mutex);
        turn.wait(lock, [&] { return next_emit == index; });
      }
      for (auto& t : traces) {
        t.source = path + "#" + std::to_string(++n);
        sink(std::move(t));
      }
      traces.clear();
      // Every chunk up to this one is emitted: its pages go back to the kernel.
      const std::size_t finished = chunk.end / page * page;
      if (finished > released + limits::kMailboxReleaseBytes) {
        madvise(mapped->map + released, finished - released, MADV_DONTNEED);
        released = finished;
      }
      {
        std::lock_guard lock(mutex);
        ++next_emit;
      }
      turn.notify_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
}

}  // namespace intransit::trace
