// retest.hpp — what `tlsrpt --verify` re-tests and what it found (the plain data; verify.hpp
// runs the re-tests with the engine, render.hpp prints them). One target per (policy domain,
// result-type, receiving MX) that the reports read say failed (RFC 8460 §4.3, §4.4
// failure-details); each ends in exactly one state, and a re-test that could not run is never
// "no longer reproduces".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/ingest.hpp"

namespace intransit::tlsrpt {

// What can be checked now for a result type: the MTA-STS policy fetch, a probe of the MX, the
// DANE facts (TLSA set, DNSSEC), or nothing (a word RFC 8460 §4.3 does not define).
enum class Retest : std::uint8_t { policy_fetch, probe, dane, none };
std::string_view to_string(Retest retest);
Retest retest_for(std::optional<ResultType> type);

enum class RetestState : std::uint8_t { still_failing, no_longer_reproduces, could_not_test };
std::string_view to_string(RetestState state);

struct Target {
  std::string domain;       // policy-domain
  std::string result_word;  // as reported
  std::optional<ResultType> result_type;
  std::string mx;  // receiving-mx-hostname (lower case, no trailing dot), may be empty
  std::string ip;  // receiving-ip, may be empty
  std::uint64_t failed_sessions = 0;   // over the reports read
  std::vector<std::string> reporters;  // organizations that reported it
};

struct Verdict {
  Target target;
  Retest retest = Retest::none;
  RetestState state = RetestState::could_not_test;
  std::string now;                  // what the re-test found, in plain words
  std::vector<std::string> checks;  // what was done: "fetched https://... over IPv4: ..."
};

struct VerifyResults {
  std::vector<Verdict> verdicts;
  std::size_t skipped = 0;  // targets over limits::tlsrpt::kVerifyTargets (not re-tested)
};

// The targets of the reports read (duplicates within the run skipped), in domain order.
std::vector<Target> retest_targets(const std::vector<ReadReport>& reports);

}  // namespace intransit::tlsrpt
