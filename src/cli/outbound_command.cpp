// outbound_command.cpp — see outbound_command.hpp. Deliveries are printed as they are read
// (JSON Lines), the summary last; --follow prints until SIGINT/SIGTERM, then the summary.
#include "cli/outbound_command.hpp"

#include <unistd.h>

#include <csignal>
#include <ctime>
#include <iostream>

#include "cli/engine_args.hpp"
#include "cli/usage.hpp"
#include "core/text.hpp"
#include "logs/domain_audit.hpp"
#include "logs/log_source.hpp"
#include "report/outbound_report.hpp"

namespace intransit::cli {

namespace {

constexpr std::size_t kJsonBatchBytes = std::size_t{1} << 20;

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) {
  g_stop = 1;
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the follow loop's pause ends at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// "Now" for year inference; INTRANSIT_NOW (seconds since the epoch) fixes it for tests.
logs::TimeContext time_context() {
  std::int64_t now = std::time(nullptr);
  if (const char* env = std::getenv("INTRANSIT_NOW")) {
    char* end = nullptr;
    const long long v = std::strtoll(env, &end, 10);
    if (end != env && *end == '\0') now = v;
  }
  return logs::TimeContext::at(now);
}

bool parse_bound(const std::string& text, const char* name, std::optional<std::int64_t>& out) {
  if (text.empty()) return true;
  const auto t = logs::parse_rfc3339(text);
  if (!t) {
    std::cerr
        << "intransit outbound: " << name << " '" << text
        << "' is not a time (2026-12-02, 2026-12-02T12:00:00Z or 2026-12-02 12:00:00+01:00)\n";
    return false;
  }
  out = t->epoch;
  return true;
}

std::vector<logs::Advice> make_advice(const OutboundArgs& args, const logs::Tally& tally,
                                      bool& ok) {
  std::vector<std::string> domains;
  for (const auto& [name, t] : tally.ranked()) {
    if (!name.empty()) domains.push_back(name);
  }
  logs::AuditSetup setup;
  setup.resolver = args.engine.resolver;
  setup.root_hints = args.engine.root_hints;
  setup.trust_anchor = args.engine.trust_anchor;
  setup.ca_file = args.engine.ca_file;
  setup.helo = args.engine.helo;
  setup.timeout = std::chrono::milliseconds(static_cast<long long>(args.engine.timeout * 1000));
  setup.dns_timeout =
      std::chrono::milliseconds(static_cast<long long>(args.engine.dns_timeout * 1000));
  setup.concurrency = args.concurrency;
  std::string error;
  if (args.format == "text" && isatty(STDERR_FILENO) != 0) {
    std::cerr << "auditing " << domains.size() << " destination domain(s)...\n";
  }
  const auto published = logs::audit_domains(domains, setup, error);
  if (!published) {
    std::cerr << "intransit outbound: --check: " << error << "\n";
    ok = false;
    return {};
  }
  std::vector<logs::Advice> advice;
  for (const auto& d : domains) {
    const auto it = published->find(d);
    advice.push_back(logs::advise(d, tally.domains().at(d),
                                  it == published->end() ? logs::Published{} : it->second));
  }
  return advice;
}

}  // namespace

CLI::App* add_outbound_command(CLI::App& app, OutboundArgs& args) {
  auto* cmd = app.add_subcommand(
      "outbound", "Did every message your MTA sent leave over TLS? Read from its own logs");
  cmd->add_option("log", args.inputs,
                  "Postfix, Exim or Sendmail logs: files (rotated .gz too, in any order), - for "
                  "standard input, "
                  "or journalctl -o json or -o export output")
      ->required();
  cmd->add_option("--format", args.format,
                  "text (for people) or json (intransit.outbound/1 JSON Lines)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--since", args.since,
                  "only deliveries at or after this time (2026-12-02 or 2026-12-02T12:00:00Z)");
  cmd->add_option("--until", args.until, "only deliveries before this time");
  cmd->add_flag("--follow", args.follow,
                "keep reading one live log as it grows (rotation-safe); Ctrl-C prints the summary");
  cmd->add_flag("--check", args.check,
                "audit each destination domain (as `check` does) and propose the strongest TLS "
                "policy the evidence supports");
  add_engine_options(*cmd, args.engine, "--check: ");
  cmd->add_option("--concurrency", args.concurrency, "--check: domains audited at the same time")
      ->check(CLI::Range(1, 64));
  cmd->footer(
      "Protection: verified (TLS, certificate authenticated), encrypted-unverified (TLS, any "
      "certificate would do),\n"
      "plaintext, unknown (no connection was made, or the MTA logs no TLS: Postfix needs "
      "smtp_tls_loglevel >= 1).\n"
      "Times: syslog stamps without a year (Dec  2 12:00:01) take the current year, or the year "
      "before when that\n"
      "would put them more than a day in the future; stamps without a zone are read as UTC. "
      "Several files are read\n"
      "oldest first, by the first time in each, so rotated files may be given in any order.\n"
      "Exit codes: 0 every judged delivery used TLS, 1 some went in plaintext, 2 usage error, 3 an "
      "input could not be\n"
      "read or no delivery was found.\n"
      "Example: intransit outbound /var/log/mail.log /var/log/mail.log.1 /var/log/mail.log.*.gz\n"
      "         journalctl -u postfix -o json | intransit outbound - --check");
  return cmd;
}

int run_outbound(const OutboundArgs& args) {
  std::optional<std::int64_t> since, until;
  if (!parse_bound(args.since, "--since", since) || !parse_bound(args.until, "--until", until))
    return 2;
  if (args.follow && (args.inputs.size() != 1 || args.inputs[0] == "-")) {
    std::cerr << "intransit outbound: --follow takes exactly one log file (not -)\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  const bool json = args.format == "json";
  const auto ctx = time_context();
  const bool tls_logged = logs::prescan_tls_logged(args.inputs);
  logs::LogParser parser(ctx, tls_logged);
  logs::Tally tally;
  report::OutboundRun run;
  run.tally = &tally;
  // JSON Lines are gathered into writes of about a MiB: a gigabyte of log is a million
  // deliveries, and a stream write per line cost a system call every 8 KiB.
  std::string batch;
  const auto write_batch = [&] {
    std::cout.write(batch.data(), static_cast<std::streamsize>(batch.size()));
    batch.clear();
  };
  const auto emit = [&](logs::Delivery& d) {
    if ((since && d.time_known && d.time < *since) || (until && d.time_known && d.time >= *until)) {
      ++run.outside_period;
      return;
    }
    tally.add(d);
    if (json) {
      report::append_delivery_json_line(batch, d);
      batch += '\n';
      if (args.follow || batch.size() >= kJsonBatchBytes) write_batch();
    } else if (args.follow) {
      report::write_delivery_text(std::cout, d);
      std::cout.flush();
    }
  };
  bool input_error = false;
  if (args.follow) {
    install_stop_handlers();
    std::string error;
    const auto idle = [&] { std::cout.flush(); };
    if (!logs::follow_input(args.inputs[0], parser, emit, g_stop, idle, error)) input_error = true;
    run.inputs.push_back({args.inputs[0], error});
  } else {
    for (const auto& path : logs::order_inputs(args.inputs, ctx)) {
      std::string error;
      if (!logs::read_input(path, parser, emit, error)) input_error = true;
      run.inputs.push_back({path, error});
    }
  }
  write_batch();
  for (const auto& in : run.inputs) {
    if (!in.error.empty()) std::cerr << "intransit outbound: " << text::printable(in.error) << "\n";
  }
  run.lines = parser.stats();
  run.tls_logged = parser.tls_logged();
  std::vector<logs::Advice> advice;
  if (args.check && tally.deliveries() > 0) {
    bool ok = true;
    advice = make_advice(args, tally, ok);
    if (!ok) return kOutboundInputError;
    run.advice = &advice;
  }
  if (json) {
    std::cout << report::outbound_summary_to_json(run).dump() << '\n';
  } else {
    report::write_outbound_text(std::cout, run);
  }
  std::cout.flush();
  if (tally.deliveries() == 0) {
    std::cerr << "intransit outbound: no delivery found in " << report::thousands(run.lines.lines)
              << " log line(s)\n";
  }
  if (input_error || tally.deliveries() == 0) return kOutboundInputError;
  return tally.total().count(logs::Protection::plaintext) > 0 ? kOutboundPlaintext
                                                              : kOutboundAllTls;
}

}  // namespace intransit::cli
