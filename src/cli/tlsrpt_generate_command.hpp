// tlsrpt_generate_command.hpp — `intransit tlsrpt generate --from-logs LOG... --org NAME
// --contact ADDR [--date YYYY-MM-DD] [--out DIR] [--submit] [--mail-relay HOST[:PORT]] ...`:
// RFC 8460 reports for one UTC day from a sending MTA's logs (tlsrpt/generate_run.hpp), printed
// as text or intransit.tlsrpt-generate/1 JSON (tlsrpt/generate_render.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/engine_args.hpp"

namespace intransit::cli {

struct TlsrptGenerateArgs {
  std::vector<std::string> logs;
  std::string organization, contact, date, out_dir = ".", relay, submitter, mail_from;
  std::string format = "text";
  bool submit = false, require_tls = false;
  EngineArgs engine;
};

// Exit codes of `tlsrpt generate` (man page, EXIT STATUS).
inline constexpr int kGenerateDone = 0;          // every report written (and submitted)
inline constexpr int kGenerateSubmitFailed = 1;  // some submission failed
inline constexpr int kGenerateInputError = 3;  // a log unreadable, no delivery, or a file unwritten

CLI::App* add_tlsrpt_generate_command(CLI::App& tlsrpt, TlsrptGenerateArgs& args);
int run_tlsrpt_generate(const TlsrptGenerateArgs& args);

}  // namespace intransit::cli
