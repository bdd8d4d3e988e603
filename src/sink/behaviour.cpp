// behaviour.cpp — see behaviour.hpp. One row per value, in enum order (static_asserts keep it).
#include "sink/behaviour.hpp"

#include <array>
#include <cstddef>

namespace intransit::sink {
namespace {

struct BehaviourRow {
  BehaviourId id;
  std::string_view text;
  Severity severity;
};

constexpr std::array kBehaviours{
    BehaviourRow{BehaviourId::plaintext_fallback, "plaintext-fallback", Severity::high},
    BehaviourRow{BehaviourId::refuses_plaintext, "refuses-plaintext", Severity::info},
    BehaviourRow{BehaviourId::accepts_any_certificate, "accepts-any-certificate", Severity::high},
    BehaviourRow{BehaviourId::checks_certificates, "checks-certificates", Severity::info},
    BehaviourRow{BehaviourId::ignores_dane, "ignores-dane", Severity::medium},
    BehaviourRow{BehaviourId::honours_dane, "honours-dane", Severity::info},
    BehaviourRow{BehaviourId::ignores_mta_sts, "ignores-mta-sts", Severity::medium},
    BehaviourRow{BehaviourId::honours_mta_sts, "honours-mta-sts", Severity::info},
    BehaviourRow{BehaviourId::uses_requiretls, "uses-requiretls", Severity::info},
    BehaviourRow{BehaviourId::no_requiretls, "no-requiretls", Severity::info},
    BehaviourRow{BehaviourId::accepts_tls10, "accepts-tls10", Severity::medium},
    BehaviourRow{BehaviourId::refuses_tls10, "refuses-tls10", Severity::info},
    BehaviourRow{BehaviourId::uses_starttls, "uses-starttls", Severity::info},
    BehaviourRow{BehaviourId::ignores_starttls, "ignores-starttls", Severity::high},
    BehaviourRow{BehaviourId::talks_before_greeting, "talks-before-greeting", Severity::medium},
};

struct VerdictRow {
  SenderVerdict verdict;
  std::string_view text;
  std::string_view sentence;
  bool weak;
};

constexpr std::array kVerdicts{
    VerdictRow{SenderVerdict::plaintext_fallback, "plaintext-fallback",
               "falls back to plaintext: an attacker on the path can read its mail", true},
    VerdictRow{SenderVerdict::accepts_any_certificate, "accepts-any-certificate",
               "uses TLS but accepts any certificate: an attacker on the path can impersonate the "
               "receiver",
               true},
    VerdictRow{SenderVerdict::verifies, "verifies",
               "insists on TLS and checks certificates: safe against an attacker on the path for "
               "what was tested",
               false},
    VerdictRow{SenderVerdict::untested, "untested",
               "not enough scenarios reached to judge: send to no-starttls and self-signed (or "
               "expired, wrong-name) at least",
               false},
};

constexpr bool behaviours_in_order() {
  for (std::size_t i = 0; i < kBehaviours.size(); ++i) {
    if (static_cast<std::size_t>(kBehaviours[i].id) != i) return false;
  }
  return kBehaviours.size() == static_cast<std::size_t>(BehaviourId::talks_before_greeting) + 1;
}
constexpr bool verdicts_in_order() {
  for (std::size_t i = 0; i < kVerdicts.size(); ++i) {
    if (static_cast<std::size_t>(kVerdicts[i].verdict) != i) return false;
  }
  return kVerdicts.size() == static_cast<std::size_t>(SenderVerdict::untested) + 1;
}
static_assert(behaviours_in_order(), "one kBehaviours row per BehaviourId, in enum order");
static_assert(verdicts_in_order(), "one kVerdicts row per SenderVerdict, in enum order");

}  // namespace

std::string_view to_string(BehaviourId id) {
  return kBehaviours.at(static_cast<std::size_t>(id)).text;
}
std::optional<BehaviourId> behaviour_id_from_string(std::string_view text) {
  for (const auto& r : kBehaviours) {
    if (r.text == text) return r.id;
  }
  return std::nullopt;
}
Severity severity_of(BehaviourId id) {
  return kBehaviours.at(static_cast<std::size_t>(id)).severity;
}

std::string_view to_string(SenderVerdict verdict) {
  return kVerdicts.at(static_cast<std::size_t>(verdict)).text;
}
std::optional<SenderVerdict> sender_verdict_from_string(std::string_view text) {
  for (const auto& r : kVerdicts) {
    if (r.text == text) return r.verdict;
  }
  return std::nullopt;
}
std::string_view verdict_text(SenderVerdict verdict) {
  return kVerdicts.at(static_cast<std::size_t>(verdict)).sentence;
}
bool is_weak(SenderVerdict verdict) {
  return kVerdicts.at(static_cast<std::size_t>(verdict)).weak;
}

}  // namespace intransit::sink
