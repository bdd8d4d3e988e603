// Unit tests of `check --format nagios|prometheus` (report/nagios_output, prometheus_output,
// check_digest): states by the documented rules, perfdata form, certificate days, label escaping.
#include <gtest/gtest.h>

#include "report/check_digest.hpp"
#include "report/nagios_output.hpp"
#include "report/prometheus_output.hpp"

namespace intransit::report {
namespace {
using nlohmann::json;

constexpr std::int64_t kNow = 1'800'000'000;  // 2027-01-15T08:00:00Z
constexpr std::int64_t kDay = 86400;

std::string iso(std::int64_t t) {
  char buf[32];
  const std::time_t tt = t;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json doc(const std::string& domain, const std::string& verdict, std::int64_t not_after = 0) {
  json address = {{"address", "192.0.2.1:25"}, {"certificate", nullptr}};
  if (not_after != 0) address["certificate"] = {{"chain", {{{"not_after", iso(not_after)}}}}};
  return {{"schema", "intransit.check/1"},
          {"domain", domain},
          {"verdict", verdict},
          {"enforced_by", verdict == "enforced" ? json{"dane"} : json::array()},
          {"untested_reason", verdict == "untested" ? json("dns-failure") : json(nullptr)},
          {"summary", "Mail to " + domain + " is " + verdict + "."},
          {"counts", {{"addresses", 2}, {"tls", 1}, {"plaintext", 1}, {"untested", 0}}},
          {"dnssec", {{"status", "secure"}}},
          {"mta_sts", {{"policy", {{"mode", "testing"}}}}},
          {"mx", {{{"host", "mx1." + domain}, {"dane_applies", true}, {"addresses", {address}}}}},
          {"findings",
           {{{"id", "dane.tlsa-mismatch"},
             {"severity", "critical"},
             {"scope", "domain"},
             {"evidence", "x"},
             {"count", 2}},
            {{"id", "smtp.x"}, {"severity", "info"}, {"scope", "domain"}, {"evidence", "y"}}}},
          {"elapsed_ms", 1250}};
}

TEST(CheckDigest, ReadsCountsExpiryAndFindings) {
  const auto d = digest_check(doc("a.test", "enforced", kNow + 10 * kDay));
  EXPECT_EQ(d.addresses, 2);
  EXPECT_EQ(d.mx_with_dane, 1);
  EXPECT_EQ(d.mta_sts_mode, "testing");
  ASSERT_TRUE(d.earliest_expiry);
  EXPECT_EQ(*d.earliest_expiry, kNow + 10 * kDay);
  EXPECT_EQ(d.findings_by_severity[4], 2);  // counted with their count
  EXPECT_EQ(d.findings_by_severity[0], 1);
}

TEST(CheckDigest, WrongTypesAreDefaultsNotExceptions) {
  const auto d = digest_check(json{
      {"domain", 7}, {"mx", "no"}, {"counts", {{"tls", "1"}}}, {"findings", {1, "x", nullptr}}});
  EXPECT_EQ(d.domain, "");
  EXPECT_EQ(d.tls, 0);
  EXPECT_FALSE(d.earliest_expiry);
  EXPECT_FALSE(parse_utc_timestamp("2027-01-15T08:00:00"));
  EXPECT_FALSE(parse_utc_timestamp("2027-01-15T08:00:00Zjunk"));
  EXPECT_EQ(parse_utc_timestamp("2027-01-15T08:00:00Z"), kNow);
}

TEST(NagiosOutput, StatesFollowTheDocumentedRules) {
  const NagiosOptions none;
  EXPECT_EQ(domain_state(doc("a.test", "enforced"), none, kNow), PluginState::ok);
  EXPECT_EQ(domain_state(doc("a.test", "opportunistic"), none, kNow), PluginState::ok);
  EXPECT_EQ(domain_state(doc("a.test", "partial"), none, kNow), PluginState::warning);
  EXPECT_EQ(domain_state(doc("a.test", "plaintext"), none, kNow), PluginState::warning);
  EXPECT_EQ(domain_state(doc("a.test", "broken"), none, kNow), PluginState::critical);
  EXPECT_EQ(domain_state(doc("a.test", "untested"), none, kNow), PluginState::unknown);
  EXPECT_EQ(domain_state(doc("a.test", "no-mail"), none, kNow), PluginState::ok);
  NagiosOptions enforced;
  enforced.require = "enforced";
  EXPECT_EQ(domain_state(doc("a.test", "opportunistic"), enforced, kNow), PluginState::critical);
  EXPECT_EQ(domain_state(doc("a.test", "enforced"), enforced, kNow), PluginState::ok);
  EXPECT_EQ(domain_state(doc("a.test", "untested"), enforced, kNow), PluginState::unknown);
}

TEST(NagiosOutput, CertificateThresholds) {
  const NagiosOptions o;  // warn 21, crit 7
  EXPECT_EQ(domain_state(doc("a.test", "enforced", kNow + 30 * kDay), o, kNow), PluginState::ok);
  EXPECT_EQ(domain_state(doc("a.test", "enforced", kNow + 20 * kDay), o, kNow),
            PluginState::warning);
  EXPECT_EQ(domain_state(doc("a.test", "enforced", kNow + 7 * kDay), o, kNow),
            PluginState::critical);
  EXPECT_EQ(domain_state(doc("a.test", "enforced", kNow - 3600), o, kNow), PluginState::critical);
  // An expired certificate makes even an untested domain critical: it is a fact we saw.
  EXPECT_EQ(domain_state(doc("a.test", "untested", kNow - 3600), o, kNow), PluginState::critical);
}

TEST(NagiosOutput, ADaneEeMatchMakesExpiryIrrelevant) {
  auto d = doc("a.test", "enforced", kNow - kDay);
  auto& address = d["mx"][0]["addresses"][0];
  address["dane"] = {{"matched", true}, {"matched_record", "3 1 1 ABCD"}};
  EXPECT_EQ(domain_state(d, {}, kNow), PluginState::ok);
  address["dane"] = {{"matched", true},
                     {"matched_record", "2 0 1 ABCD"}};  // DANE-TA: expiry counts
  EXPECT_EQ(domain_state(d, {}, kNow), PluginState::critical);
}

TEST(NagiosOutput, StatusLinePerfdataAndLongOutput) {
  const auto r = nagios_output({doc("a.test", "enforced", kNow + 40 * kDay)}, {}, kNow);
  EXPECT_EQ(r.state, PluginState::ok);
  const auto first = r.text.substr(0, r.text.find('\n'));
  EXPECT_EQ(first,
            "INTRANSIT OK - a.test: enforced via dane | 'addresses'=2;;;0 'addresses_tls'=1;;;0 "
            "'addresses_plaintext'=1;;;0 'cert_days'=40d;21;7 'time'=1.250s;;;0");
  EXPECT_NE(r.text.find("[critical] dane.tlsa-mismatch (domain): x"), std::string::npos);
  EXPECT_EQ(r.text.find("smtp.x"), std::string::npos);  // info findings left out
}

TEST(NagiosOutput, SeveralDomainsTakeTheWorstAndLabelPerDomain) {
  const auto r = nagios_output(
      {doc("a.test", "enforced"), doc("b.test", "untested"), doc("c.test", "partial")}, {}, kNow);
  EXPECT_EQ(r.state, PluginState::warning);  // WARNING beats UNKNOWN
  EXPECT_NE(r.text.find("b.test: untested (dns-failure) [UNKNOWN]"), std::string::npos);
  EXPECT_NE(r.text.find("'c.test addresses'=2"), std::string::npos);
  EXPECT_EQ(nagios_output({}, {}, kNow).state, PluginState::unknown);
}

TEST(PrometheusOutput, StateSetsAndFamiliesOnce) {
  const auto text =
      prometheus_output({doc("a.test", "enforced", kNow + kDay), doc("b.test", "broken")}, kNow);
  EXPECT_NE(text.find("intransit_domain_verdict{domain=\"a.test\",verdict=\"enforced\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("intransit_domain_verdict{domain=\"a.test\",verdict=\"broken\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("intransit_domain_verdict{domain=\"b.test\",verdict=\"broken\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("intransit_certificate_expiry_timestamp_seconds{domain=\"a.test\",mx=\"mx1."
                      "a.test\",address=\"192.0.2.1:25\"} " +
                      std::to_string(kNow + kDay)),
            std::string::npos);
  EXPECT_NE(text.find("intransit_check_duration_seconds{domain=\"a.test\"} 1.250\n"),
            std::string::npos);
  // Each family's HELP and TYPE once, before its samples.
  std::size_t pos = 0, helps = 0;
  while ((pos = text.find("# TYPE intransit_domain_verdict gauge", pos)) != std::string::npos) {
    ++helps;
    ++pos;
  }
  EXPECT_EQ(helps, 1U);
}

TEST(PrometheusOutput, LabelValuesAreEscapedAndValidUtf8) {
  EXPECT_EQ(prometheus_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(prometheus_label_value(std::string("x\xff\x01y")), "x\xEF\xBF\xBD\xEF\xBF\xBDy");
  EXPECT_EQ(prometheus_label_value("caf\xC3\xA9"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace intransit::report
