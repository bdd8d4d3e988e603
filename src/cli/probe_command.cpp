// probe_command.cpp — see probe_command.hpp. Arguments in, report out: a name resolves through
// the audit engine's validating resolver (the DNS options of check) to all its addresses, and the
// engine probes each concurrently on one io_context.
#include "cli/probe_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>

#include <iostream>
#include <optional>

#include "check/engine.hpp"
#include "cli/engine_args.hpp"
#include "cli/usage.hpp"
#include "report/json_text.hpp"
#include "report/probe_report.hpp"

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

// A coroutine's parameters live in its frame (a lambda's captures would not): hence functions.
asio::awaitable<void> resolve_into(check::Engine& engine, std::string host,
                                   check::HostAddresses& slot) {
  slot = co_await engine.addresses(std::move(host));
}

asio::awaitable<void> probe_into(check::Engine& engine, tcp::endpoint endpoint, std::string name,
                                 smtp::ProtocolChoice protocol, check::ProbeReport& slot) {
  slot = co_await engine.probe(endpoint, std::move(name), protocol.mode, protocol.protocol);
}

// The port a protocol listens on by default (RFC 8314 §7.3, RFC 6409, RFC 9051, RFC 1939).
unsigned short default_port(std::string_view protocol) {
  for (const int port : {25, 587, 465, 143, 993, 110, 995}) {
    const auto p = smtp::protocol_for_port(static_cast<unsigned short>(port));
    if (smtp::protocol_name(p.protocol, p.mode) == protocol)
      return static_cast<unsigned short>(port);
  }
  return 25;
}

// The addresses to probe: the literal itself, or the name's A and AAAA answers through the
// engine's validating resolver (the same code and DNS options as check). Empty with `why` set
// when there are none or the lookup failed.
std::vector<tcp::endpoint> endpoints_of(asio::io_context& io, check::Engine& engine,
                                        const Target& target, unsigned short port,
                                        std::string& why) {
  boost::system::error_code ec;
  const auto literal = asio::ip::make_address(target.host, ec);
  if (!ec) return {tcp::endpoint(literal, port)};
  check::HostAddresses found;
  asio::co_spawn(io, resolve_into(engine, target.host, found), asio::detached);
  io.run();
  io.restart();
  std::vector<tcp::endpoint> endpoints;
  for (const auto& ip : found.ips) endpoints.emplace_back(asio::ip::make_address(ip, ec), port);
  if (endpoints.empty()) {
    why = !found.conclusive()
              ? "the lookup failed (" + std::string(dns::to_string(found.a.status)) + ", " +
                    std::string(dns::to_string(found.aaaa.status)) + ")"
              : "no A or AAAA record";
  }
  return endpoints;
}

}  // namespace

CLI::App* add_probe_command(CLI::App& app, ProbeArgs& args) {
  auto* cmd = app.add_subcommand(
      "probe",
      "Probe one mail server in depth (SMTP, submission, IMAP, POP3): greeting, capabilities, "
      "STARTTLS, TLS, certificate");
  cmd->add_option("target", args.target,
                  "HOST, HOST:PORT or [IPv6]:PORT (a name is probed on all its addresses)")
      ->required();
  cmd->add_option("--name", args.name,
                  "MX host name for SNI and the certificate name check (default: HOST if a name)");
  cmd->add_option("--port", args.port,
                  "port; default from --protocol, else 25 (the port picks the protocol: 587 "
                  "submission, 465 submissions, 143 imap, 993 imaps, 110 pop3, 995 pop3s)")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--protocol", args.protocol,
                  "smtp, submission, submissions, imap, imaps, pop3 or pop3s (default: from the "
                  "port)")
      ->check(
          CLI::IsMember({"smtp", "submission", "submissions", "imap", "imaps", "pop3", "pop3s"}));
  cmd->add_option("--format", args.format, "text (for people) or json (schema intransit.probe/1)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-v,--verbose", args.verbose, "show the SMTP transcript");
  // A name is resolved by the same validating code as check, with the same DNS options.
  add_engine_options(*cmd, args.engine);
  cmd->add_flag("--sweep", args.sweep,
                "also learn every TLS version and accepted suite (rated after NCSC-NL) and the "
                "server's order");
  cmd->footer(
      "Exit codes: 0 every address was tested (whatever it offers), 1 some address could not be "
      "tested (timeout, refused, ...), 2 usage error, 3 the name has no address.\n"
      "Example: intransit probe mx.example.org --sweep\n"
      "         intransit probe 192.0.2.25:465 --name mx.example.org --format json\n"
      "         intransit probe imap.example.org --protocol imap");
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
  const unsigned short port = args.port != 0 ? static_cast<unsigned short>(args.port)
                                             : target->port.value_or(default_port(args.protocol));
  check::EngineOptions options = engine_options(args.engine);
  options.sweep = args.sweep;
  asio::io_context io;
  std::string error;
  const auto engine = check::Engine::create(io.get_executor(), options, error);
  if (!engine) {
    std::cerr << "intransit probe: " << error << "\n";
    return 2;
  }
  const auto endpoints = endpoints_of(io, *engine, *target, port, error);
  if (endpoints.empty()) {
    std::cerr << "intransit probe: " << target->host << " has no address: " << error << "\n";
    return kProbeNoAddress;
  }
  boost::system::error_code literal_ec;
  asio::ip::make_address(target->host, literal_ec);
  const bool is_name = literal_ec.failed();
  const std::string name =
      !args.name.empty() ? args.name : (is_name ? target->host : std::string{});
  const auto protocol = args.protocol.empty() ? smtp::protocol_for_port(port)
                                              : *smtp::protocol_from_name(args.protocol);
  std::vector<check::ProbeReport> reports(endpoints.size());
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    asio::co_spawn(io, probe_into(*engine, endpoints[i], name, protocol, reports[i]),
                   asio::detached);
  }
  if (args.format == "text" && (endpoints.size() > 1 || args.sweep)) {
    std::cerr << "probing " << endpoints.size() << " address(es) of " << target->host
              << (args.sweep ? " with a TLS version and suite sweep" : "") << "...\n";
  }
  io.run();

  bool all_tested = true;
  for (const auto& r : reports) all_tested = all_tested && is_conclusive(r.result.outcome);
  if (args.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : reports)
      out.push_back(report::probe_to_json(r.result, r.sweep ? &*r.sweep : nullptr));
    std::cout << report::json_text(reports.size() == 1 ? out.front() : out, 2) << "\n";
  } else {
    for (const auto& r : reports)
      report::write_probe_text(std::cout, r.result, args.verbose, r.sweep ? &*r.sweep : nullptr);
  }
  return all_tested ? kProbeAllTested : kProbeSomeUntested;
}

}  // namespace intransit::cli
