// alert_rules_test.cpp — serve's alert rules (alert_rules.hpp) on hand-built intransit.check/1
// documents: each kind is raised on the change it names and only then; certificates are told once
// per state; DANE-EE leaves are left out (RFC 7672 §3.1.1); the JSON is intransit.alert/1.
#include <gtest/gtest.h>

#include <algorithm>

#include "serve/alert_rules.hpp"

namespace intransit::serve {
namespace {

constexpr std::int64_t kNow = 1796256000;  // 2026-12-03T00:00:00Z
constexpr std::int64_t kDay = 86400;

nlohmann::json address(const std::string& ip, const std::string& not_after, const std::string& fp,
                       bool dane_ee = false) {
  nlohmann::json a = {
      {"address", ip + ":25"},
      {"certificate", {{"chain", {{{"not_after", not_after}, {"sha256_fingerprint", fp}}}}}},
      {"dane", nullptr}};
  if (dane_ee) a["dane"] = {{"matched", true}, {"matched_record", "3 1 1 ab"}};
  return a;
}

nlohmann::json check_doc(const std::string& verdict,
                         nlohmann::json addresses = nlohmann::json::array(),
                         const std::string& dnssec = "secure",
                         const std::string& sts_mode = "enforce", int plaintext = 0) {
  return {
      {"schema", "intransit.check/1"},
      {"domain", "example.test"},
      {"verdict", verdict},
      {"enforced_by", verdict == "enforced" ? nlohmann::json{"mta-sts"} : nlohmann::json::array()},
      {"untested_reason", verdict == "untested" ? nlohmann::json("unreachable") : nullptr},
      {"summary", "Mail to example.test is " + verdict + "."},
      {"counts",
       {{"addresses", 2}, {"tls", 2 - plaintext}, {"plaintext", plaintext}, {"untested", 0}}},
      {"dnssec", {{"status", dnssec}}},
      {"mta_sts",
       {{"policy",
         sts_mode.empty() ? nlohmann::json(nullptr) : nlohmann::json{{"mode", sts_mode}}}}},
      {"mx", {{{"host", "mx.example.test"}, {"dane_applies", false}, {"addresses", addresses}}}}};
}

std::vector<std::string> kinds(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const auto& a : alerts) out.push_back(a.kind);
  std::sort(out.begin(), out.end());
  return out;
}

const nlohmann::json kFine = {address("192.0.2.1", "2027-06-01T00:00:00Z", "aa")};

TEST(AlertRules, NothingChangedNothingSaid) {
  const auto doc = check_doc("enforced", kFine);
  EXPECT_TRUE(compare_checks(&doc, doc, 14, kNow, kNow - kDay).empty());
}

TEST(AlertRules, FirstCheckOfAHealthyDomainIsQuiet) {
  EXPECT_TRUE(compare_checks(nullptr, check_doc("enforced", kFine), 14, kNow).empty());
}

TEST(AlertRules, VerdictWorseAndBetter) {
  const auto enforced = check_doc("enforced", kFine), plain = check_doc("plaintext", kFine),
             opp = check_doc("opportunistic", kFine);
  const auto worse = compare_checks(&enforced, opp, 14, kNow);
  ASSERT_EQ(kinds(worse), std::vector<std::string>{"verdict-worse"});
  EXPECT_EQ(worse[0].severity, "high");
  EXPECT_EQ(worse[0].before, "enforced (mta-sts)");
  EXPECT_EQ(worse[0].after, "opportunistic");
  EXPECT_EQ(compare_checks(&enforced, plain, 14, kNow)[0].severity, "critical");
  const auto better = compare_checks(&opp, enforced, 14, kNow);
  ASSERT_EQ(kinds(better), std::vector<std::string>{"verdict-better"});
  EXPECT_EQ(better[0].severity, "info");
}

TEST(AlertRules, UntestedIsNotAVerdictDrop) {
  const auto enforced = check_doc("enforced", kFine), untested = check_doc("untested", kFine);
  const auto a = compare_checks(&enforced, untested, 14, kNow);
  ASSERT_EQ(kinds(a), std::vector<std::string>{"untested"});
  EXPECT_NE(a[0].why.find("unreachable"), std::string::npos);
  EXPECT_EQ(a[0].severity, "medium");
  // Back from untested: nothing to compare against, no "better" alert.
  EXPECT_TRUE(compare_checks(&untested, enforced, 14, kNow).empty());
  // Still untested: told once.
  EXPECT_TRUE(compare_checks(&untested, untested, 14, kNow).empty());
}

TEST(AlertRules, ExpiredCertificateToldOnce) {
  const auto fine = check_doc("enforced", kFine);
  const auto expired = check_doc("enforced", {address("192.0.2.1", "2026-12-01T00:00:00Z", "bb")});
  const auto a = compare_checks(&fine, expired, 14, kNow, kNow - 3600);
  EXPECT_EQ(kinds(a), (std::vector<std::string>{"certificate-changed", "certificate-expired"}));
  const auto it = std::find_if(a.begin(), a.end(),
                               [](const Alert& x) { return x.kind == "certificate-expired"; });
  EXPECT_NE(it->why.find("expired 2026-12-01"), std::string::npos) << it->why;
  EXPECT_NE(it->why.find("192.0.2.1:25"), std::string::npos);
  EXPECT_TRUE(compare_checks(&expired, expired, 14, kNow, kNow - 3600).empty());
}

TEST(AlertRules, ExpiringWithinTheWindowOnly) {
  const auto soon = check_doc("enforced", {address("192.0.2.1", "2026-12-10T00:00:00Z", "aa")});
  const auto a = compare_checks(nullptr, soon, 14, kNow);
  ASSERT_EQ(kinds(a), std::vector<std::string>{"certificate-expiring"});
  EXPECT_NE(a[0].why.find("in 7 day(s)"), std::string::npos) << a[0].why;
  EXPECT_TRUE(compare_checks(nullptr, soon, 5, kNow).empty());
  // Expiring at the last check, expired now: a new state, a new alert.
  const auto later = kNow + 8 * kDay;
  EXPECT_EQ(kinds(compare_checks(&soon, soon, 14, later, kNow)),
            std::vector<std::string>{"certificate-expired"});
}

TEST(AlertRules, DaneEeLeavesDoNotExpire) {
  const auto doc =
      check_doc("enforced", {address("192.0.2.1", "2020-01-01T00:00:00Z", "aa", true)});
  EXPECT_TRUE(compare_checks(nullptr, doc, 14, kNow).empty());
}

TEST(AlertRules, ProtectionsLost) {
  const auto was = check_doc("enforced", kFine);
  EXPECT_EQ(kinds(compare_checks(&was, check_doc("enforced", kFine, "insecure"), 14, kNow)),
            std::vector<std::string>{"dnssec-lost"});
  EXPECT_EQ(compare_checks(&was, check_doc("enforced", kFine, "bogus"), 14, kNow)[0].severity,
            "critical");
  EXPECT_EQ(
      kinds(compare_checks(&was, check_doc("enforced", kFine, "secure", "testing"), 14, kNow)),
      std::vector<std::string>{"mta-sts-downgraded"});
  EXPECT_EQ(
      kinds(compare_checks(&was, check_doc("enforced", kFine, "secure", "enforce", 1), 14, kNow)),
      std::vector<std::string>{"plaintext-addresses"});
  auto dane = check_doc("enforced", kFine);
  dane["mx"][0]["dane_applies"] = true;
  EXPECT_EQ(kinds(compare_checks(&dane, was, 14, kNow)), std::vector<std::string>{"dane-lost"});
}

TEST(AlertRules, GarbageIsNoAlertAndNoThrow) {
  const nlohmann::json junk = {{"verdict", 7}, {"mx", "no"}, {"counts", nullptr}};
  EXPECT_NO_THROW(compare_checks(&junk, junk, 14, kNow));
  EXPECT_TRUE(compare_checks(nullptr, nlohmann::json("text"), 14, kNow).empty());
}

TEST(AlertRules, Json) {
  const Alert a{"example.test", "verdict-worse", "enforced", "plaintext", "Why.", "critical"};
  const auto j = alert_to_json(a, kNow);
  EXPECT_EQ(j["schema"], "intransit.alert/1");
  EXPECT_EQ(j["at"], "2026-12-03T00:00:00Z");
  EXPECT_EQ(j["kind"], "verdict-worse");
  EXPECT_EQ(j.size(), 8U);
}

}  // namespace
}  // namespace intransit::serve
