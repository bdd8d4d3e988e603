// judgement.hpp — `sink report`'s reasoning, pure: from the store's sessions and deliveries to,
// per sending server (client address), what it did on each scenario and what that means, in
// plain words (DESIGN.md §3 "Sending server"). A scenario the sender never reached is
// "not tested", never "passed".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/severity.hpp"
#include "sink/behaviour.hpp"
#include "sink/records.hpp"

namespace intransit::sink {

// One session of one sender on one scenario.
struct Attempt {
  std::int64_t session = 0;
  std::string time;
  TlsOutcome tls = TlsOutcome::none;
  std::string tls_version;
  std::string tls_cipher;
  std::string tls_error;
  std::string sni;
  bool starttls_offered = false;
  int delivered = 0;        // messages accepted in this session
  int rejected = 0;         // delivery attempts that ended without a 250
  bool requiretls = false;  // some message in it carried MAIL FROM ... REQUIRETLS
  // This session delivered without TLS after an earlier session of the same sender on the same
  // scenario had its TLS refused or broken: the fallback "retry in plaintext".
  bool plaintext_retry = false;
  bool pregreet = false;  // talked before the greeting (RELIABILITY item 39)
  std::string end_reason;
};

struct ScenarioOutcome {
  std::string scenario;
  std::vector<Attempt> attempts;
  int delivered_tls = 0;
  int delivered_plaintext = 0;
};

struct Behaviour {
  BehaviourId id = BehaviourId::uses_starttls;
  Severity severity = Severity::info;  // the catalogue's (behaviour.cpp)
  std::string text;                    // the plain sentence
  std::vector<std::string> scenarios;  // the evidence: scenario names as the store has them
};

struct SenderJudgement {
  std::string client;
  std::vector<std::string> ehlo_names;
  std::vector<ScenarioOutcome> scenarios;           // in the catalogue order of scenario.hpp
  std::vector<Behaviour> behaviours;                // most severe first
  SenderVerdict verdict = SenderVerdict::untested;  // its sentence: verdict_text(verdict)
};

std::vector<SenderJudgement> judge_senders(const StoreContents& contents);

}  // namespace intransit::sink
