// trace_command.cpp — see trace_command.hpp. Messages are reported as they are read (JSON Lines
// for mailboxes), so a large mailbox streams; the summary comes last.
#include "cli/trace_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "report/json_text.hpp"
#include "report/trace_report.hpp"
#include "trace/message.hpp"

namespace intransit::cli {

CLI::App* add_trace_command(CLI::App& app, TraceArgs& args) {
  auto* cmd = app.add_subcommand(
      "trace",
      "How did a received message travel? TLS or not, hop by hop, from its Received headers");
  cmd->add_option("input", args.input,
                  "a message file, an mbox, a Maildir directory, or - for standard input")
      ->required();
  cmd->add_option("--format", args.format,
                  "text (for people) or json (intransit.trace/1, JSON Lines for mailboxes)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--trusted-domain", args.trusted_domains,
                  "hosts under this domain are your own servers (their Received lines cannot be "
                  "forged by senders)");
  cmd->add_option("--trusted-host", args.trusted_hosts,
                  "one of your own servers, by the name it writes after 'by'");
  cmd->add_flag("--summary", args.summary_only, "mailboxes: print only the summary");
  cmd->footer(
      "Hop verdicts: tls, plaintext, local, unknown. Message verdicts: all-tls, plaintext-hop, "
      "no-evidence.\n"
      "Exit codes: 0 no message had a plaintext hop, 1 some message had one, 2 usage error, 3 the "
      "input could not be read\n"
      "or not all of it (no readable message in it, a directory that cannot be listed, a file that "
      "changed while it was read).\n"
      "Example: intransit trace message.eml\n"
      "         intransit trace ~/Maildir --summary --trusted-domain example.org");
  return cmd;
}

namespace {

// Why nothing could be traced (RELIABILITY.md item 54): never "no plaintext hop".
std::string nothing_read(const report::TraceSummary& summary) {
  if (summary.messages() == 0) return "no message read: the input holds none";
  return "no message read: " + std::to_string(summary.messages()) + " found, none readable";
}

// The reading switches of the tests and the differential fuzzer (trace::ReadOptions), from the
// environment: INTRANSIT_TRACE_GMIME_ONLY (set: every message through GMime) and
// INTRANSIT_TRACE_CHUNK_BYTES=N (mailbox ranges of N bytes). Not for users; results are the same.
trace::ReadOptions read_options_from_environment() {
  trace::ReadOptions options;
  options.gmime_only = getenv("INTRANSIT_TRACE_GMIME_ONLY") != nullptr;
  if (const char* chunk = getenv("INTRANSIT_TRACE_CHUNK_BYTES")) {
    options.chunk_bytes = std::strtoull(chunk, nullptr, 10);
  }
  return options;
}

}  // namespace

int run_trace(const TraceArgs& args) {
  std::string error;
  auto input = trace::open_input(args.input, error);
  if (!input) {
    std::cerr << "intransit trace: " << error << "\n";
    return kTraceInputError;
  }
  trace::TrustOptions trust{args.trusted_domains, args.trusted_hosts};
  const bool json = args.format == "json";
  const bool mailbox = input->kind != trace::InputKind::message;
  const bool colour = isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nullptr;
  const bool progress = mailbox && !json && isatty(STDERR_FILENO) != 0;
  report::TraceSummary summary;
  bool plaintext = false;
  // Formatting a message costs more than tracing it: for mailboxes it runs on the reader threads.
  trace::Render render;
  if (!args.summary_only) {
    render = [&](const trace::MessageTrace& m) {
      if (json) return report::json_text(report::trace_to_json(m), mailbox ? -1 : 2) + "\n";
      std::ostringstream text;
      report::write_trace_text(text, m, colour);
      return text.str();
    };
  }
  const auto sink = [&](trace::MessageTrace&& m, std::string&& rendered) {
    summary.add(m);
    plaintext = plaintext || m.verdict == trace::PathVerdict::plaintext_hop;
    if (progress && args.summary_only && summary.messages() % 1000 == 0) {
      std::cerr << "\r" << summary.messages() << " messages" << std::flush;
    }
    std::cout << rendered;
  };
  const trace::ReadOutcome outcome =
      trace::read_messages(*input, trust, render, sink, read_options_from_environment());
  if (progress && args.summary_only) std::cerr << "\r";
  summary.set_read_outcome(outcome);
  if (mailbox) {
    if (json) {
      std::cout << report::json_text(summary.to_json()) << "\n";
    } else {
      summary.write_text(std::cout);
    }
  }
  // Not all of the input was read: say so, and do not let the messages that were read pass for
  // all of it (RELIABILITY.md items 53 and 54).
  for (const auto& problem : outcome.problems) std::cerr << "intransit trace: " << problem << "\n";
  if (!outcome.changed.empty()) {
    std::cerr << "intransit trace: " << args.input << " changed while it was read ("
              << outcome.changed << "): " << summary.messages()
              << " messages read from it as it was; read it again\n";
  }
  if (summary.messages() == summary.unreadable()) {
    std::cerr << "intransit trace: " << nothing_read(summary) << "\n";
    return kTraceInputError;
  }
  if (!outcome.problems.empty() || !outcome.changed.empty()) return kTraceInputError;
  return plaintext ? kTracePlaintextHop : kTraceAllTls;
}

}  // namespace intransit::cli
