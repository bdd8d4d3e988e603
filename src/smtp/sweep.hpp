// sweep.hpp — `probe --sweep`: which TLS versions a server accepts, which suites per version,
// and whether it imposes its own order, each suite rated after NCSC-NL (tls/rating.hpp).
// Suites are found by elimination, the minimum number of handshakes: per version, offer every
// suite not yet seen, record the one the server picks, drop it, repeat until the server refuses
// (one connection per accepted suite plus one per version); one more per version tells server
// order. Every handshake is a full SMTP STARTTLS dialogue (or implicit TLS), through the probe
// engine with all its deadlines. Versions run concurrently: at most one connection per version
// at a time (limits::kSweepConnectionsPerHost).
// The sweep has a deadline (RELIABILITY.md item 55): it shares what remains of the probe's
// --timeout after the main probe. Versions run concurrently against that one instant; each
// handshake gets at most the time left, a back-off pause never outlasts it, and a version cut short
// keeps the suites it found and says "deadline" in its error (supported stays unknown if none).
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>

#include <optional>
#include <string>
#include <vector>

#include "smtp/probe.hpp"
#include "tls/rating.hpp"

namespace intransit::smtp {

struct SweptCipher {
  std::string name;  // OpenSSL name
  tls::Rating rating;
};

struct VersionSweep {
  std::string version;               // "TLSv1.0" ... "TLSv1.3"
  std::optional<bool> supported;     // nullopt: could not be tested (see error)
  std::string error;                 // why not, when a handshake ended other than in TLS terms
  std::vector<SweptCipher> ciphers;  // in the order the server picked them
  std::optional<bool> server_order;  // nullopt with fewer than two suites
  int connections = 0;
  int deferrals = 0;       // 421s answered by pausing and trying again
  bool cut_short = false;  // the probe's deadline ended it before it was complete
  bool done = false;       // this version's handshakes are over (whatever they found)
};

struct SweepResult {
  std::vector<VersionSweep> versions;  // TLS 1.0, 1.1, 1.2, 1.3
  int connections() const;
};

// The sweep of the server in `base`, to end by `deadline`: its versions run concurrently and this
// returns when all are done. `out` must outlive it.
boost::asio::awaitable<void> sweep(ProbeOptions base, SweepResult& out,
                                   std::chrono::steady_clock::time_point deadline);

// Spawns sweep() on `executor`; `out` (which must outlive the run) is complete when its
// io_context runs out of work.
void spawn_sweep(const boost::asio::any_io_executor& executor, const ProbeOptions& base,
                 SweepResult& out, std::chrono::steady_clock::time_point deadline);

}  // namespace intransit::smtp
