// strip_proxy_command.hpp — `intransit strip-proxy`: wiring from the command line to
// sink/strip_proxy.hpp; every message it could read is printed as JSON Lines
// ("intransit.strip-capture/1", docs/json-schema.md) on stdout or to --capture FILE.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace intransit::cli {

struct StripProxyArgs {
  std::string listen = "127.0.0.1:10025";
  std::string upstream;
  std::string replace_with;
  std::string capture;  // file for the JSON Lines; stdout when empty
  bool allow_public = false;
};

CLI::App* add_strip_proxy_command(CLI::App& app, StripProxyArgs& args);
int run_strip_proxy(const StripProxyArgs& args);

}  // namespace intransit::cli
