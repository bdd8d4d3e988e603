// engine_args.cpp — see engine_args.hpp.
#include "cli/engine_args.hpp"

#include "cli/usage.hpp"

namespace intransit::cli {

void add_engine_options(CLI::App& cmd, EngineArgs& args, const std::string& when) {
  cmd.add_option("--resolver", args.resolver,
                 when + "forward DNS to this recursive resolver's IP (still validated here)");
  cmd.add_option("--root-hints", args.root_hints,
                 when + "root hints file for own recursion from a private root")
      ->envname("INTRANSIT_ROOT_HINTS")
      ->check(option_file());
  cmd.add_option(
         "--trust-anchor", args.trust_anchor,
         when + "DNSSEC trust anchor file (default " + std::string(dns::kDefaultTrustAnchor) + ")")
      ->envname("INTRANSIT_TRUST_ANCHOR")
      ->check(option_file());
  cmd.add_option("--ca-file", args.ca_file,
                 when + "trust anchors (PEM) for certificates instead of the system store")
      ->envname("INTRANSIT_CA_FILE")
      ->check(option_file());
  cmd.add_option("--helo", args.helo, when + "name to send in EHLO")->check(helo_name());
  cmd.add_option("--timeout", args.timeout,
                 when + "deadline for the whole probe of one address, --sweep included, seconds")
      ->check(seconds_between(1.0, 3600.0));
  cmd.add_option("--dns-timeout", args.dns_timeout, when + "deadline for one DNS lookup, seconds")
      ->check(seconds_between(0.5, 120.0));
}

check::EngineOptions engine_options(const EngineArgs& args) {
  const auto ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  };
  check::EngineOptions options;
  options.dns.forward = args.resolver;
  options.dns.root_hints = args.root_hints;
  options.dns.trust_anchor = args.trust_anchor;
  options.dns.deadline = ms(args.dns_timeout);
  options.ca_file = args.ca_file;
  options.helo_name = args.helo;
  options.deadlines.total = ms(args.timeout);
  return options;
}

}  // namespace intransit::cli
