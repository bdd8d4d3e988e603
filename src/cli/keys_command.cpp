// keys_command.cpp — see keys_command.hpp. All addresses are looked up at once on one
// io_context; results are printed in command-line order.
#include "cli/keys_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

#include "check/engine.hpp"
#include "report/json_text.hpp"
#include "report/keys_report.hpp"

namespace intransit::cli {
namespace asio = boost::asio;

namespace {

// A coroutine's parameters live in its frame (a lambda's captures would not): hence a function.
asio::awaitable<void> keys_into(check::Engine& engine, std::string address,
                                check::AddressKeys& slot) {
  slot = co_await engine.keys(std::move(address));
}

bool ready(check::KeysVerdict v) {
  return v == check::KeysVerdict::ready_dnssec || v == check::KeysVerdict::ready_webpki ||
         v == check::KeysVerdict::ready_unauthenticated;
}

}  // namespace

CLI::App* add_keys_command(CLI::App& app, KeysArgs& args) {
  auto* cmd = app.add_subcommand("keys",
                                 "Can a sender encrypt to ADDRESS end to end? WKD, OPENPGPKEY "
                                 "and SMIMEA looked up, the key itself checked");
  cmd->add_option("address", args.addresses, "one or more e-mail addresses (looked up at once)")
      ->required();
  cmd->add_option("--format", args.format,
                  "text (for people) or json (schema intransit.keys/1; JSON Lines for several "
                  "addresses)")
      ->check(CLI::IsMember({"text", "json"}));
  add_engine_options(*cmd, args.engine);
  cmd->add_flag("-v,--verbose", args.verbose, "show informational findings and remedies");
  cmd->footer(
      "Verdicts: ready (authenticated by DNSSEC|WebPKI), ready (unauthenticated), key found but "
      "unusable (why), none, could not test.\n"
      "Exit codes: 0 every address has a usable key, 1 some address has none or only unusable "
      "ones, 2 usage error, 3 some address could not be tested (and none is without a key).\n"
      "Example: intransit keys alice@example.org --format json");
  return cmd;
}

int run_keys(const KeysArgs& args) {
  check::EngineOptions options = engine_options(args.engine);
  asio::io_context io;
  std::string error;
  const auto engine = check::Engine::create(io.get_executor(), options, error);
  if (!engine) {
    std::cerr << "intransit keys: " << error << "\n";
    return 2;
  }
  std::vector<check::AddressKeys> results(args.addresses.size());
  for (std::size_t i = 0; i < args.addresses.size(); ++i) {
    asio::co_spawn(io, keys_into(*engine, args.addresses[i], results[i]), asio::detached);
  }
  io.run();
  bool not_ready = false;
  bool untested = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.verdict == check::KeysVerdict::untested) {
      untested = true;
    } else if (!ready(r.verdict)) {
      not_ready = true;
    }
    if (args.format == "json") {
      std::cout << report::json_text(report::keys_to_json(r), results.size() == 1 ? 2 : -1) << "\n";
    } else {
      if (i > 0) std::cout << "\n";
      report::write_keys_text(std::cout, r, args.verbose);
    }
  }
  if (not_ready) return kKeysNotReady;
  return untested ? kKeysUntested : kKeysReady;
}

}  // namespace intransit::cli
