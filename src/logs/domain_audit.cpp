// domain_audit.cpp — see domain_audit.hpp. The audit engine `check` uses (check::Engine), with
// its bound on audits in flight, so a log naming thousands of domains is audited politely.
#include "logs/domain_audit.hpp"

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "check/engine.hpp"

namespace intransit::logs {

namespace asio = boost::asio;

namespace {
// A coroutine's parameters live in its frame (a lambda's captures would not): hence a function.
asio::awaitable<void> audit_into(check::Engine& engine, std::string domain,
                                 check::DomainReport& slot) {
  slot = co_await engine.audit(std::move(domain));
}
}  // namespace

std::optional<std::map<std::string, Published>> audit_domains(
    const std::vector<std::string>& domains, const AuditSetup& setup, std::string& error) {
  check::EngineOptions options;
  options.dns.forward = setup.resolver;
  options.dns.root_hints = setup.root_hints;
  options.dns.trust_anchor = setup.trust_anchor;
  options.dns.deadline = setup.dns_timeout;
  options.ca_file = setup.ca_file;
  options.helo_name = setup.helo;
  options.deadlines.total = setup.timeout;
  options.max_audits_in_flight =
      std::max<std::size_t>(setup.concurrency, 1);  // polite to a log's many domains
  asio::io_context io;
  const auto engine = check::Engine::create(io.get_executor(), options, error);
  if (!engine) return std::nullopt;
  std::vector<check::DomainReport> reports(domains.size());
  for (std::size_t i = 0; i < domains.size(); ++i) {
    asio::co_spawn(io, audit_into(*engine, domains[i], reports[i]), asio::detached);
  }
  io.run();

  std::map<std::string, Published> out;
  for (std::size_t i = 0; i < domains.size(); ++i) {
    const auto& assessment = reports[i].assessment;
    Published p;
    p.audited = true;
    p.verdict = std::string(check::to_string(assessment.verdict));
    if (assessment.verdict == check::Verdict::enforced) {
      for (const auto& by : assessment.enforced_by) {
        p.dane = p.dane || by == check::Enforcer::dane;
        p.mta_sts = p.mta_sts || by == check::Enforcer::mta_sts;
      }
    }
    out[domains[i]] = p;
  }
  return out;
}

}  // namespace intransit::logs
