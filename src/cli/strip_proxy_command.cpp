// strip_proxy_command.cpp — see strip_proxy_command.hpp. A listener outside loopback needs
// --allow-non-loopback: the tool is an attacker by design and must not become one by accident.
#include "cli/strip_proxy_command.hpp"

#include <boost/asio/signal_set.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

#include "cli/endpoint_arg.hpp"
#include "core/endpoint_text.hpp"
#include "report/json_text.hpp"
#include "sink/strip_proxy.hpp"

namespace intransit::cli {

namespace {

nlohmann::json capture_to_json(const sink::Capture& c) {
  return {{"schema", "intransit.strip-capture/1"},
          {"time", c.time},
          {"client", c.client},
          {"upstream", c.upstream},
          {"ehlo", c.ehlo},
          {"starttls_removed", c.starttls_removed},
          {"client_asked_starttls", c.client_asked_starttls},
          {"mail_from", c.mail_from},
          {"rcpt_to", c.rcpt_to},
          {"headers", c.headers},
          {"body_preview", c.body_preview},
          {"data_bytes", c.data_bytes},
          {"upstream_reply",
           c.upstream_reply ? nlohmann::json(*c.upstream_reply) : nlohmann::json(nullptr)}};
}

}  // namespace

CLI::App* add_strip_proxy_command(CLI::App& app, StripProxyArgs& args) {
  auto* cmd = app.add_subcommand(
      "strip-proxy", "A lab man-in-the-middle that strips STARTTLS and shows what it could read");
  cmd->add_option("--listen", args.listen,
                  "ADDRESS:PORT to accept the sending MTA on (loopback by default)");
  cmd->add_option("--upstream", args.upstream, "ADDRESS:PORT of the receiving MTA")->required();
  cmd->add_option(
      "--replace-with", args.replace_with,
      "overwrite STARTTLS with this word instead of removing the line (firewalls write XXXXXXXA)");
  cmd->add_option("--capture", args.capture,
                  "append what it read to this file (JSON Lines) instead of stdout");
  cmd->add_flag("--allow-non-loopback", args.allow_public,
                "allow --listen on an address outside 127.0.0.0/8 and ::1");
  cmd->footer(
      "For demonstrations and tests on networks you control: it downgrades SMTP to plaintext on "
      "purpose.\n"
      "Exit codes: 0 stopped by a signal, 2 usage error, 3 cannot listen or write the capture "
      "file.\n"
      "Example: intransit strip-proxy --listen 127.0.0.1:10025 --upstream 127.0.0.1:25");
  return cmd;
}

int run_strip_proxy(const StripProxyArgs& args) {
  std::string error;
  const auto listen = parse_endpoint(args.listen, error);
  const auto upstream = listen ? parse_endpoint(args.upstream, error) : std::nullopt;
  if (!listen || !upstream) {
    std::cerr << "intransit strip-proxy: " << error << "\n";
    return 2;
  }
  if (!listen->address().is_loopback() && !args.allow_public) {
    std::cerr << "intransit strip-proxy: " << args.listen
              << " is not a loopback address; add --allow-non-loopback if you mean it\n";
    return 2;
  }
  if (args.replace_with.size() != 0 && args.replace_with.size() != 8) {
    std::cerr
        << "intransit strip-proxy: --replace-with must be 8 characters, as long as STARTTLS\n";
    return 2;
  }
  std::ofstream file;
  if (!args.capture.empty()) {
    file.open(args.capture, std::ios::app);
    if (!file) {
      std::cerr << "intransit strip-proxy: cannot write " << args.capture << "\n";
      return 3;
    }
  }
  std::ostream& out = args.capture.empty() ? std::cout : file;
  boost::asio::io_context io;
  try {
    sink::StripProxy proxy(
        io, {*listen, *upstream, args.replace_with, 512}, [&](const sink::Capture& c) {
          out << report::json_text(capture_to_json(c)) << std::endl;
          std::cerr << "strip-proxy: read in plaintext: MAIL FROM:<" << c.mail_from << "> to "
                    << c.rcpt_to.size() << " recipient(s), " << c.data_bytes << " bytes"
                    << (c.starttls_removed ? " (STARTTLS was removed from the server's EHLO reply)"
                                           : "")
                    << "\n";
        });
    const auto bound = proxy.local_endpoint();
    std::cerr << "intransit strip-proxy: a STARTTLS-stripping man-in-the-middle for testing. "
                 "Senders that connect to "
              << net::format_endpoint(bound) << " reach " << args.upstream
              << " without TLS unless they insist on it; what they send is printed.\n";
    std::cout << "listening " << net::format_endpoint(bound) << std::endl;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      proxy.stop();
      io.stop();
    });
    proxy.start();
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "intransit strip-proxy: " << e.what() << "\n";
    return 3;
  }
  return 0;
}

}  // namespace intransit::cli
