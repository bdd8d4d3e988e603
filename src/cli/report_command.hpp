// report_command.hpp — `intransit report IN.json[l]... -o report.html [--title T]
// [--baseline OLD.jsonl]`: wiring from the command line to the HTML renderer
// (report/html/render.hpp), which turns saved intransit JSON into one self-contained page.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace intransit::cli {

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::string title;
  std::string baseline;
};

// Exit codes of `report` (README "Exit codes").
inline constexpr int kReportWritten = 0;     // the page was written
inline constexpr int kReportInputError = 2;  // usage, or an input (or baseline) that is unreadable,
                                             // not JSON, of an unknown schema, or over a limit
inline constexpr int kReportOutputError = 73;  // the page could not be written (EX_CANTCREAT)

CLI::App* add_report_command(CLI::App& app, ReportArgs& args);
int run_report(const ReportArgs& args);

}  // namespace intransit::cli
