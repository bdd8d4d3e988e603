// check_command.cpp — see check_command.hpp. All domains are audited at once on one
// io_context; reports are written when every audit (and sweep) is over, in command-line order.
#include "cli/check_command.hpp"

#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

#include "check/audit.hpp"
#include "check/engine.hpp"
#include "check/verdict.hpp"
#include "cli/engine_args.hpp"
#include "cli/usage.hpp"
#include "report/check_report.hpp"
#include "report/json_text.hpp"

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

// A coroutine's parameters live in its frame (a lambda's captures would not): hence a function.
asio::awaitable<void> audit_into(check::Engine& engine, std::string domain,
                                 check::DomainReport& slot) {
  slot = co_await engine.audit(std::move(domain));
}

int required_rank(const std::string& level) {
  if (level == "enforced") return 4;
  if (level == "opportunistic") return 3;
  if (level == "partial") return 2;
  return -1;  // none
}

}  // namespace

CLI::App* add_check_command(CLI::App& app, CheckArgs& args) {
  auto* cmd = app.add_subcommand("check",
                                 "Is mail to DOMAIN protected in transit? MX, DNSSEC, DANE, "
                                 "MTA-STS, TLS-RPT and every MX probed");
  cmd->add_option("domain", args.domains,
                  "one or more recipient domains (checked at the same time)")
      ->required();
  cmd->add_option(
         "--format", args.format,
         "text (for people) or json (schema intransit.check/1; JSON Lines for several domains)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--require", args.require,
                  "exit 1 unless every domain is at least: enforced, opportunistic, partial, or "
                  "none (default)")
      ->check(CLI::IsMember({"enforced", "opportunistic", "partial", "none"}));
  add_engine_options(*cmd, args.engine);
  cmd->add_flag("--sweep", args.sweep,
                "also sweep every TLS version and suite of every MX address");
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
    if (is_ip_literal(d)) {
      std::cerr << "intransit check: '" << d
                << "' is an IP address, not a mail domain; to test the server at that "
                << "address use: intransit probe " << d << "\n";
      return 2;
    }
    const auto normalised = check::normalise_domain(d);
    if (!normalised) {
      std::cerr << "intransit check: '" << d << "' is not a domain name\n";
      return 2;
    }
    domains.push_back(*normalised);
  }
  check::EngineOptions options = engine_options(args.engine);
  options.sweep = args.sweep;
  asio::io_context io;
  std::string error;
  const auto engine = check::Engine::create(io.get_executor(), options, error);
  if (!engine) {
    std::cerr << "intransit check: " << error << "\n";
    return 2;
  }
  std::vector<check::DomainReport> reports(domains.size());
  for (std::size_t i = 0; i < domains.size(); ++i) {
    asio::co_spawn(io, audit_into(*engine, domains[i], reports[i]), asio::detached);
  }
  if (args.format == "text" && isatty(STDERR_FILENO) != 0) {
    std::cerr << "checking " << domains.size() << " domain(s)"
              << (args.sweep ? " with TLS sweeps" : "") << "...\n";
  }
  io.run();

  const int required = required_rank(args.require);
  bool below = false;
  bool untested = false;
  report::TextStyle style;
  style.colour = isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nullptr;
  style.verbose = args.verbose;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const auto& facts = reports[i].facts;
    const auto& assessment = reports[i].assessment;
    if (assessment.verdict == check::Verdict::untested) {
      untested = true;
    } else if (rank(assessment.verdict) < required) {
      below = true;
    }
    if (args.format == "json") {
      const auto j = report::check_to_json(facts, assessment);
      std::cout << report::json_text(j, reports.size() == 1 ? 2 : -1) << "\n";
    } else {
      if (i > 0) std::cout << "\n";
      report::write_check_text(std::cout, facts, assessment, style);
    }
  }
  if (below) return kCheckBelow;
  return untested ? kCheckUntested : kCheckMet;
}

}  // namespace intransit::cli
