// vocabulary_test.cpp — the closed vocabularies of issue 15 §2: every finding id, severity,
// untested reason, sink behaviour, sender verdict and sink scenario turns into its JSON word and
// back; the words are the documented ones (docs/json-schema.md, docs/schema/*.schema.json); the
// finding catalogue's rows are complete; and the untested reason follows the probes' outcomes.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "check/evaluate_transport.hpp"
#include "check/untested_reason.hpp"
#include "core/finding_id.hpp"
#include "core/severity.hpp"
#include "sink/behaviour.hpp"
#include "sink/scenario.hpp"

namespace intransit {
namespace {

TEST(Vocabulary, FindingIdsRoundTripAndFollowTheSchemaPattern) {
  const std::regex pattern("^[a-z0-9]+\\.[a-z0-9-]+$");  // check.schema.json findings[].id
  std::set<std::string> texts;
  for (std::size_t i = 0; i < finding_id_count(); ++i) {
    const auto id = static_cast<FindingId>(i);
    const std::string text(to_string(id));
    EXPECT_TRUE(std::regex_match(text, pattern)) << text;
    EXPECT_EQ(finding_id_from_string(text), id) << text;
    EXPECT_TRUE(texts.insert(text).second) << text;
    const auto rfc = rfc_section(id);
    EXPECT_TRUE(rfc.empty() || rfc.starts_with("RFC ")) << text << ": " << rfc;
  }
  EXPECT_EQ(finding_id_from_string("dane.tlsa-missmatch"), std::nullopt);
  EXPECT_EQ(finding_id_from_string(""), std::nullopt);
}

// Every id has a remedy, except the three the dialogue raised before they were catalogued
// (kept remedy-less so that the JSON does not change; see core/finding_id.cpp).
TEST(Vocabulary, FindingIdsHaveARemedy) {
  const std::set<FindingId> legacy{FindingId::smtp_inconsistent_reply_codes,
                                   FindingId::smtp_bare_lf_in_reply,
                                   FindingId::smtp_unsolicited_data};
  for (std::size_t i = 0; i < finding_id_count(); ++i) {
    const auto id = static_cast<FindingId>(i);
    EXPECT_EQ(remedy(id).empty(), legacy.contains(id)) << to_string(id);
  }
}

TEST(Vocabulary, ScopeKinds) {
  EXPECT_EQ(scope_kind_of("domain"), ScopeKind::domain);
  EXPECT_EQ(scope_kind_of("mx:mx.example.test"), ScopeKind::mx);
  EXPECT_EQ(scope_kind_of("ip:mx.example.test/192.0.2.1:25"), ScopeKind::ip);
  EXPECT_EQ(scope_kind_of("mx:"), std::nullopt);
  EXPECT_EQ(scope_kind_of("ip:nothing"), std::nullopt);
  EXPECT_TRUE(scope_allowed(FindingId::dns_bogus, ScopeKind::domain));
  EXPECT_TRUE(scope_allowed(FindingId::dns_bogus, ScopeKind::mx));
  EXPECT_FALSE(scope_allowed(FindingId::dane_matched, ScopeKind::domain));
}

// One severity scale, least severe first, with the words of check.schema.json.
TEST(Vocabulary, SeverityWordsAndOrder) {
  const std::vector<std::string> words{"info", "low", "medium", "high", "critical"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(to_string(static_cast<Severity>(i)), words[i]);
    EXPECT_EQ(severity_from_string(words[i]), static_cast<Severity>(i));
  }
  EXPECT_LT(Severity::info, Severity::medium);
  EXPECT_LT(Severity::high, Severity::critical);
  EXPECT_EQ(severity_from_string("severe"), std::nullopt);
}

// The closed list of `untested_reason` in docs/schema/check.schema.json, in its order.
TEST(Vocabulary, UntestedReasonsAreTheDocumentedList) {
  const std::vector<std::string> documented{"dns-failure",       "unreachable", "rate-limited",
                                            "rejected",          "tarpit",      "protocol-error",
                                            "no-address-tested", "no-network",  "not-permitted"};
  for (std::size_t i = 0; i < documented.size(); ++i) {
    const auto reason = static_cast<check::UntestedReason>(i);
    EXPECT_EQ(to_string(reason), documented[i]);
    EXPECT_EQ(check::untested_reason_from_string(documented[i]), reason);
  }
  EXPECT_EQ(check::untested_reason_from_string("timeout"), std::nullopt);
}

TEST(Vocabulary, UntestedReasonFollowsTheOutcomes) {
  using check::untested_reason_of;
  using check::UntestedReason;
  EXPECT_EQ(untested_reason_of({}), UntestedReason::no_address_tested);
  EXPECT_EQ(untested_reason_of({ProbeOutcome::rate_limited, ProbeOutcome::rate_limited}),
            UntestedReason::rate_limited);
  EXPECT_EQ(untested_reason_of({ProbeOutcome::rejected}), UntestedReason::rejected);
  EXPECT_EQ(untested_reason_of({ProbeOutcome::connect_refused, ProbeOutcome::connect_timeout,
                                ProbeOutcome::connect_failed}),
            UntestedReason::unreachable);
  EXPECT_EQ(untested_reason_of({ProbeOutcome::banner_timeout, ProbeOutcome::reply_deadline}),
            UntestedReason::tarpit);
  EXPECT_EQ(untested_reason_of({ProbeOutcome::rate_limited, ProbeOutcome::rejected}),
            UntestedReason::protocol_error);
  EXPECT_EQ(untested_reason_of({ProbeOutcome::read_limit}), UntestedReason::protocol_error);
  // issue 18: refused special-purpose addresses are their own reason, never "unreachable"
  EXPECT_EQ(untested_reason_of({ProbeOutcome::not_permitted, ProbeOutcome::not_permitted}),
            UntestedReason::not_permitted);
  EXPECT_EQ(to_string(ProbeOutcome::not_permitted), "not-permitted");
  EXPECT_FALSE(is_conclusive(ProbeOutcome::not_permitted));
}

// docs/schema/sink-report.schema.json: the verdict words; behaviour severities on the one scale.
TEST(Vocabulary, SinkVerdictsAndBehaviours) {
  const std::vector<std::string> verdicts{"plaintext-fallback", "accepts-any-certificate",
                                          "verifies", "untested"};
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const auto v = static_cast<sink::SenderVerdict>(i);
    EXPECT_EQ(to_string(v), verdicts[i]);
    EXPECT_EQ(sink::sender_verdict_from_string(verdicts[i]), v);
    EXPECT_FALSE(sink::verdict_text(v).empty());
  }
  EXPECT_TRUE(sink::is_weak(sink::SenderVerdict::plaintext_fallback));
  EXPECT_TRUE(sink::is_weak(sink::SenderVerdict::accepts_any_certificate));
  EXPECT_FALSE(sink::is_weak(sink::SenderVerdict::verifies));
  for (std::size_t i = 0; i <= static_cast<std::size_t>(sink::BehaviourId::talks_before_greeting);
       ++i) {
    const auto b = static_cast<sink::BehaviourId>(i);
    EXPECT_EQ(sink::behaviour_id_from_string(to_string(b)), b) << to_string(b);
    const auto s = sink::severity_of(b);
    EXPECT_TRUE(s == Severity::high || s == Severity::medium || s == Severity::info)
        << to_string(b);  // the sink-report schema's three
  }
  EXPECT_EQ(sink::behaviour_id_from_string("ignores-mtasts"), std::nullopt);
}

TEST(Vocabulary, SinkScenariosRoundTrip) {
  for (const auto s : sink::all_sink_scenarios())
    EXPECT_EQ(sink::sink_scenario_from_string(to_string(s)), s) << to_string(s);
  EXPECT_EQ(sink::sink_scenario_from_string("selfsigned"), std::nullopt);
}

}  // namespace
}  // namespace intransit
