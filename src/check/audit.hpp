// audit.hpp — gathers the facts about one recipient domain: the MX, _mta-sts and _smtp._tls
// lookups at once, then per MX host its addresses and TLSA records at once, then every address
// probed concurrently (with DANE attached when it applies, RFC 7672 §2.2) while the MTA-STS
// policy is fetched. Everything runs on the caller's event loop; several domains can be
// audited at the same time on one loop.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/domain_facts.hpp"
#include "check/probe_cache.hpp"
#include "dns/resolver.hpp"
#include "smtp/probe.hpp"
#include "tls/trust_store.hpp"

namespace intransit::check {

struct AuditOptions {
  dns::Resolver* resolver = nullptr;
  std::shared_ptr<const tls::TrustStore> trust;
  std::shared_ptr<boost::asio::ssl::context> tls_context;  // for the SMTP probes
  std::string helo_name = "intransit.invalid";
  smtp::PhaseDeadlines deadlines;
  unsigned short smtp_port = 25;
  unsigned short https_port = 443;
  bool sweep = false;
  ProbeCache* cache = nullptr;  // shares each address's probe between domains when set
  ProbeGate* gate = nullptr;    // asked before every connection when set
  bool allow_private = true;    // false: no connection to special-purpose addresses (serve)
};

// Fills `out` (sweeps included, with --sweep) by the time it returns.
boost::asio::awaitable<void> audit_domain(std::string domain, const AuditOptions& options,
                                          DomainFacts& out);

// RELIABILITY item 58: the deadline of the one quick lookup that says whether any nameserver
// answers this machine at all.
inline constexpr std::chrono::milliseconds kNetworkCheckDeadline{5'000};

// RELIABILITY item 58: one quick lookup of the root's NS RRset. nullopt when a nameserver
// answered (a bogus answer came from somewhere too); else why none did. The engine asks it once,
// before its first audit, so an offline machine is said to be offline at once instead of every
// lookup failing after its own deadline and blaming each domain's nameservers.
boost::asio::awaitable<std::optional<std::string>> network_problem(dns::Resolver& resolver);

// The facts of `domain` when no nameserver answers this machine: nothing looked up, `no_network`
// set to `why`.
void mark_no_network(std::string domain, std::string why, DomainFacts& out);

// A domain name as the user wrote it, normalised: lower case, no trailing dot. nullopt when
// it cannot be a domain name (empty, a label over 63 octets, spaces, ...).
std::optional<std::string> normalise_domain(std::string_view name);

}  // namespace intransit::check
