// hostile_script.hpp — the hostile SMTP server's scenarios as data: one script of steps per
// scenario (write, read a line, sleep, start TLS, ...), run in order by hostile_server.cpp until
// a step fails (the peer left) or the script ends. "{name}" in a text stands for the server's
// name. Each script is one hostile peer of RELIABILITY.md items 3-24 and 55; the server side
// follows RFC 5321 §4.1 and RFC 3207 §4 except where the scenario breaks it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "support/hostile_server.hpp"

namespace intransit::test {

enum class Op : std::uint8_t {
  write,           // send `text`
  read_line,       // read one command line (fails on EOF)
  read_raw,        // read whatever comes once (the first bytes of a ClientHello)
  sleep,           // wait `count` milliseconds
  drain,           // read and ignore until the peer leaves
  drip_forever,    // `text` one byte per `count` ms, cycling, until a write fails
  write_forever,   // `text` again and again until a write fails
  write_repeated,  // `count` chunks of 64 KiB of 'A'
  tls_handshake,   // server side of a TLS handshake; earlier plaintext is dropped (RFC 3207 §4.2)
  reset,           // close with RST (SO_LINGER 0)
};

struct Step {
  Op op;
  std::string_view text = {};
  int count = 0;
};

struct Script {
  HostileScenario scenario;
  std::string_view name;
  std::span<const Step> steps;
  bool huge_chain = false;  // ~400 copies of the certificate as "intermediates" (item 18)
};

// The script of every scenario, in the order of HostileScenario.
std::span<const Script> scripts();
const Script& script_of(HostileScenario scenario);

}  // namespace intransit::test
