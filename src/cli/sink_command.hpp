// sink_command.hpp — `intransit sink` (run the test receiver) and `intransit sink report` (what
// each sending server did): wiring from the command line to sink/ and report/sink_report.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace intransit::cli {

struct SinkArgs {
  std::vector<std::string> listen;  // SCENARIO@ADDR:PORT
  std::string store;
  std::string hostname = "sink.invalid";
  std::string certificate;
  std::string key;
  std::vector<std::string> scenario_certificates;  // SCENARIO=CERT,KEY
  int timeout_seconds = 300;
  double greet_wait_seconds = 0.5;  // the pregreet test (RELIABILITY item 39); 0: none
  // report
  std::string format = "text";
};

// Exit codes (README "Exit codes").
inline constexpr int kSinkOk = 0;
inline constexpr int kSinkWeakSender =
    1;  // report: some sender falls back to plaintext or accepts any certificate
inline constexpr int kSinkSetupError = 3;  // cannot listen, cannot open the store, bad certificate

struct SinkCommands {
  CLI::App* sink = nullptr;
  CLI::App* report = nullptr;
};
SinkCommands add_sink_command(CLI::App& app, SinkArgs& args);
int run_sink(const SinkArgs& args);
int run_sink_report(const SinkArgs& args);

}  // namespace intransit::cli
