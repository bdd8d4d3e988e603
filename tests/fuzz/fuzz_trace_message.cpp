// fuzz_trace_message.cpp — fuzz target for the message reader (trace/message.hpp, GMime 3): the
// input is written to a memory file and read as an mbox when it starts with "From ", else as
// one message. Properties: the reader returns (every input is some number of messages, or an
// error per message), each reported message has a source, at most 100 hops read, and its
// message id, From and every hop's raw text are free of control bytes. And, differentially: an
// mbox read by the fast path (trace/header_scan.hpp, slices of the mapping) gives exactly what
// GMime alone gives for it (INTRANSIT_TRACE_GMIME_ONLY=1), message by message, and the same
// when the mailbox is read in ranges of a few bytes (INTRANSIT_TRACE_CHUNK_BYTES).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "trace/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("fuzz-message", 0);
  if (fd < 0) return 0;
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  std::string error;
  const auto probe = intransit::trace::open_input(path, error);
  if (probe) {
    const auto kind = probe->kind;
    // One line per message with everything the reports show; compared between the two readers.
    const auto read = [&](bool gmime_only, std::size_t chunk_bytes = 0) {
      std::vector<std::string> seen;
      auto input = intransit::trace::open_input(path, error);
      FUZZ_CHECK(input.has_value());
      intransit::trace::ReadOptions options;
      options.gmime_only = gmime_only;
      options.chunk_bytes = chunk_bytes;
      intransit::trace::read_messages(
          *input, {},
          [&](intransit::trace::MessageTrace&& m) {
            FUZZ_CHECK(!m.source.empty());
            FUZZ_CHECK(m.hops.size() <= 100);
            FUZZ_CHECK(fuzz_no_control_bytes(m.message_id) && fuzz_no_control_bytes(m.from));
            std::string line = m.source + "|" + m.message_id + "|" + m.from + "|" + m.error + "|" +
                               std::to_string(static_cast<int>(m.e2e)) + "|" +
                               std::to_string(static_cast<int>(m.verdict)) + "|" +
                               std::to_string(m.received_dropped) + "|" +
                               std::to_string(m.header_cut.long_lines) + "/" +
                               std::to_string(m.header_cut.long_line_bytes) + "/" +
                               (m.header_cut.block_cut ? "cut" : "-");
            for (const auto& h : m.hops) {
              FUZZ_CHECK(fuzz_no_control_bytes(h.hop.raw()));
              line.append("|")
                  .append(h.hop.raw())
                  .append("/")
                  .append(std::to_string(static_cast<int>(h.hop.verdict)));
              line.append("/")
                  .append(h.hop.tls_version.value_or("-"))
                  .append("/")
                  .append(h.hop.cipher());
              line.append("/").append(h.hop.evidence());
            }
            seen.push_back(std::move(line));
          },
          options);
      return seen;
    };
    const auto fast = read(false);
    FUZZ_CHECK(fast.size() <= size + 1);
    if (kind == intransit::trace::InputKind::mbox) {
      const auto reference = read(true);
      // The same again with the mailbox cut into ranges of a few bytes, so that every message
      // boundary case of mailbox_reader.cpp is crossed: messages straddling ranges, ranges with
      // no message start, From_ lines cut by a read window's end.
      const auto small_ranges = read(false, 1 + (size > 0 ? data[size - 1] % 97 : 0));
      FUZZ_CHECK(small_ranges == fast);
      if (fast != reference) {
        for (std::size_t i = 0; i < std::max(fast.size(), reference.size()); ++i) {
          const std::string a = i < fast.size() ? fast[i] : "(none)";
          const std::string b = i < reference.size() ? reference[i] : "(none)";
          if (a != b)
            std::fprintf(stderr, "message %zu differs:\n fast:  %s\n gmime: %s\n", i, a.c_str(),
                         b.c_str());
        }
      }
      FUZZ_CHECK(fast == reference);
    }
  }
  close(fd);
  return 0;
}
