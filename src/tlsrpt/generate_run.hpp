// generate_run.hpp — `tlsrpt generate` end to end: a sending MTA's logs read with `outbound`'s
// readers (logs/log_source.hpp), each destination domain of the day's deliveries audited once
// by the engine (check/engine.hpp) for its TLS-RPT rua (RFC 8460 §3) and the policy a sender
// applies (§4.2: MTA-STS, else DANE TLSA, else none), the reports built (generate.hpp), written
// gzip'd under their §5.3 names, and on request submitted: mailto: as the §5.3 message
// (report_mail.hpp) through a relay (smtp/submit.hpp), https: as a §5.4 POST. The command line
// is in cli/tlsrpt_command.cpp.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/domain_facts.hpp"
#include "check/engine.hpp"
#include "core/limits.hpp"
#include "logs/log_parser.hpp"
#include "tlsrpt/generate.hpp"

namespace intransit::tlsrpt {

struct GenerateSetup {
  std::vector<std::string> logs;  // files, rotated .gz, "-" (outbound's inputs)
  GenerateOptions report;         // organization, contact, submitter, day, unique
  std::string out_dir = ".";
  bool submit = false;
  std::string relay;      // HOST[:PORT] for mailto: rua
  std::string mail_from;  // From: and envelope sender of the report mail
  bool require_tls = false;
  std::chrono::seconds submit_deadline = limits::tlsrpt::kSubmitDeadline;  // one submission
  std::int64_t now = 0;  // the time of the run (year inference, Date:)
};

// One rua the report went to.
struct Submitted {
  std::string rua;
  bool ok = false;
  std::string detail;  // the relay's or the server's answer, or why it was not sent
};

// What happened for one destination domain of the day.
struct DomainOutcome {
  std::string domain;
  std::uint64_t deliveries = 0;  // the day's deliveries to it, sessions or not
  DomainPolicy policy;
  std::string skipped;  // why there is no report ("" when there is one)
  std::optional<GeneratedReport> report;
  std::string path;         // where the report was written
  std::string write_error;  // why it could not be
  std::vector<Submitted> submitted;
};

struct InputRead {
  std::string path, error;
};

struct GenerateResult {
  std::vector<InputRead> inputs;
  logs::LineStats lines;
  std::uint64_t outside_day = 0;  // deliveries read for other days
  std::vector<DomainOutcome> domains;
};

// The policy a sender applies to `facts.domain`, for the report (RFC 8460 §4.2), and its rua.
// sts: a policy in enforce or testing mode was fetched (policy-string: its lines, mx-host: its
// mx patterns); else tlsa: some MX has DNSSEC-secure TLSA records (policy-string: the records);
// else no-policy-found. `why_no_rua` says why there is no rua when there is none.
DomainPolicy policy_from_facts(const check::DomainFacts& facts, std::string& why_no_rua);

// What makes `setup` unusable (a --mail-from an SMTP command cannot carry, a --mail-relay port
// out of range), in words; "" when nothing does.
std::string setup_problem(const GenerateSetup& setup);

// Reads the logs; false when none of them could be read.
bool read_deliveries(const GenerateSetup& setup, std::vector<logs::Delivery>& out,
                     GenerateResult& result);

// Audits the day's destination domains, builds and writes the reports, submits them if asked.
boost::asio::awaitable<void> generate_and_send(check::Engine& engine, const GenerateSetup& setup,
                                               std::vector<logs::Delivery> deliveries,
                                               GenerateResult& result);

}  // namespace intransit::tlsrpt
