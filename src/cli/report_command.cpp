// report_command.cpp — see report_command.hpp. The page is written to a temporary file beside the
// output and renamed over it, so a failed run never leaves half a report.
#include "cli/report_command.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "intransit_version.hpp"
#include "report/html/render.hpp"

namespace intransit::cli {

CLI::App* add_report_command(CLI::App& app, ReportArgs& args) {
  auto* cmd = app.add_subcommand(
      "report", "One self-contained HTML page with charts from saved intransit JSON");
  cmd->add_option("input", args.inputs,
                  "saved JSON: check or scan (JSON Lines), trace, sink report, outbound; - for "
                  "standard input")
      ->required();
  cmd->add_option("-o,--output", args.output, "the HTML file to write")->required();
  cmd->add_option("--title", args.title, "the page's title (default: made from the input)");
  cmd->add_option("--baseline", args.baseline,
                  "an earlier scan (JSON Lines) to compare the population with");
  cmd->footer(
      "Documents are recognised by their \"schema\" field: intransit.check/1, intransit.scan/1, "
      "intransit.trace/1,\nintransit.trace-summary/1, intransit.sink-report/1, "
      "intransit.outbound/1. The page fetches nothing: inline CSS,\ncharts drawn as SVG, one "
      "small inline filter script allowed by its hash in a strict Content-Security-Policy.\n"
      "Exit codes: 0 the page was written, 2 usage error or an input that cannot be read (the "
      "message names\nthe file and line), 73 the page could not be written.\n"
      "Example: intransit report scan.jsonl --baseline last-month.jsonl -o report.html --title "
      "\"Our domains\"");
  return cmd;
}

namespace {

bool write_file(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int run_report(const ReportArgs& args) {
  report::html::Collection now, before;
  try {
    for (const auto& path : args.inputs) now.read(path);
    if (!args.baseline.empty()) before.read(args.baseline);
  } catch (const report::html::InputError& e) {
    std::cerr << "intransit report: " << e.what() << "\n";
    return kReportInputError;
  }
  if (!args.baseline.empty() && before.domains.empty()) {
    std::cerr << "intransit report: " << args.baseline << ": no check document to compare with\n";
    return kReportInputError;
  }
  report::html::RenderOptions options;
  options.title = args.title;
  options.baseline = args.baseline.empty() ? nullptr : &before;
  options.generator = std::string("intransit ") + intransit::kVersion;
  if (!write_file(args.output, report::html::render_report(now, options))) {
    std::cerr << "intransit report: " << args.output << ": cannot write the page\n";
    return kReportOutputError;
  }
  return kReportWritten;
}

}  // namespace intransit::cli
