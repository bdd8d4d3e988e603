// html_charts_test.cpp — the HTML report's chart geometry (report/html/svg.hpp), population
// counts and the baseline comparison (report/html/population.hpp), and the row taken from a
// check document (report/html/domain_row.hpp).
#include <gtest/gtest.h>

#include <numeric>

#include "report/html/population.hpp"
#include "report/html/svg.hpp"

namespace intransit::report::html {
namespace {

double sum_widths(const std::vector<Segment>& s) {
  return std::accumulate(s.begin(), s.end(), 0.0,
                         [](double a, const Segment& x) { return a + x.width; });
}

TEST(HtmlCharts, StackedWidthsSumToTheBarAndFollowTheCounts) {
  const auto s = stacked_layout({3, 0, 1, 0, 2}, 640);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_DOUBLE_EQ(sum_widths(s), 640);
  EXPECT_DOUBLE_EQ(s[0].width, 320);
  EXPECT_DOUBLE_EQ(s[1].width, 0);
  EXPECT_DOUBLE_EQ(s[2].x, 320);
  EXPECT_NEAR(s[2].width, 640.0 / 6, 1e-9);
  EXPECT_DOUBLE_EQ(s[4].x + s[4].width, 640);
  // Odd thirds still fill the bar exactly.
  EXPECT_DOUBLE_EQ(sum_widths(stacked_layout({1, 1, 1}, 100)), 100);
  for (int n = 1; n < 200; n += 7) {
    EXPECT_DOUBLE_EQ(sum_widths(stacked_layout({n, 3 * n + 1, 7, 0, 11}, 640)), 640);
  }
}

TEST(HtmlCharts, ZeroCountsAndOneDomain) {
  const auto zero = stacked_layout({0, 0, 0}, 640);
  EXPECT_DOUBLE_EQ(sum_widths(zero), 0);
  EXPECT_TRUE(stacked_layout({}, 640).empty());
  const auto one = stacked_layout({0, 1, 0}, 640);
  EXPECT_DOUBLE_EQ(one[1].x, 0);
  EXPECT_DOUBLE_EQ(one[1].width, 640);
  EXPECT_DOUBLE_EQ(one[2].width, 0);
  EXPECT_EQ(bar_lengths({0, 0}, 300), (std::vector<double>{0, 0}));
  EXPECT_EQ(bar_lengths({1}, 300), (std::vector<double>{300}));
  EXPECT_EQ(bar_lengths({4, 2, 0, -1}, 300), (std::vector<double>{300, 150, 0, 0}));
}

TEST(HtmlCharts, BarChartCarriesWordsAndNumbers) {
  Writer w;
  bar_chart(w, "Verdicts", "per verdict",
            {{"plaintext", 3, "bad", "\u2716"}, {"<x>", 0, "good", ""}}, 3);
  const auto& svg = w.str();
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<title>Verdicts</title><desc>per verdict</desc>"), std::string::npos);
  EXPECT_NE(svg.find("\u2716 plaintext"), std::string::npos);
  EXPECT_NE(svg.find(">3 (100.0%)<"), std::string::npos);
  EXPECT_NE(svg.find("&lt;x&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<x>"), std::string::npos);
}

nlohmann::json check(const std::string& domain, const std::string& verdict) {
  return {{"schema", "intransit.check/1"},
          {"domain", domain},
          {"verdict", verdict},
          {"mta_sts", {{"policy", {{"mode", "enforce"}}}}},
          {"mx",
           {{{"host", "mx1.mail.Provider.example."},
             {"dane_applies", true},
             {"addresses",
              {{{"ip", "192.0.2.1"},
                {"tls", {{"version", "TLSv1.3"}}},
                {"certificate", {{"trusted", false}, {"verify_error", "certificate has expired"}}},
                {"findings", {{{"id", "cert.untrusted"}}}}}}}}}},
          {"findings", {{{"id", "cert.untrusted"}}, {{"id", "tlsrpt.missing"}}}}};
}

TEST(HtmlPopulation, RowFromACheckDocument) {
  const auto r = domain_row(check("a.test", "partial"));
  EXPECT_EQ(r.verdict, Verdict::partial);
  EXPECT_TRUE(r.dane);
  EXPECT_EQ(r.mta_sts, "enforce");
  EXPECT_EQ(r.operators, std::vector<std::string>{"provider.example"});
  EXPECT_EQ(r.tls_versions, std::vector<std::string>{"TLSv1.3"});
  EXPECT_EQ(r.cert_problems, std::vector<std::string>{"untrusted: certificate has expired"});
  EXPECT_EQ(r.findings, (std::vector<std::string>{"cert.untrusted", "tlsrpt.missing"}));
  // Mistyped fields are ignored, never thrown on.
  const auto odd = domain_row({{"domain", 7}, {"verdict", "??"}, {"mx", "x"}, {"findings", 1}});
  EXPECT_EQ(odd.verdict, Verdict::untested);
  EXPECT_TRUE(odd.domain.empty());
  EXPECT_EQ(registered_domain("example"), "example");
  EXPECT_EQ(registered_domain("a.b.co.uk"), "co.uk");
}

TEST(HtmlPopulation, CountsEqualTheRows) {
  std::vector<DomainRow> rows;
  for (int i = 0; i < 5; ++i)
    rows.push_back(
        domain_row(check("d" + std::to_string(i) + ".test", i < 3 ? "enforced" : "plaintext")));
  const auto s = population_stats(rows);
  EXPECT_EQ(s.domains, 5);
  EXPECT_EQ(s.verdicts[static_cast<std::size_t>(Verdict::enforced)], 3);
  EXPECT_EQ(s.verdicts[static_cast<std::size_t>(Verdict::plaintext)], 2);
  EXPECT_EQ(s.dane, 5);
  EXPECT_EQ(s.mta_sts_enforce, 5);
  ASSERT_EQ(s.operators.size(), 1u);
  EXPECT_EQ(s.operators[0].domains, 5);
  ASSERT_EQ(s.findings.size(), 2u);
  EXPECT_EQ(s.findings[0].n, 5);
  EXPECT_EQ(population_stats({}).domains, 0);
}

DomainRow row(const std::string& d, Verdict v) {
  DomainRow r;
  r.domain = d;
  r.verdict = v;
  return r;
}

TEST(HtmlBaseline, ImprovedDeclinedAndDifferentLists) {
  const std::vector<DomainRow> before = {
      row("a", Verdict::plaintext), row("b", Verdict::enforced),
      row("c", Verdict::partial),   row("gone", Verdict::partial),
      row("u", Verdict::untested),  row("same", Verdict::opportunistic)};
  const std::vector<DomainRow> after = {
      row("a", Verdict::opportunistic), row("b", Verdict::broken),
      row("c", Verdict::partial),       row("new", Verdict::enforced),
      row("u", Verdict::plaintext),     row("same", Verdict::opportunistic)};
  const auto d = baseline_diff(before, after);
  ASSERT_EQ(d.improved.size(), 1u);
  EXPECT_EQ(d.improved[0].domain, "a");
  ASSERT_EQ(d.declined.size(), 1u);
  EXPECT_EQ(d.declined[0].domain, "b");
  EXPECT_EQ(d.declined[0].after, Verdict::broken);
  ASSERT_EQ(d.other.size(), 1u);
  EXPECT_EQ(d.other[0].domain, "u");
  EXPECT_EQ(d.unchanged, 2);
  EXPECT_EQ(d.added, std::vector<std::string>{"new"});
  EXPECT_EQ(d.removed, std::vector<std::string>{"gone"});
  const auto none = baseline_diff(after, after);
  EXPECT_TRUE(none.improved.empty() && none.declined.empty() && none.added.empty());
  EXPECT_EQ(none.unchanged, 6);
}

}  // namespace
}  // namespace intransit::report::html
