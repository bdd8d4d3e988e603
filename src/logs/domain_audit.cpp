// domain_audit.cpp — see domain_audit.hpp. The same audit `check` runs (check::audit_domain,
// check::assess), driven by a fixed number of workers that each take the next domain, so a log
// naming thousands of domains is audited politely.
#include "logs/domain_audit.hpp"

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "check/audit.hpp"
#include "check/verdict.hpp"
#include "tls/client_context.hpp"

namespace intransit::logs {

namespace asio = boost::asio;

std::optional<std::map<std::string, Published>> audit_domains(
    const std::vector<std::string>& domains, const AuditSetup& setup, std::string& error) {
  const auto trust = tls::TrustStore::load(setup.ca_file, error);
  if (!trust) return std::nullopt;
  asio::io_context io;
  dns::ResolverOptions resolver_options;
  resolver_options.forward = setup.resolver;
  resolver_options.root_hints = setup.root_hints;
  resolver_options.trust_anchor = setup.trust_anchor;
  resolver_options.deadline = setup.dns_timeout;
  auto resolver = dns::Resolver::create(io.get_executor(), resolver_options, error);
  if (!resolver) return std::nullopt;
  check::AuditOptions options;
  options.resolver = resolver.get();
  options.trust = trust;
  options.tls_context = tls::make_client_context(tls::TlsOffer{});
  options.helo_name = setup.helo;
  options.deadlines.total = setup.timeout;

  std::vector<check::DomainFacts> facts(domains.size());
  std::size_t next = 0;
  // Each worker audits the next domain not yet taken until none is left.
  const auto worker = [&]() -> asio::awaitable<void> {
    while (next < domains.size()) {
      const std::size_t i = next++;
      co_await check::audit_domain(domains[i], options, facts[i]);
    }
  };
  const std::size_t workers =
      std::min<std::size_t>(std::max<std::size_t>(setup.concurrency, 1), domains.size());
  for (std::size_t w = 0; w < workers; ++w) asio::co_spawn(io, worker(), asio::detached);
  io.run();

  std::map<std::string, Published> out;
  for (std::size_t i = 0; i < domains.size(); ++i) {
    const auto assessment = check::assess(facts[i]);
    Published p;
    p.audited = true;
    p.verdict = std::string(check::to_string(assessment.verdict));
    if (assessment.verdict == check::Verdict::enforced) {
      for (const auto& by : assessment.enforced_by) {
        p.dane = p.dane || by == "dane";
        p.mta_sts = p.mta_sts || by == "mta-sts";
      }
    }
    out[domains[i]] = p;
  }
  return out;
}

}  // namespace intransit::logs
