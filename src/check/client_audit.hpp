// client_audit.hpp — `intransit client DOMAIN|ADDRESS` on the engine (issue 21): discovery
// (client_discovery.hpp), then every server a client would use probed with its own dialogue and
// TLS mode (Engine::probe), the certificate held to the names RFC 7817 §3 allows
// (client_names.hpp), and one verdict per leg (submission, imap, pop3) in check's words
// (DESIGN.md §3):
//   enforced      every server tested gives TLS with a certificate valid for an authenticated
//                 name (a client that insists on TLS cannot be downgraded or impersonated)
//   opportunistic TLS everywhere, but some certificate is untrusted or names only an
//                 unauthenticated host
//   partial       some servers give TLS, others none
//   plaintext     no server tested gives TLS (or the autoconfig says socketType plain)
//   broken        the leg's SRV answer is DNSSEC-bogus, or a server fails the TLS handshake
//   no-mail       the SRV records say the service is not offered (target ".")
//   untested      nothing found, or nothing could be tested (lookup failed, no answer)
// assess_client() is pure, unit-tested with hand-built facts; audit_client() does the I/O and
// can be reused by check, scan and serve.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "check/addresses.hpp"
#include "check/client_discovery.hpp"
#include "check/client_names.hpp"
#include "check/finding.hpp"
#include "check/precedence.hpp"
#include "check/probe_cache.hpp"

namespace intransit::check {

class Engine;

// One address of one server: its probe and what the certificate proves.
struct ClientProbe {
  ProbeReport report;
  NameCheck name = NameCheck::untested;
  bool matches_domain = false;  // the leaf names the user's domain
  bool matches_host = false;    // the leaf names the server host
  Verdict verdict = Verdict::untested;
};

struct ServerAudit {
  ClientServer server;
  HostAddresses addresses;
  std::vector<ClientProbe> probes;  // one per address probed (none for socketType plain)
  Verdict verdict = Verdict::untested;
  std::string why;  // one line: what decided the verdict
};

struct LegAudit {
  Leg leg = Leg::imap;
  Verdict verdict = Verdict::untested;
  std::string summary;  // one sentence
  // untested only because nothing names a server for this leg (every lookup answered): the
  // domain does not publish it; `client`'s exit code does not count it as "could not test".
  bool nothing_published = false;
};

struct ClientReport {
  std::string domain;
  std::string address;  // the user's address when one was given
  Discovery discovery;
  std::vector<ServerAudit> servers;
  std::vector<LegAudit> legs;  // submission, imap, pop3
  std::vector<Finding> findings;
  std::chrono::milliseconds elapsed{0};
};

// Fills name checks, verdicts, leg summaries and findings from the gathered facts.
void assess_client(ClientReport& report);

// `domain` normalised (check::normalise_domain); `address` the user's address or empty.
boost::asio::awaitable<ClientReport> audit_client(Engine& engine, std::string domain,
                                                  std::string address);

}  // namespace intransit::check
