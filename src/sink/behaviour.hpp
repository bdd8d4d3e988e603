// behaviour.hpp — the closed vocabularies of `sink report` (DESIGN.md §3 "Sending server"): the
// behaviours a sending server shows on the scenarios (id text and severity, one catalogue) and
// the one-word verdict per sender (word and plain sentence, one catalogue). The words are the
// sink-report JSON contract (docs/schema/sink-report.schema.json): change them only with a new
// schema version.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/severity.hpp"

namespace intransit::sink {

enum class BehaviourId : std::uint8_t {
  plaintext_fallback,       // delivered without TLS where TLS was missing, refused or broken
  refuses_plaintext,        // did not deliver in plaintext there
  accepts_any_certificate,  // delivered over TLS to a certificate it should refuse
  checks_certificates,      // refused those certificates
  ignores_dane,             // delivered to a server its TLSA records do not match
  honours_dane,
  ignores_mta_sts,  // delivered to an MX its MTA-STS policy does not list
  honours_mta_sts,
  uses_requiretls,
  no_requiretls,
  accepts_tls10,
  refuses_tls10,
  uses_starttls,
  ignores_starttls,       // plaintext although STARTTLS was offered
  talks_before_greeting,  // a command before the 220 banner (RFC 5321 §3.1)
};

std::string_view to_string(BehaviourId id);
std::optional<BehaviourId> behaviour_id_from_string(std::string_view text);
Severity severity_of(BehaviourId id);

enum class SenderVerdict : std::uint8_t {
  plaintext_fallback,
  accepts_any_certificate,
  verifies,
  untested,
};

std::string_view to_string(SenderVerdict verdict);
std::optional<SenderVerdict> sender_verdict_from_string(std::string_view text);
std::string_view verdict_text(SenderVerdict verdict);  // the plain sentence
// The verdicts `sink report` exits non-zero for: an attacker on the path wins.
bool is_weak(SenderVerdict verdict);

}  // namespace intransit::sink
