// check_command.cpp — see check_command.hpp. All domains are audited at once on one
// io_context; reports are written when every audit (and sweep) is over, in command-line order.
#include "cli/check_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <unistd.h>

#include <iostream>

#include "check/audit.hpp"
#include "check/verdict.hpp"
#include "report/check_report.hpp"
#include "tls/client_context.hpp"

namespace intransit::cli {
namespace asio = boost::asio;

namespace {

// Rank for --require: higher is better. broken and untested meet only "none".
int rank(check::Verdict v) {
  switch (v) {
    case check::Verdict::enforced: return 4;
    case check::Verdict::no_mail: return 4;  // nothing to protect
    case check::Verdict::opportunistic: return 3;
    case check::Verdict::partial: return 2;
    case check::Verdict::plaintext: return 1;
    case check::Verdict::broken:
    case check::Verdict::untested: return 0;
  }
  return 0;
}

int required_rank(const std::string& level) {
  if (level == "enforced") return 4;
  if (level == "opportunistic") return 3;
  if (level == "partial") return 2;
  return -1;  // none
}

}  // namespace

CLI::App* add_check_command(CLI::App& app, CheckArgs& args) {
  auto* cmd = app.add_subcommand(
      "check", "Is mail to DOMAIN protected in transit? MX, DNSSEC, DANE, MTA-STS, TLS-RPT and every MX probed");
  cmd->add_option("domain", args.domains, "one or more recipient domains (checked at the same time)")->required();
  cmd->add_option("--format", args.format, "text (for people) or json (schema intransit.check/1; JSON Lines for several domains)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--require", args.require,
                  "exit 1 unless every domain is at least: enforced, opportunistic, partial, or none (default)")
      ->check(CLI::IsMember({"enforced", "opportunistic", "partial", "none"}));
  cmd->add_option("--resolver", args.resolver, "forward DNS to this recursive resolver's IP (still validated here)");
  cmd->add_option("--root-hints", args.root_hints, "root hints file for own recursion from a private root")
      ->envname("INTRANSIT_ROOT_HINTS");
  cmd->add_option("--trust-anchor", args.trust_anchor, "DNSSEC trust anchor file (default " + std::string(dns::kDefaultTrustAnchor) + ")")
      ->envname("INTRANSIT_TRUST_ANCHOR");
  cmd->add_option("--ca-file", args.ca_file, "trust anchors (PEM) for certificates instead of the system store")
      ->envname("INTRANSIT_CA_FILE");
  cmd->add_option("--helo", args.helo, "name to send in EHLO");
  cmd->add_option("--timeout", args.timeout, "deadline for the whole probe of one MX address, seconds")
      ->check(CLI::Range(1.0, 3600.0));
  cmd->add_option("--dns-timeout", args.dns_timeout, "deadline for one DNS lookup, seconds")->check(CLI::Range(0.5, 120.0));
  cmd->add_flag("--sweep", args.sweep, "also sweep every TLS version and suite of every MX address");
  cmd->add_flag("-v,--verbose", args.verbose, "show informational findings and SMTP transcripts");
  cmd->footer(
      "Verdicts: enforced, opportunistic, partial, plaintext, broken, no-mail, untested.\n"
      "Exit codes: 0 every domain meets --require, 1 some domain is below it, 2 usage error, "
      "3 some domain could not be tested (and none is below).");
  return cmd;
}

int run_check(const CheckArgs& args) {
  std::vector<std::string> domains;
  for (const auto& d : args.domains) {
    const auto normalised = check::normalise_domain(d);
    if (!normalised) {
      std::cerr << "intransit check: '" << d << "' is not a domain name\n";
      return 2;
    }
    domains.push_back(*normalised);
  }
  std::string error;
  const auto trust = tls::TrustStore::load(args.ca_file, error);
  if (!trust) {
    std::cerr << "intransit check: " << error << "\n";
    return 2;
  }
  asio::io_context io;
  dns::ResolverOptions resolver_options;
  resolver_options.forward = args.resolver;
  resolver_options.root_hints = args.root_hints;
  resolver_options.trust_anchor = args.trust_anchor;
  resolver_options.deadline = std::chrono::milliseconds(static_cast<long long>(args.dns_timeout * 1000));
  auto resolver = dns::Resolver::create(io.get_executor(), resolver_options, error);
  if (!resolver) {
    std::cerr << "intransit check: " << error << "\n";
    return 2;
  }
  check::AuditOptions options;
  options.resolver = resolver.get();
  options.trust = trust;
  options.tls_context = tls::make_client_context(tls::TlsOffer{});
  options.helo_name = args.helo;
  options.deadlines.total = std::chrono::milliseconds(static_cast<long long>(args.timeout * 1000));
  options.sweep = args.sweep;

  std::vector<check::DomainFacts> facts(domains.size());
  asio::co_spawn(io, check::audit_domains(domains, options, facts), asio::detached);
  if (args.format == "text" && isatty(STDERR_FILENO) != 0) {
    std::cerr << "checking " << domains.size() << " domain(s)" << (args.sweep ? " with TLS sweeps" : "") << "...\n";
  }
  io.run();

  const int required = required_rank(args.require);
  bool below = false;
  bool untested = false;
  report::TextStyle style;
  style.colour = isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nullptr;
  style.verbose = args.verbose;
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const auto assessment = check::assess(facts[i]);
    if (assessment.verdict == check::Verdict::untested) {
      untested = true;
    } else if (rank(assessment.verdict) < required) {
      below = true;
    }
    if (args.format == "json") {
      const auto j = report::check_to_json(facts[i], assessment);
      std::cout << (facts.size() == 1 ? j.dump(2) : j.dump()) << "\n";
    } else {
      if (i > 0) std::cout << "\n";
      report::write_check_text(std::cout, facts[i], assessment, style);
    }
  }
  if (below) return kCheckBelow;
  return untested ? kCheckUntested : kCheckMet;
}

}  // namespace intransit::cli
