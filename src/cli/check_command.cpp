// check_command.cpp — see check_command.hpp. All domains are audited at once on one
// io_context; reports are written when every audit (and sweep) is over, in command-line order.
#include "cli/check_command.hpp"

#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <iostream>

#include "check/audit.hpp"
#include "check/engine.hpp"
#include "check/verdict.hpp"
#include "cli/engine_args.hpp"
#include "cli/usage.hpp"
#include "core/text.hpp"
#include "report/check_report.hpp"
#include "report/json_text.hpp"
#include "report/nagios_output.hpp"
#include "report/prometheus_output.hpp"

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
                                 std::vector<std::string> locals, check::DomainReport& slot) {
  slot = co_await engine.audit(std::move(domain), std::move(locals));
}

int required_rank(const std::string& level) {
  if (level == "enforced") return 4;
  if (level == "opportunistic") return 3;
  if (level == "partial") return 2;
  return -1;  // none
}

// A monitoring plugin reports its own trouble as UNKNOWN (3), never as a state of the service.
int usage_exit(const CheckArgs& args) {
  return args.format == "nagios" ? 3 : 2;
}

// --format nagios|prometheus: both read the intransit.check/1 documents (report/check_digest).
int write_monitoring(const CheckArgs& args, const std::vector<check::DomainReport>& reports) {
  std::vector<nlohmann::json> docs;
  docs.reserve(reports.size());
  for (const auto& r : reports) docs.push_back(report::check_to_json(r.facts, r.assessment));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (args.format == "prometheus") {
    std::cout << report::prometheus_output(docs, now);
    bool below = false, untested = false;
    for (const auto& r : reports) {
      untested = untested || r.assessment.verdict == check::Verdict::untested;
      below = below || (r.assessment.verdict != check::Verdict::untested &&
                        rank(r.assessment.verdict) < required_rank(args.require));
    }
    return below ? kCheckBelow : untested ? kCheckUntested : kCheckMet;
  }
  report::NagiosOptions options;
  options.require = args.require;
  options.cert_warn_days = args.cert_warn_days;
  options.cert_crit_days = args.cert_crit_days;
  const auto result = report::nagios_output(docs, options, now);
  std::cout << result.text;
  return static_cast<int>(result.state);
}

}  // namespace

CLI::App* add_check_command(CLI::App& app, CheckArgs& args) {
  auto* cmd = app.add_subcommand("check",
                                 "Is mail to DOMAIN protected in transit? MX, DNSSEC, DANE, "
                                 "MTA-STS, TLS-RPT and every MX probed");
  cmd->add_option("domain", args.domains,
                  "one or more recipient domains (checked at the same time)")
      ->required();
  cmd->add_option("--format", args.format,
                  "text (for people), json (schema intransit.check/1; JSON Lines for several "
                  "domains), nagios (a monitoring plugin's status line, perfdata and exit code) "
                  "or prometheus (text exposition for node_exporter's textfile collector)")
      ->check(CLI::IsMember({"text", "json", "nagios", "prometheus"}));
  cmd->add_option("--require", args.require,
                  "exit 1 unless every domain is at least: enforced, opportunistic, partial, or "
                  "none (default)")
      ->check(CLI::IsMember({"enforced", "opportunistic", "partial", "none"}));
  cmd->add_option("--cert-warn", args.cert_warn_days,
                  "with --format nagios: WARNING when an MX certificate expires within DAYS "
                  "(default 21)")
      ->check(CLI::Range(0, 3650));
  cmd->add_option("--cert-crit", args.cert_crit_days,
                  "with --format nagios: CRITICAL when an MX certificate expires within DAYS "
                  "(default 7)")
      ->check(CLI::Range(0, 3650));
  cmd->add_option("--address", args.locals,
                  "also look up the keys of LOCAL@DOMAIN (WKD, OPENPGPKEY, SMIMEA; as `keys` "
                  "does) and report them beside the verdict, which they do not change; "
                  "repeatable")
      ->type_name("LOCAL")
      ->allow_extra_args(false);  // one value each: `--address alice example.org` keeps the domain
  add_engine_options(*cmd, args.engine);
  cmd->add_flag("--sweep", args.sweep,
                "also sweep every TLS version and suite of every MX address");
  cmd->add_flag("-v,--verbose", args.verbose, "show informational findings and SMTP transcripts");
  cmd->add_flag("--no-private", args.no_private,
                "refuse special-purpose addresses (loopback, private, link-local, ...) for MX "
                "and MTA-STS hosts, as serve does");
  cmd->footer(
      "Verdicts: enforced, opportunistic, partial, plaintext, broken, no-mail, untested.\n"
      "Exit codes: 0 every domain meets --require, 1 some domain is below it, 2 usage error, "
      "3 some domain could not be tested (and none is below).\n"
      "With --format nagios, the plugin's: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
      "Example: intransit check example.org --require enforced\n"
      "         intransit check example.org --address alice --address bob\n"
      "         intransit check example.org --format nagios --require opportunistic --cert-warn "
      "30");
  return cmd;
}

int run_check(const CheckArgs& args) {
  std::vector<std::string> domains;
  for (const auto& d : args.domains) {
    if (is_ip_literal(d)) {
      std::cerr << "intransit check: '" << d
                << "' is an IP address, not a mail domain; to test the server at that "
                << "address use: intransit probe " << d << "\n";
      return usage_exit(args);
    }
    const auto normalised = check::normalise_domain(d);
    if (!normalised) {
      std::cerr << "intransit check: '" << d << "' is not a domain name\n";
      return usage_exit(args);
    }
    domains.push_back(*normalised);
  }
  for (const auto& local : args.locals) {
    if (local.empty() || local.find('@') != std::string::npos) {
      std::cerr << "intransit check: --address takes a local part (alice, not alice@"
                << (domains.empty() ? "example.org" : domains.front()) << "), got '"
                << text::printable(local) << "'\n";
      return usage_exit(args);
    }
  }
  if (!args.locals.empty() && (args.format == "nagios" || args.format == "prometheus")) {
    std::cerr << "intransit check: --address needs --format text or json\n";
    return usage_exit(args);
  }
  check::EngineOptions options = engine_options(args.engine);
  options.sweep = args.sweep;
  options.allow_private = !args.no_private;
  asio::io_context io;
  std::string error;
  const auto engine = check::Engine::create(io.get_executor(), options, error);
  if (!engine) {
    std::cerr << "intransit check: " << error << "\n";
    return usage_exit(args);
  }
  std::vector<check::DomainReport> reports(domains.size());
  for (std::size_t i = 0; i < domains.size(); ++i) {
    asio::co_spawn(io, audit_into(*engine, domains[i], args.locals, reports[i]), asio::detached);
  }
  if (args.format == "text" && isatty(STDERR_FILENO) != 0) {
    std::cerr << "checking " << domains.size() << " domain(s)"
              << (args.sweep ? " with TLS sweeps" : "") << "...\n";
  }
  io.run();

  if (args.format == "nagios" || args.format == "prometheus") {
    return write_monitoring(args, reports);
  }
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
      const auto j = report::check_to_json(facts, assessment, reports[i].keys);
      std::cout << report::json_text(j, reports.size() == 1 ? 2 : -1) << "\n";
    } else {
      if (i > 0) std::cout << "\n";
      report::write_check_text(std::cout, facts, assessment, style, reports[i].keys);
    }
  }
  if (below) return kCheckBelow;
  return untested ? kCheckUntested : kCheckMet;
}

}  // namespace intransit::cli
