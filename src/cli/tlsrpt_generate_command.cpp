// tlsrpt_generate_command.cpp — see tlsrpt_generate_command.hpp. Only arguments and printing:
// the work is tlsrpt::generate_and_send (the engine, the logs readers, smtp/submit).
#include "cli/tlsrpt_generate_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <random>

#include "core/text.hpp"
#include "logs/syslog_line.hpp"
#include "report/json_text.hpp"
#include "tlsrpt/generate_render.hpp"
#include "tlsrpt/generate_run.hpp"

namespace intransit::cli {

namespace {

constexpr std::int64_t kDay = 86'400;

// "Now"; INTRANSIT_NOW (seconds since the epoch) fixes it for tests, as for `outbound`.
std::int64_t now_seconds() {
  std::int64_t now = std::time(nullptr);
  if (const char* env = std::getenv("INTRANSIT_NOW")) {
    char* end = nullptr;
    const long long v = std::strtoll(env, &end, 10);
    if (end != env && *end == '\0') now = v;
  }
  return now;
}

// A run's own tag in report-ids and file names (RFC 8460 §5.3 "unique-id"): time and chance.
std::string unique_tag(std::int64_t now) {
  std::random_device random;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx%04x", static_cast<unsigned long long>(now),
                static_cast<unsigned>(random() & 0xffff));
  return buf;
}

// What the options say, checked; false (with a message printed) on a usage error.
bool make_setup(const TlsrptGenerateArgs& a, tlsrpt::GenerateSetup& s) {
  const auto usage = [](const std::string& why) {
    std::cerr << "intransit tlsrpt generate: " << why << "\n";
    return false;
  };
  s.now = now_seconds();
  s.report.day = (s.now / kDay - 1) * kDay;  // yesterday: a report covers a finished day
  if (!a.date.empty()) {
    const auto t = logs::parse_rfc3339(a.date);
    if (a.date.size() != 10 || !t)
      return usage("--date '" + text::printable(a.date) + "' is not YYYY-MM-DD");
    s.report.day = t->epoch;
  }
  s.report.organization = a.organization;
  s.report.contact = a.contact;
  s.report.submitter = a.submitter;
  if (s.report.submitter.empty()) {
    const auto at = a.contact.rfind('@');
    if (at == std::string::npos || at + 1 == a.contact.size())
      return usage("--submitter is needed when --contact is not a mail address");
    s.report.submitter = text::lower(a.contact.substr(at + 1));
  }
  for (const char c : s.report.submitter) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-')
      return usage("--submitter '" + text::printable(s.report.submitter) +
                   "' is not a domain name");
  }
  s.report.unique = unique_tag(s.now);
  s.logs = a.logs;
  s.out_dir = a.out_dir;
  s.submit = a.submit;
  s.relay = a.relay;
  s.require_tls = a.require_tls;
  s.mail_from =
      a.mail_from.empty() ? "noreply-smtp-tls-reporting@" + s.report.submitter : a.mail_from;
  const auto problem = tlsrpt::setup_problem(s);
  return problem.empty() || usage(problem);
}

boost::asio::awaitable<void> run_into(check::Engine& engine, const tlsrpt::GenerateSetup& s,
                                      std::vector<logs::Delivery> deliveries,
                                      tlsrpt::GenerateResult& out) {
  co_await tlsrpt::generate_and_send(engine, s, std::move(deliveries), out);
}

}  // namespace

CLI::App* add_tlsrpt_generate_command(CLI::App& tlsrpt, TlsrptGenerateArgs& args) {
  auto* cmd = tlsrpt.add_subcommand(
      "generate",
      "Write (and send) RFC 8460 TLS-RPT reports for one day from your MTA's logs: one per "
      "destination domain that publishes a rua");
  cmd->add_option("--from-logs", args.logs,
                  "Postfix, Exim or Sendmail logs as `outbound` reads them (rotated .gz too, - for "
                  "standard input, journalctl -o json or -o export)")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--org", args.organization, "organization-name in the reports")->required();
  cmd->add_option("--contact", args.contact, "contact-info in the reports (a mail address)")
      ->required();
  cmd->add_option("--date", args.date, "the UTC day to report, YYYY-MM-DD (default: yesterday)");
  cmd->add_option("--out", args.out_dir, "directory the .json.gz reports are written to")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--submitter", args.submitter,
                  "the reporting domain in file names, report-ids and TLS-Report-Submitter "
                  "(default: --contact's domain)");
  cmd->add_flag("--submit", args.submit,
                "send each report to its rua: mailto: through --mail-relay, https: by POST");
  cmd->add_option("--mail-relay", args.relay, "SMTP relay for mailto: rua, HOST[:PORT]");
  cmd->add_option("--mail-from", args.mail_from,
                  "sender of the report mail (default: noreply-smtp-tls-reporting@SUBMITTER)");
  cmd->add_flag("--require-tls", args.require_tls,
                "send no report mail unless the relay offers STARTTLS with a valid certificate");
  cmd->add_option("--format", args.format,
                  "text (for people) or json (intransit.tlsrpt-generate/1)")
      ->check(CLI::IsMember({"text", "json"}));
  add_engine_options(*cmd, args.engine, "policy lookup: ");
  cmd->footer(
      "Each destination domain is audited as `check` does: the rua of its _smtp._tls record, and "
      "its MTA-STS policy\n"
      "(policy-type sts), else its DNSSEC-signed TLSA records (tlsa), else no-policy-found. "
      "Domains without a rua get no report.\n"
      "Exit codes: 0 every report written (and submitted), 1 some submission failed, 2 usage "
      "error, 3 a log could not be\n"
      "read, no delivery was found, or a report could not be written.\n"
      "Example: intransit tlsrpt generate --from-logs /var/log/mail.log --org 'Example Mail' "
      "--contact tlsrpt@example.net --submit --mail-relay localhost");
  return cmd;
}

int run_tlsrpt_generate(const TlsrptGenerateArgs& args) {
  tlsrpt::GenerateSetup setup;
  if (!make_setup(args, setup)) return 2;
  tlsrpt::GenerateResult result;
  std::vector<logs::Delivery> deliveries;
  const bool read = tlsrpt::read_deliveries(setup, deliveries, result);
  for (const auto& in : result.inputs) {
    if (!in.error.empty())
      std::cerr << "intransit tlsrpt generate: " << text::printable(in.error) << "\n";
  }
  if (!read) return kGenerateInputError;
  if (!deliveries.empty()) {
    boost::asio::io_context io;
    std::string error;
    const auto engine =
        check::Engine::create(io.get_executor(), engine_options(args.engine), error);
    if (!engine) {
      std::cerr << "intransit tlsrpt generate: " << error << "\n";
      return 2;
    }
    boost::asio::co_spawn(io, run_into(*engine, setup, std::move(deliveries), result),
                          boost::asio::detached);
    io.run();
  }
  if (args.format == "json")
    std::cout << report::json_text(tlsrpt::generate_to_json(setup, result), 2) << "\n";
  else
    tlsrpt::write_generate_text(std::cout, setup, result);
  std::cout.flush();
  const auto t = tlsrpt::totals(result);
  if (result.domains.empty() && result.outside_day == 0) {
    std::cerr << "intransit tlsrpt generate: no delivery found in " << result.lines.lines
              << " log line(s)\n";
    return kGenerateInputError;
  }
  if (t.unreadable_inputs > 0 || t.write_failed > 0) return kGenerateInputError;
  return t.submit_failed > 0 ? kGenerateSubmitFailed : kGenerateDone;
}

}  // namespace intransit::cli
