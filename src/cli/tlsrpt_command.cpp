// tlsrpt_command.cpp — see tlsrpt_command.hpp. Reports are committed to the store as they are
// read; the output comes after the whole run, the summary first.
#include "cli/tlsrpt_command.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>

#include "report/json_text.hpp"
#include "tlsrpt/ingest.hpp"
#include "tlsrpt/render.hpp"
#include "tlsrpt/summary.hpp"

namespace intransit::cli {

CLI::App* add_tlsrpt_command(CLI::App& app, TlsrptArgs& args) {
  auto* cmd = app.add_subcommand(
      "tlsrpt",
      "Read TLS-RPT reports (RFC 8460): which senders failed to reach you securely, and why");
  cmd->add_option("input", args.inputs,
                  "report files (.json, or gzip under any name), messages, mboxes or Maildirs "
                  "holding application/tlsrpt+gzip or +json parts, or directories of them")
      ->required();
  cmd->add_option("--store", args.store,
                  "SQLite file that keeps every report once, by (organization-name, report-id), "
                  "and the quarantine (created if missing)");
  cmd->add_option("--format", args.format, "text (for people) or json (intransit.tlsrpt/1)")
      ->check(CLI::IsMember({"text", "json"}));
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
      "Example: intransit tlsrpt --store tlsrpt.db ~/Maildir/.TLS-RPT");
  return cmd;
}

int run_tlsrpt(const TlsrptArgs& args) {
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
  if (args.format == "json") {
    std::cout << report::json_text(tlsrpt::run_to_json(run, summary, args.store), 2) << "\n";
  } else {
    tlsrpt::write_run_text(std::cout, run, summary, args.store);
  }
  std::cout.flush();
  for (const auto& p : run.stats.problems) std::cerr << "intransit tlsrpt: " << p << "\n";
  for (const auto& q : run.quarantined)
    std::cerr << "intransit tlsrpt: quarantined " << q.source << ": " << q.reason << "\n";
  if (run.reports.empty() || !run.quarantined.empty() || !run.stats.problems.empty())
    return kTlsrptInputError;
  for (const auto& d : summary) {
    if (d.failed > 0) return kTlsrptFailures;
  }
  return kTlsrptNoFailure;
}

}  // namespace intransit::cli
