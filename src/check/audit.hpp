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
#include <string>
#include <vector>

#include "check/domain_facts.hpp"
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
};

// Fills `out`, which must outlive the io_context's run: with --sweep the sweeps keep writing
// into it after this coroutine returns, and are complete when the run ends.
boost::asio::awaitable<void> audit_domain(std::string domain, const AuditOptions& options, DomainFacts& out);

// RELIABILITY item 58: the deadline of the one quick lookup that says whether any nameserver
// answers this machine at all.
inline constexpr std::chrono::milliseconds kNetworkCheckDeadline{5'000};

// Audits every domain at once into `out` (sized like `domains`, outliving the run), after one
// quick lookup of the root's NS RRset. When that gets no answer, no domain is looked up: each
// one says `no_network` with the reason, at once, instead of every lookup failing after its own
// deadline and blaming the domain's nameservers.
boost::asio::awaitable<void> audit_domains(std::vector<std::string> domains,
                                           const AuditOptions& options,
                                           std::vector<DomainFacts>& out);

// A domain name as the user wrote it, normalised: lower case, no trailing dot. nullopt when
// it cannot be a domain name (empty, a label over 63 octets, spaces, ...).
std::optional<std::string> normalise_domain(std::string_view name);

}  // namespace intransit::check
