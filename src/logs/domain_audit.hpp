// domain_audit.hpp — what each destination domain publishes (DANE, MTA-STS enforce), found by the
// audit `check` runs (check/audit.hpp, check/verdict.hpp): each domain once, a bounded number at
// a time, on one event loop.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "logs/advice.hpp"

namespace intransit::logs {

// Options for the audit of destination domains, as `check` takes them.
struct AuditSetup {
  std::string resolver, root_hints, trust_anchor, ca_file;
  std::string helo = "intransit.invalid";
  std::chrono::milliseconds timeout{120'000};
  std::chrono::milliseconds dns_timeout{10'000};
  std::size_t concurrency = 8;  // domains audited at the same time
};

// Audits each domain once, at most `setup.concurrency` at a time, and says what each publishes.
// nullopt with `error` when the resolver or the trust store cannot be set up.
std::optional<std::map<std::string, Published>> audit_domains(
    const std::vector<std::string>& domains, const AuditSetup& setup, std::string& error);

}  // namespace intransit::logs
