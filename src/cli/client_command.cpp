// client_command.cpp — see client_command.hpp.
#include "cli/client_command.hpp"

#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

#include "check/audit.hpp"
#include "check/client_audit.hpp"
#include "check/engine.hpp"
#include "cli/usage.hpp"
#include "report/client_report.hpp"
#include "report/json_text.hpp"

namespace intransit::cli {
namespace asio = boost::asio;

namespace {

// As check's --require: higher is better; broken and untested meet only "none".
int rank(check::Verdict v) {
  switch (v) {
    case check::Verdict::enforced:
    case check::Verdict::no_mail: return 4;  // not offered: nothing to protect
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
  return -1;
}

asio::awaitable<void> audit_into(check::Engine& engine, std::string domain, std::string address,
                                 check::ClientReport& slot) {
  slot = co_await check::audit_client(engine, std::move(domain), std::move(address));
}

}  // namespace

CLI::App* add_client_command(CLI::App& app, ClientArgs& args) {
  auto* cmd = app.add_subcommand(
      "client",
      "Which servers would a mail client use for DOMAIN (SRV, autoconfig), and is each leg "
      "(submission, IMAP, POP3) protected?");
  cmd->add_option("target", args.target, "a mail domain, or an address (its domain is used)")
      ->required();
  cmd->add_option("--format", args.format, "text (for people) or json (schema intransit.client/1)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--require", args.require,
                  "exit 1 unless every leg found is at least: enforced, opportunistic, partial, "
                  "or none (default)")
      ->check(CLI::IsMember({"enforced", "opportunistic", "partial", "none"}));
  add_engine_options(*cmd, args.engine);
  cmd->add_flag("-v,--verbose", args.verbose, "show informational findings and every dialogue");
  cmd->add_flag("--no-private", args.no_private,
                "refuse special-purpose addresses (loopback, private, ...) for servers and "
                "autoconfig hosts, as serve does");
  cmd->footer(
      "Verdicts per leg: enforced, opportunistic, partial, plaintext, broken, no-mail (SRV says "
      "not offered), untested.\n"
      "Exit codes: 0 every leg found meets --require, 1 some leg is below it, 2 usage error, "
      "3 some leg could not be tested (and none is below); a leg nothing names is not counted.\n"
      "Example: intransit client example.org\n"
      "         intransit client alice@example.org --format json --require enforced");
  return cmd;
}

int run_client(const ClientArgs& args) {
  std::string address;
  std::string domain_text = args.target;
  if (const auto at = args.target.rfind('@'); at != std::string::npos) {
    address = args.target;
    domain_text = args.target.substr(at + 1);
  }
  const auto domain = check::normalise_domain(domain_text);
  if (is_ip_literal(domain_text) || !domain) {
    std::cerr << "intransit client: '" << domain_text << "' is not a mail domain\n";
    return 2;
  }
  check::EngineOptions options = engine_options(args.engine);
  options.allow_private = !args.no_private;
  asio::io_context io;
  std::string error;
  const auto engine = check::Engine::create(io.get_executor(), options, error);
  if (!engine) {
    std::cerr << "intransit client: " << error << "\n";
    return 2;
  }
  check::ClientReport report;
  asio::co_spawn(io, audit_into(*engine, *domain, address, report), asio::detached);
  if (args.format == "text" && isatty(STDERR_FILENO) != 0)
    std::cerr << "discovering and probing the mail servers of " << *domain << "...\n";
  io.run();
  if (args.format == "json") {
    std::cout << report::json_text(report::client_to_json(report), 2) << "\n";
  } else {
    report::write_client_text(std::cout, report, args.verbose);
  }
  bool below = false, untested = false;
  for (const auto& leg : report.legs) {
    if (leg.nothing_published) continue;
    if (leg.verdict == check::Verdict::untested) {
      untested = true;
    } else if (rank(leg.verdict) < required_rank(args.require)) {
      below = true;
    }
  }
  if (below) return kClientBelow;
  return untested ? kClientUntested : kClientMet;
}

}  // namespace intransit::cli
