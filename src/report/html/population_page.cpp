// population_page.cpp — the page of a population (an intransit.scan/1 file, or several check
// documents): the scans' stamps, the verdict mix, DANE / MTA-STS / TLS-RPT adoption, TLS
// versions, certificate problems, top findings, MX operators, the comparison with a baseline
// scan, and a table of every domain that a small inline script filters (the page works without).
#include <algorithm>
#include <string>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"
#include "report/html/population.hpp"
#include "report/html/svg.hpp"

namespace intransit::report::html {
namespace {

constexpr std::size_t kMaxChangesListed = 1000;

std::vector<Bar> verdict_bars(const std::array<long long, kVerdicts>& counts) {
  std::vector<Bar> bars;
  for (const Verdict v : kAllVerdicts) {
    bars.push_back({std::string(verdict_word(v)), counts[static_cast<std::size_t>(v)],
                    verdict_tone(v), verdict_symbol(v)});
  }
  return bars;
}

std::vector<Bar> count_bars(const std::vector<Count>& counts, std::string_view tone) {
  std::vector<Bar> bars;
  for (const auto& c : counts) bars.push_back({c.label, c.n, tone, {}});
  return bars;
}

void stamp(Writer& w, const ScanStamp& s) {
  const auto& h = s.header;
  const auto& f = s.footer;
  w << "<li><code>" << Esc{s.file} << "</code>: ";
  if (h.is_null())
    w << "no scan header";
  else
    w << "intransit " << Esc{str(h, "tool_version")} << ", input sha256 <code>"
      << Esc{str(h, "input_sha256")} << "</code>, started " << Esc{str(h, "started")};
  if (!str(h, "shard").empty()) w << ", shard " << Esc{str(h, "shard")};
  if (f.is_null())
    w << "; \u26A0 no footer: the scan did not finish";
  else {
    w << ", finished " << Esc{str(f, "finished")} << " (" << Esc{str(f, "elapsed_seconds")}
      << " s, " << Esc{str(f, "domains")} << " domains, " << Esc{str(f, "errors")} << " errors)";
    if (!flag(f, "complete")) w << "; \u26A0 incomplete";
  }
  w << "</li>";
}

void stamps(Writer& w, const Collection& c) {
  w << "<ul class=\"meta\">";
  for (const auto& s : c.scans) stamp(w, s);
  if (c.scans.empty()) {
    for (const auto& f : c.files) w << "<li>read from <code>" << Esc{f} << "</code></li>";
  }
  w << "</ul>";
}

void adoption(Writer& w, const PopulationStats& s) {
  const std::vector<Bar> bars = {
      {"DANE (TLSA under DNSSEC)", s.dane, "good", "\u2714"},
      {"MTA-STS enforce", s.mta_sts_enforce, "good", "\u2714"},
      {"MTA-STS testing", s.mta_sts_testing, "fair", "\u25D0"},
      {"MTA-STS none", s.mta_sts_none, "none", "\u2205"},
      {"TLS-RPT record", s.tls_rpt, "fair", "\u2709"},
  };
  w << "<h3>DANE and MTA-STS adoption</h3>";
  bar_chart(w, "Policy adoption", "Domains publishing each policy, out of all domains.", bars,
            s.domains);
}

void counted_table(Writer& w, const char* what, const std::vector<Count>& counts, long long total) {
  w << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">" << Esc{what}
    << "</th><th scope=\"col\" class=\"n\">Domains</th><th scope=\"col\" class=\"n\">Share</th>"
       "</tr></thead><tbody>";
  for (const auto& c : counts) {
    w << "<tr><th scope=\"row\"><code>" << Esc{c.label} << "</code></th><td class=\"n\">" << c.n
      << "</td><td class=\"n\">";
    w.fixed(total > 0 ? 100.0 * static_cast<double>(c.n) / static_cast<double>(total) : 0, 1);
    w << "%</td></tr>";
  }
  w << "</tbody></table></div>";
}

void operators(Writer& w, const PopulationStats& s) {
  w << "<h3>By MX operator</h3><p class=\"note\">Grouped by the registered domain of each MX "
       "host, taken as its last two labels (no Public Suffix List: hosts under e.g. co.uk are "
       "grouped as co.uk). A domain with MX hosts at two operators counts for both. "
    << s.operator_count << " operators in all; the largest:</p>"
    << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Operator</th>"
       "<th scope=\"col\" class=\"n\">Domains</th>";
  for (const Verdict v : kAllVerdicts)
    w << "<th scope=\"col\" class=\"n\">" << Esc{verdict_symbol(v)} << " " << Esc{verdict_word(v)}
      << "</th>";
  w << "</tr></thead><tbody>";
  for (const auto& op : s.operators) {
    w << "<tr><th scope=\"row\">" << Esc{op.name} << "</th><td class=\"n\">" << op.domains
      << "</td>";
    for (const auto n : op.verdicts) w << "<td class=\"n\">" << n << "</td>";
    w << "</tr>";
  }
  w << "</tbody></table></div>";
}

// Worst first, so that the table's default order (without script) puts problems on top.
int table_order(Verdict v) {
  constexpr std::array<int, kVerdicts> order = {5, 4, 2, 0, 1, 6, 3};
  return order[static_cast<std::size_t>(v)];
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

void domain_row_html(Writer& w, const DomainRow& r) {
  w << "<tr data-v=\"" << Esc{verdict_word(r.verdict)} << "\" data-r=\"" << table_order(r.verdict)
    << "\"><th scope=\"row\">" << Esc{r.domain} << "</th><td class=\"t-"
    << Esc{verdict_tone(r.verdict)} << "\">" << Esc{verdict_symbol(r.verdict)} << " "
    << Esc{verdict_word(r.verdict)} << " " << Esc{r.untested_reason} << "</td><td>"
    << Esc{joined(r.operators)} << "</td><td>" << Esc{joined(r.tls_versions)} << "</td><td>";
  if (r.dane) w << "DANE ";
  if (!r.mta_sts.empty()) w << "MTA-STS\u00A0" << Esc{r.mta_sts};
  w << "</td><td class=\"n\">" << static_cast<long long>(r.findings.size()) << "</td></tr>\n";
}

void domain_table(Writer& w, const std::vector<DomainRow>& rows) {
  std::vector<const DomainRow*> sorted;
  sorted.reserve(rows.size());
  for (const auto& r : rows) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](const DomainRow* a, const DomainRow* b) {
    const int x = table_order(a->verdict), y = table_order(b->verdict);
    return x != y ? x < y : a->domain < b->domain;
  });
  w << "<h3 id=\"all-h\">All domains</h3><form class=\"filter\" id=\"qf\" hidden>"
       "<label for=\"q\">Filter</label><input id=\"q\" type=\"search\" "
       "placeholder=\"domain, operator, TLS version\"><label for=\"qv\">Verdict</label>"
       "<select id=\"qv\"><option value=\"\">any</option>";
  for (const Verdict v : kAllVerdicts)
    w << "<option value=\"" << Esc{verdict_word(v)} << "\">" << Esc{verdict_word(v)} << "</option>";
  w << "</select><output id=\"qc\" for=\"q qv\"></output></form><div class=\"scroll\">"
       "<table id=\"domains\"><caption>"
    << static_cast<long long>(rows.size())
    << " domains, worst verdict first, then by name (a column's heading sorts by it)</caption>"
       "<thead><tr>"
       "<th scope=\"col\">Domain</th><th scope=\"col\">Verdict</th><th scope=\"col\">MX operator"
       "</th><th scope=\"col\">TLS</th><th scope=\"col\">Policy</th>"
       "<th scope=\"col\" class=\"n\">Findings</th></tr></thead><tbody>\n";
  for (const auto* r : sorted) domain_row_html(w, *r);
  w << "</tbody></table></div>";
}

void population_overview(Writer& w, const Collection& now, const PopulationStats& s) {
  w << "<section aria-labelledby=\"pop-h\"><h2 id=\"pop-h\">A population of <span id=\"pop-n\">"
    << s.domains << "</span> domains</h2>";
  stamps(w, now);
  w << "<h3>Verdicts</h3>";
  const auto bars = verdict_bars(s.verdicts);
  share_bar(w, "Verdict mix", "Share of domains with each verdict.", bars);
  bar_chart(w, "Domains by verdict", "Number of domains with each verdict.", bars, s.domains);
  adoption(w, s);
  w << "<h3>TLS versions</h3>";
  bar_chart(w, "TLS versions negotiated",
            "Domains where at least one MX address negotiated each TLS version.",
            count_bars(s.tls_versions, "fair"), s.domains);
  w << "<h3>Certificate problems</h3><p class=\"note\">" << s.cert_problem_kinds
    << " kinds; domains with each on at least one address.</p>";
  bar_chart(w, "Certificate problems", "Domains with each certificate problem.",
            count_bars(s.cert_problems, "warn"), s.domains);
  w << "<h3>Top findings</h3><p class=\"note\">" << s.finding_kinds
    << " finding kinds; domains with each.</p>";
  counted_table(w, "Finding", s.findings, s.domains);
  operators(w, s);
}

void baseline_changes(Writer& w, const char* title, const char* id,
                      const std::vector<VerdictChange>& changes) {
  w << "<h4 id=\"" << Esc{id} << "\">" << Esc{title} << ": "
    << static_cast<long long>(changes.size()) << "</h4>";
  if (changes.empty()) return;
  w << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Domain</th><th scope=\"col\">"
       "Baseline</th><th scope=\"col\">Now</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < std::min(changes.size(), kMaxChangesListed); ++i) {
    const auto& c = changes[i];
    w << "<tr><th scope=\"row\">" << Esc{c.domain} << "</th><td>";
    verdict_badge(w, c.before);
    w << "</td><td>";
    verdict_badge(w, c.after);
    w << "</td></tr>";
  }
  w << "</tbody></table></div>";
  if (changes.size() > kMaxChangesListed)
    w << "<p class=\"note\">The first " << static_cast<long long>(kMaxChangesListed)
      << " by name.</p>";
}

void baseline_section(Writer& w, const Collection& now, const Collection& before) {
  const auto d = baseline_diff(before.domains, now.domains);
  w << "<h3 id=\"baseline-h\">Compared with the baseline</h3><p>Baseline:</p>";
  stamps(w, before);
  w << "<p>This scan:</p>";
  stamps(w, now);
  if (!d.added.empty() || !d.removed.empty()) {
    w << "<p class=\"warning\" id=\"lists-differ\">\u26A0 The two scans cover different domain "
         "lists: "
      << static_cast<long long>(d.added.size()) << " only in this scan, "
      << static_cast<long long>(d.removed.size())
      << " only in the baseline. The comparison below covers the domains in both.</p>";
  }
  w << "<p><span id=\"improved-n\">" << static_cast<long long>(d.improved.size())
    << "</span> improved, <span id=\"declined-n\">" << static_cast<long long>(d.declined.size())
    << "</span> declined, " << static_cast<long long>(d.other.size())
    << " changed to or from no-mail or untested, " << d.unchanged
    << " unchanged. Better means: enforced, then opportunistic, partial, broken, plaintext.</p>";
  baseline_changes(w, "\u2714 Improved", "improved-h", d.improved);
  baseline_changes(w, "\u2716 Declined", "declined-h", d.declined);
  baseline_changes(w, "\u21C4 Other changes", "other-h", d.other);
}

}  // namespace

void population_page(Writer& w, const Collection& now, const Collection* baseline) {
  const auto s = population_stats(now.domains);
  population_overview(w, now, s);
  if (baseline != nullptr) baseline_section(w, now, *baseline);
  domain_table(w, now.domains);
  w << "</section>";
}

}  // namespace intransit::report::html
