// fuzz_trace_message.cpp — fuzz target for the message reader (trace/message.hpp, GMime 3): the
// input is written to a memory file and read as an mbox when it starts with "From ", else as
// one message. Properties: the reader returns (every input is some number of messages, or an
// error per message), each reported message has a source, at most 100 hops read, and its
// message id, From and every hop's raw text are free of control bytes.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

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
  const auto kind = intransit::trace::detect_input(path, error);
  if (kind) {
    std::size_t messages = 0;
    intransit::trace::read_messages(path, *kind, {}, [&](intransit::trace::MessageTrace&& m) {
      ++messages;
      FUZZ_CHECK(!m.source.empty());
      FUZZ_CHECK(m.hops.size() <= 100);
      FUZZ_CHECK(fuzz_no_control_bytes(m.message_id) && fuzz_no_control_bytes(m.from));
      for (const auto& h : m.hops) FUZZ_CHECK(fuzz_no_control_bytes(h.hop.raw));
    }, error);
    FUZZ_CHECK(messages <= size + 1);
  }
  close(fd);
  return 0;
}
