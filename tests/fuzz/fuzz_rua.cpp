// fuzz_rua.cpp — fuzz target for what `tlsrpt generate --submit` takes from a stranger's
// `_smtp._tls` record: each rua (RFC 8460 §3) as a mailto: address (policy/mailto.hpp) or an
// https: URL (check/http_url.hpp), and the whole input given to both directly. Properties: an
// accepted address has an '@', at most 254 bytes and nothing that could end an SMTP command; an
// accepted URL has a host, a port in 1-65535, a target starting with '/' and no control bytes
// or spaces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "check/http_url.hpp"
#include "fuzz_check.hpp"
#include "policy/mailto.hpp"
#include "policy/tlsrpt.hpp"

namespace {

void check_mailto(const std::string& uri) {
  const auto a = intransit::policy::mailto_address(uri);
  if (!a) return;
  FUZZ_CHECK(!a->empty() && a->size() <= 254 && a->find('@') != std::string::npos);
  FUZZ_CHECK(fuzz_no_control_bytes(*a));
  FUZZ_CHECK(a->find_first_of(" <>") == std::string::npos);
}

void check_url(const std::string& uri) {
  const auto u = intransit::check::parse_http_url(uri);
  if (!u) return;
  FUZZ_CHECK(!u->host.empty() && !u->target.empty() && u->target.front() == '/');
  FUZZ_CHECK(!u->port.empty() && u->port.size() <= 5);
  const long port = std::stol(u->port);
  FUZZ_CHECK(port >= 1 && port <= 65535);
  FUZZ_CHECK(fuzz_no_control_bytes(u->host) && fuzz_no_control_bytes(u->target));
  FUZZ_CHECK((u->host + u->target).find(' ') == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string whole(reinterpret_cast<const char*>(data), size);
  check_mailto(whole);
  check_url(whole);
  std::vector<std::string> txts(1);
  for (const char c : whole) {
    if (c == 0) {
      txts.emplace_back();
    } else {
      txts.back() += c;
    }
  }
  std::string error;
  if (const auto t = intransit::policy::select_tlsrpt_record(txts, error)) {
    for (const auto& uri : t->rua) {
      check_mailto(uri);
      check_url(uri);
    }
  }
  return 0;
}
