// tlsrpt_command.cpp — see tlsrpt_command.hpp. Reports are committed to the store as they are
// read; the output comes after the whole run, the summary first.
#include "cli/tlsrpt_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>
#include <memory>
#include <stdexcept>

#include "report/json_text.hpp"
#include "tlsrpt/ingest.hpp"
#include "tlsrpt/render.hpp"
#include "tlsrpt/summary.hpp"
#include "tlsrpt/verify.hpp"

namespace intransit::cli {

CLI::App* add_tlsrpt_command(CLI::App& app, TlsrptArgs& args) {
  auto* cmd = app.add_subcommand(
      "tlsrpt",
      "Read TLS-RPT reports (RFC 8460): which senders failed to reach you securely, and why");
  cmd->add_option("input", args.inputs,
                  "report files (.json, or gzip under any name), messages, mboxes or Maildirs "
                  "holding application/tlsrpt+gzip or +json parts, or directories of them");
  cmd->add_option("--store", args.store,
                  "SQLite file that keeps every report once, by (organization-name, report-id), "
                  "and the quarantine (created if missing)");
  cmd->add_option("--format", args.format, "text (for people) or json (intransit.tlsrpt/1)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--verify", args.verify,
                "re-test now what the reports say failed: fetch the MTA-STS policy as an MTA "
                "does (IPv4 and IPv6), probe the MX named in failure-details, check its TLSA set");
  add_engine_options(*cmd, args.engine, "--verify: ");
  cmd->footer(
      "A report that cannot be read (not JSON, gzip past 16 MiB decompressed, nested deeper than "
      "64, "
      "a required field\n"
      "missing) is quarantined with the reason and the run goes on; tolerated deviations from "
      "RFC 8460 are named.\n"
      "Exit codes: 0 every report read and no failed session, 1 some report has failed sessions, 2 "
      "usage error,\n"
      "3 a report was quarantined, an input could not be read or held no report, or the store "
      "cannot be written.\n"
      "With --verify: 0 no failure reproduces now, 1 some failure still reproduces, 4 none does "
      "but some re-test could not run (3 as above).\n"
      "Example: intransit tlsrpt --store tlsrpt.db ~/Maildir/.TLS-RPT\n"
      "Example: intransit tlsrpt --verify google-report.json.gz\n"
      "Sending reports: intransit tlsrpt generate --help");
  args.generate_cmd = add_tlsrpt_generate_command(*cmd, args.generate);
  return cmd;
}

namespace {

boost::asio::awaitable<void> verify_into(check::Engine& engine, std::vector<tlsrpt::Target> targets,
                                         tlsrpt::VerifyResults& out) {
  auto results = co_await tlsrpt::verify(engine, std::move(targets));
  out = std::move(results);
}

// Re-tests the failures of the reports read; false with `error` when the engine cannot start.
bool run_verify(const TlsrptArgs& args, const tlsrpt::Run& run, tlsrpt::VerifyResults& out,
                std::string& error) {
  boost::asio::io_context io;
  const auto engine = check::Engine::create(io.get_executor(), engine_options(args.engine), error);
  if (!engine) return false;
  auto targets = tlsrpt::retest_targets(run.reports);
  boost::asio::co_spawn(io, verify_into(*engine, std::move(targets), out), boost::asio::detached);
  io.run();
  return true;
}

int verify_exit(const tlsrpt::VerifyResults& v) {
  bool untested = false;
  for (const auto& r : v.verdicts) {
    if (r.state == tlsrpt::RetestState::still_failing) return kTlsrptFailures;
    untested = untested || r.state == tlsrpt::RetestState::could_not_test;
  }
  return untested || v.skipped > 0 ? kTlsrptUntested : kTlsrptNoFailure;
}

}  // namespace

int run_tlsrpt(const TlsrptArgs& args) {
  if (args.generate_cmd != nullptr && args.generate_cmd->parsed())
    return run_tlsrpt_generate(args.generate);
  if (args.inputs.empty()) {
    std::cerr << "intransit tlsrpt: give report files, messages, mailboxes or directories to read "
                 "(or `tlsrpt generate` to write reports)\n";
    return 2;
  }
  std::unique_ptr<tlsrpt::ReportStore> store;
  tlsrpt::Run run;
  try {
    if (!args.store.empty()) store = std::make_unique<tlsrpt::ReportStore>(args.store);
    run = tlsrpt::ingest(args.inputs, store.get());
  } catch (const std::runtime_error& e) {
    std::cerr << "intransit tlsrpt: " << e.what() << "\n";
    return kTlsrptInputError;
  }
  const auto summary = tlsrpt::summarize(run.reports);
  tlsrpt::VerifyResults verified;
  if (args.verify) {
    std::string error;
    if (!run_verify(args, run, verified, error)) {
      std::cerr << "intransit tlsrpt: " << error << "\n";
      return 2;
    }
  }
  const tlsrpt::VerifyResults* verify = args.verify ? &verified : nullptr;
  if (args.format == "json") {
    std::cout << report::json_text(tlsrpt::run_to_json(run, summary, args.store, verify), 2)
              << "\n";
  } else {
    tlsrpt::write_run_text(std::cout, run, summary, args.store, verify);
  }
  std::cout.flush();
  for (const auto& p : run.stats.problems) std::cerr << "intransit tlsrpt: " << p << "\n";
  for (const auto& q : run.quarantined)
    std::cerr << "intransit tlsrpt: quarantined " << q.source << ": " << q.reason << "\n";
  if (run.reports.empty() || !run.quarantined.empty() || !run.stats.problems.empty())
    return kTlsrptInputError;
  if (verify != nullptr) return verify_exit(*verify);
  for (const auto& d : summary) {
    if (d.failed > 0) return kTlsrptFailures;
  }
  return kTlsrptNoFailure;
}

}  // namespace intransit::cli
