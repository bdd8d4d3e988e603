// fuzz_sink_command.cpp — libFuzzer target for the sink's command grammar (sink/command.hpp):
// any line must give a verb and, for MAIL/RCPT, a bounded path free of control bytes or a 501/555.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "sink/command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto command = intransit::sink::parse_command(line);
  FUZZ_CHECK(command.argument.size() <= line.size());
  for (const auto* keyword : {"FROM:", "TO:"}) {
    const auto parsed = intransit::sink::parse_path(command.argument, keyword);
    if (const auto* path = std::get_if<intransit::sink::MailPath>(&parsed)) {
      FUZZ_CHECK(path->address.size() <= 256);
      FUZZ_CHECK(path->parameters.size() <= 16);
      FUZZ_CHECK(fuzz_no_control_bytes(path->address));
      for (const auto& [key, value] : path->parameters)
        FUZZ_CHECK(fuzz_no_control_bytes(key) && fuzz_no_control_bytes(value));
    } else {
      const auto& reply = std::get<intransit::sink::PathError>(parsed).reply;
      FUZZ_CHECK(reply.size() > 4 && reply[0] == '5');
    }
  }
  intransit::sink::valid_helo_name(command.argument);
  return 0;
}
