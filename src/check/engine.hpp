// engine.hpp — the audit engine: the one implementation behind `check`, `probe` and, later,
// `scan`, `serve`, `outbound --check` and `tlsrpt --verify` (DESIGN.md §4). It owns what every
// front end would otherwise set up for itself — the validating resolver (libunbound, DNSSEC per
// RFC 4033-4035), the certificate trust store, the TLS client context, the deadlines — and runs
// audits and probes on the caller's io_context. A front end parses its arguments, creates one
// Engine, awaits audit() or probe() as often and as concurrently as it likes, and prints.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/addresses.hpp"
#include "check/audit.hpp"
#include "check/domain_facts.hpp"
#include "check/https_get.hpp"
#include "check/keys_audit.hpp"
#include "check/probe_cache.hpp"
#include "check/verdict.hpp"
#include "dns/resolver.hpp"
#include "smtp/probe.hpp"
#include "smtp/sweep.hpp"

namespace intransit::check {

struct EngineOptions {
  dns::ResolverOptions dns;  // forward resolver, root hints, trust anchor, deadline
  std::string ca_file;       // certificate trust anchors; empty: the system store
  std::string helo_name = "intransit.invalid";  // EHLO name (a scanner's should identify it)
  smtp::PhaseDeadlines deadlines;  // per probe of one address; total includes the sweep
  bool sweep = false;              // also sweep TLS versions and suites
  unsigned short smtp_port = 25;
  unsigned short https_port = 443;        // MTA-STS policy hosts
  std::size_t max_audits_in_flight = 64;  // domains audited at once; the rest wait their turn
  // Share per-address probes between domains (probe_cache.hpp): at most this many finished
  // probes kept; 0 probes every domain's addresses itself (check's default).
  std::size_t probe_cache_entries = 0;
  // Asked before every SMTP connection (a scan's politeness and opt-out list); none when null.
  std::shared_ptr<ProbeGate> gate;
  // Connect to special-purpose addresses (check/address_policy.hpp) for SMTP probes and the
  // MTA-STS fetch. check, probe and scan do; serve does not unless --allow-private (issue 18).
  bool allow_private = true;
};

// One domain's audit: the facts and the verdict drawn from them (DESIGN.md §3), and, when asked
// (`check --address LOCAL`), the keys of LOCAL@domain: reported beside the verdict, never part of
// it (explicit encryption does not change how the hops protect the message).
struct DomainReport {
  DomainFacts facts;
  Assessment assessment;
  std::vector<AddressKeys> keys;  // one per local part asked for, in that order
};

class Engine {
 public:
  // nullptr with `error` set when the options cannot work: a trust anchor, root hints or CA file
  // that does not load is the user's mistake (exit 2), not a finding about anyone's mail.
  static std::unique_ptr<Engine> create(const boost::asio::any_io_executor& executor,
                                        EngineOptions options, std::string& error);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Audits `domain` (normalised: lower case, no trailing dot). At most max_audits_in_flight run
  // at once; the others wait here. Before the first, one quick lookup checks that any nameserver
  // answers this machine (RELIABILITY.md item 58); if none does, every audit is `no-network` at
  // once. Then, outside the audit's slot, keys() of each `locals` part at `domain`, in order.
  boost::asio::awaitable<DomainReport> audit(std::string domain,
                                             std::vector<std::string> locals = {});

  // Probes one address, reached by `server_name` (SNI and the certificate name check; empty for
  // none). `mode` is STARTTLS or implicit TLS, `protocol` the dialogue (SMTP unless `probe
  // --protocol` says otherwise). The sweep, if enabled, shares the probe's deadline.
  boost::asio::awaitable<ProbeReport> probe(boost::asio::ip::tcp::endpoint endpoint,
                                            std::string server_name,
                                            smtp::TlsMode mode = smtp::TlsMode::starttls,
                                            smtp::Protocol protocol = smtp::Protocol::smtp);

  // The MTA-STS policy of `domain` fetched as an MTA fetches it (policy_fetch.hpp: no redirect,
  // PKIX-valid certificate, one deadline), from the policy host's addresses of `family` only.
  boost::asio::awaitable<PolicyFetch> fetch_policy(std::string domain,
                                                   AddressFamily family = AddressFamily::any);

  // `keys ADDRESS` (issue 21): how a sender would find a key for `address` (WKD, OPENPGPKEY,
  // SMIMEA) and whether it could encrypt with it; lookups through the validating resolver, the
  // WKD fetch with the run's trust anchors on https_port.
  boost::asio::awaitable<AddressKeys> keys(std::string address);

  // A host's addresses through the validating resolver (the same answers an audit would use).
  boost::asio::awaitable<HostAddresses> addresses(std::string host);

  // One lookup through the validating resolver (SRV for `client`, say).
  boost::asio::awaitable<dns::Answer> lookup(std::string name, dns::RrType type);

  // One bounded GET (check/https_get.hpp) with the engine's trust anchors, HTTPS port and
  // special-purpose address rule filled in.
  boost::asio::awaitable<HttpsFetch> fetch(HttpsRequest request);

  const EngineOptions& options() const { return options_; }
  // The shared probes, when probe_cache_entries is not 0 (for counting connections).
  const ProbeCache* probe_cache() const { return probe_cache_.get(); }
  // Audits now waiting for a shared probe without holding a slot, and a call each time one more
  // does (a scan then starts another domain in its place).
  std::size_t parked() const { return parked_; }
  void on_park(std::function<void()> call) { on_park_ = std::move(call); }

 private:
  Engine(EngineOptions options, std::unique_ptr<dns::Resolver> resolver, AuditOptions audit,
         const boost::asio::any_io_executor& executor);

  EngineOptions options_;
  std::unique_ptr<dns::Resolver> resolver_;
  AuditOptions audit_options_;
  std::unique_ptr<ProbeCache> probe_cache_;
  boost::asio::awaitable<void> check_network_once();
  boost::asio::awaitable<DomainReport> audit_only(std::string domain);  // audit() without keys

  // Audit slots: at most max_audits_in_flight audits at work; the others wait in line, and a
  // freed slot goes to the first in line (no herd of waiters woken for one slot). An audit
  // waiting for a shared probe another audit runs (a slow server's) gives its slot up meanwhile
  // and takes it back, over the limit if need be, when the probe ends: `parked_` of them.
  struct SlotWaiter;
  boost::asio::awaitable<void> take_slot();
  void free_slot();
  std::size_t audits_in_flight_ = 0;
  std::size_t parked_ = 0;
  std::function<void()> on_park_;
  std::list<SlotWaiter*> slot_line_;
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer network_checked_;  // cancelled when the network check ends
  enum class Network : std::uint8_t {
    unchecked,
    checking,
    answers,
    silent
  } network_ = Network::unchecked;
  std::string network_problem_;  // why, when silent
};

}  // namespace intransit::check
