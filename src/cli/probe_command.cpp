// probe_command.cpp — see probe_command.hpp. A name resolves (through the system resolver) to
// all its addresses; each is probed concurrently on one io_context.
#include "cli/probe_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>

#include <iostream>
#include <optional>

#include "cli/usage.hpp"
#include "report/json_text.hpp"
#include "report/probe_report.hpp"
#include "smtp/probe.hpp"
#include "smtp/sweep.hpp"

namespace intransit::cli {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct Target {
  std::string host;
  std::optional<unsigned short> port;
};

// HOST, HOST:PORT, [IPv6] or [IPv6]:PORT; a bare IPv6 literal has no port.
std::optional<Target> parse_target(const std::string& s, std::string& error) {
  Target t;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string::npos) return std::nullopt;
    t.host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return std::nullopt;
      t.port = parse_port(std::string_view(s).substr(close + 2), error);
      if (!t.port) return std::nullopt;
    }
    return t;
  }
  const auto colon = s.find(':');
  if (colon != std::string::npos && s.find(':', colon + 1) == std::string::npos) {
    t.host = s.substr(0, colon);
    t.port = parse_port(std::string_view(s).substr(colon + 1), error);
    if (!t.port) return std::nullopt;
  } else {
    t.host = s;
  }
  return t.host.empty() ? std::nullopt : std::optional<Target>(t);
}

// A coroutine's parameters live in its frame; a capturing lambda's captures would not (the
// lambda object dies after co_spawn calls it), hence a function. The sweep starts only after
// the main probe found TLS, so the server never sees more than the sweep's own connections.
asio::awaitable<void> probe_into(smtp::ProbeOptions options, smtp::ProbeResult& slot,
                                 smtp::SweepResult* sweep) {
  const auto deadline = std::chrono::steady_clock::now() + options.deadlines.total;  // sweep included
  slot = co_await smtp::probe(options);
  if (sweep != nullptr && slot.outcome == ProbeOutcome::ok && slot.tls) {
    smtp::spawn_sweep(co_await asio::this_coro::executor, options, *sweep, deadline);
  }
}

}  // namespace

CLI::App* add_probe_command(CLI::App& app, ProbeArgs& args) {
  auto* cmd = app.add_subcommand("probe", "Probe one SMTP server in depth: banner, EHLO, STARTTLS, TLS, certificate");
  cmd->add_option("target", args.target, "HOST, HOST:PORT or [IPv6]:PORT (a name is probed on all its addresses)")
      ->required();
  cmd->add_option("--name", args.name, "MX host name for SNI and the certificate name check (default: HOST if a name)");
  cmd->add_option("--port", args.port, "25 or 587 (STARTTLS) or 465 (implicit TLS); default 25")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--ca-file", args.ca_file, "trust anchors (PEM) instead of the system store")
      ->envname("INTRANSIT_CA_FILE")
      ->check(option_file());
  cmd->add_option("--format", args.format, "text (for people) or json (schema intransit.probe/1)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--helo", args.helo, "name to send in EHLO")->check(helo_name());
  cmd->add_option("--timeout", args.timeout, "deadline for the whole probe of one address, --sweep included, seconds")
      ->check(seconds_between(1.0, 3600.0));
  cmd->add_flag("-v,--verbose", args.verbose, "show the SMTP transcript");
  cmd->add_flag("--sweep", args.sweep,
                "also learn every TLS version and accepted suite (rated after NCSC-NL) and the server's order");
  cmd->footer(
      "Exit codes: 0 every address was tested (whatever it offers), 1 some address could not be "
      "tested (timeout, refused, ...), 2 usage error, 3 the name has no address.");
  return cmd;
}

int run_probe(const ProbeArgs& args) {
  std::string parse_error;
  const auto target = parse_target(args.target, parse_error);
  if (!target) {
    std::cerr << "intransit probe: cannot parse target '" << args.target << "'"
              << (parse_error.empty() ? "" : ": " + parse_error) << "\n";
    return 2;
  }
  const unsigned short port = args.port != 0 ? static_cast<unsigned short>(args.port) : target->port.value_or(25);
  boost::system::error_code ip_ec;
  const auto literal = asio::ip::make_address(target->host, ip_ec);

  asio::io_context io;
  std::vector<tcp::endpoint> endpoints;
  if (!ip_ec) {
    endpoints.emplace_back(literal, port);
  } else {
    tcp::resolver resolver(io);
    boost::system::error_code ec;
    for (const auto& entry : resolver.resolve(target->host, std::to_string(port), ec)) {
      endpoints.push_back(entry.endpoint());
    }
    if (ec || endpoints.empty()) {
      std::cerr << "intransit probe: " << target->host << " has no address (" << ec.message() << ")\n";
      return kProbeNoAddress;
    }
  }

  // Trust anchors load once for every address (the system store alone costs more than a
  // handshake); a file that does not load is a usage error, not a finding about the server.
  std::string trust_error;
  const auto trust = tls::TrustStore::load(args.ca_file, trust_error);
  if (!trust) {
    std::cerr << "intransit probe: " << trust_error << "\n";
    return 2;
  }
  const auto tls_context = tls::make_client_context(tls::TlsOffer{});

  std::vector<smtp::ProbeResult> results(endpoints.size());
  std::vector<smtp::SweepResult> sweeps(endpoints.size());
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    smtp::ProbeOptions options;
    options.endpoint = endpoints[i];
    options.server_name = !args.name.empty() ? args.name : (ip_ec ? target->host : std::string{});
    options.helo_name = args.helo;
    options.ca_file = args.ca_file;
    options.trust = trust;
    options.tls_context = tls_context;
    options.mode = port == 465 ? smtp::TlsMode::implicit : smtp::TlsMode::starttls;
    options.deadlines.total = std::chrono::milliseconds(static_cast<long long>(args.timeout * 1000));
    asio::co_spawn(io, probe_into(std::move(options), results[i], args.sweep ? &sweeps[i] : nullptr),
                   asio::detached);
  }
  if (args.format == "text" && (endpoints.size() > 1 || args.sweep)) {
    std::cerr << "probing " << endpoints.size() << " address(es) of " << target->host
              << (args.sweep ? " with a TLS version and cipher sweep" : "") << "...\n";
  }
  io.run();

  bool all_tested = true;
  for (const auto& r : results) all_tested = all_tested && is_conclusive(r.outcome);
  if (args.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
      out.push_back(report::probe_to_json(results[i], args.sweep && !sweeps[i].versions.empty() ? &sweeps[i] : nullptr));
    }
    std::cout << report::json_text(results.size() == 1 ? out.front() : out, 2) << "\n";
  } else {
    for (std::size_t i = 0; i < results.size(); ++i) {
      report::write_probe_text(std::cout, results[i], args.verbose,
                               args.sweep && !sweeps[i].versions.empty() ? &sweeps[i] : nullptr);
    }
  }
  return all_tested ? kProbeAllTested : kProbeSomeUntested;
}

}  // namespace intransit::cli
