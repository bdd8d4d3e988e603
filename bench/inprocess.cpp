// inprocess.cpp — client CPU per probe when many probes share one process, one SSL_CTX and one
// trust store (as `check` and `scan` will run them): N sequential STARTTLS probes with TLS and
// certificate verification against one lab MTA. Prints one JSON object. Not a test.
//   bench_inprocess ADDRESS NAME CA_FILE [COUNT]
#include <sys/resource.h>

#include <utility>  // before Boost 1.74 Asio, which uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <iostream>
#include <string>

#include "smtp/probe.hpp"

namespace asio = boost::asio;
using namespace intransit;

namespace {

struct Cpu {
  double user;
  double system;
};

Cpu cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return {static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) / 1e6,
          static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) / 1e6};
}

asio::awaitable<void> run(smtp::ProbeOptions options, int count, int& ok) {
  for (int i = 0; i < count; ++i) {
    const auto r = co_await smtp::probe(options);
    if (r.outcome == ProbeOutcome::ok && r.tls && r.tls->verification.trusted) ++ok;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bench_inprocess ADDRESS NAME CA_FILE [COUNT]\n";
    return 2;
  }
  const int count = argc > 4 ? std::stoi(argv[4]) : 200;
  smtp::ProbeOptions options;
  options.endpoint = {asio::ip::make_address(argv[1]), 25};
  options.server_name = argv[2];
  std::string error;
  options.trust = tls::TrustStore::load(argv[3], error);
  if (!options.trust) {
    std::cerr << error << "\n";
    return 1;
  }
  options.tls_context = tls::make_client_context(options.offer);

  asio::io_context io;
  int warm = 0;
  asio::co_spawn(io, run(options, 5, warm), asio::detached);  // warm caches and the server
  io.run();
  io.restart();

  int ok = 0;
  const Cpu cpu0 = cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  asio::co_spawn(io, run(options, count, ok), asio::detached);
  io.run();
  const Cpu cpu1 = cpu_seconds();
  const double user = cpu1.user - cpu0.user;
  const double system = cpu1.system - cpu0.system;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  std::cout << "{\"probes\": " << count << ", \"ok_verified\": " << ok
            << ", \"client_user_ms_per_probe\": " << user * 1000 / count
            << ", \"client_system_ms_per_probe\": " << system * 1000 / count
            << ", \"wall_ms_per_probe\": " << wall * 1000 / count << "}\n";
  return ok == count ? 0 : 1;
}
