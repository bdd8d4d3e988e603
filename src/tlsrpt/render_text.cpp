// render_text.cpp — the text report (render.hpp): one line of counts, then per policy domain and
// day the sessions, a table per reporter and per MX, each result type with what it means, its
// likely causes and the remedy (result_types.hpp), and the reporters that disagree side by side;
// then the reports with their tolerances, the quarantine, the --verify re-tests, and what was
// not checked.
#include <algorithm>
#include <cstdio>

#include "core/text.hpp"
#include "tlsrpt/datetime.hpp"
#include "tlsrpt/render.hpp"

namespace intransit::tlsrpt {

const std::vector<std::string> kNotChecked = {
    "successful sessions are counted per policy, not per MX (RFC 8460 §4.4): an MX's own "
    "successes are not known",
    "what failed is not re-tested now: add --verify (or run `intransit check DOMAIN`) for "
    "today's state",
    "reports are not authenticated: anyone can send one (RFC 8460 §7)"};

const std::vector<std::string> kNotCheckedVerified = {
    "successful sessions are counted per policy, not per MX (RFC 8460 §4.4): an MX's own "
    "successes are not known",
    "--verify re-tests from this machine's network: a failure only the reporter's path sees "
    "(a middlebox stripping STARTTLS, its resolver) may not reproduce here",
    "reports are not authenticated: anyone can send one (RFC 8460 §7)"};

namespace {

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

std::string num(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string share(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

void write_tables(std::ostream& out, const DomainDay& d) {
  out << "  " << pad("reporter", 34) << right("successful", 12) << right("failed", 10) << "\n";
  for (const auto& r : d.reporters)
    out << "  " << pad(r.organization, 34) << right(num(r.successful), 12)
        << right(num(r.failed), 10) << "\n";
  if (d.mx.empty()) return;
  out << "\n  " << pad("MX (failed sessions)", 34) << right("failed", 12) << "  result types\n";
  for (const auto& m : d.mx) {
    std::string kinds;
    for (const auto& [word, n] : m.results)
      kinds += (kinds.empty() ? "" : ", ") + word + " " + num(n);
    out << "  " << pad(m.host, 34) << right(num(m.failed), 12) << "  " << kinds << "\n";
  }
}

void write_results(std::ostream& out, const DomainDay& d) {
  for (const auto& r : d.results) {
    out << "\n  " << r.word << ": " << num(r.sessions) << " failed session(s)";
    if (!r.type) {
      out << " — not a result type RFC 8460 §4.3 defines\n";
      continue;
    }
    const auto& i = info(*r.type);
    out << " (" << i.rfc << ")\n    means:  " << i.meaning << "\n    causes: " << i.causes
        << "\n    remedy: " << i.remedy << "\n";
  }
}

void write_disagreements(std::ostream& out, const DomainDay& d) {
  if (d.disagreements.empty()) return;
  out << "\n  reporters disagree:\n";
  for (const auto& x : d.disagreements) {
    std::string bad, good;
    for (const auto& s : x.failing)
      bad += (bad.empty() ? "" : "; ") + s.organization + " " + num(s.sessions) + " failed";
    for (const auto& s : x.succeeding)
      good += (good.empty() ? "" : "; ") + s.organization + " " + num(s.sessions) +
              " successful, none failed here";
    out << "    " << pad(x.mx, 30) << "| " << pad(bad, 36) << "| " << good << "\n";
  }
}

void write_domain(std::ostream& out, const DomainDay& d) {
  std::string types;
  for (const auto& t : d.policy_types) types += (types.empty() ? "" : ", ") + t;
  out << "\n" << d.domain << "  " << d.day << "  policy: " << types << "\n";
  out << "  " << num(d.successful) << " session(s) successful, " << num(d.failed) << " failed ("
      << share(d.failed, d.successful + d.failed) << ")"
      << (d.failed == 0 ? ": every reported session was protected\n" : "\n");
  write_tables(out, d);
  write_results(out, d);
  write_disagreements(out, d);
}

void write_reports(std::ostream& out, const Run& run) {
  if (run.reports.empty()) return;
  out << "\nReports:\n";
  for (const auto& r : run.reports) {
    out << "  " << r.report.organization << "  " << format_datetime(r.report.start) << " .. "
        << format_datetime(r.report.end) << "  id " << r.report.report_id << "  ("
        << to_string(r.status) << ")\n    from " << r.source << "\n";
    for (const auto& n : r.report.notes)
      out << "    tolerated " << n.id << ": " << n.detail << "\n";
  }
}

std::string verdict_words(const Verdict& v) {
  switch (v.state) {
    case RetestState::still_failing: return "still failing: " + v.now;
    case RetestState::no_longer_reproduces: return "no longer reproduces: " + v.now;
    case RetestState::could_not_test: break;
  }
  return "could not test: " + v.now;
}

void write_verify(std::ostream& out, const VerifyResults& v) {
  out << "\nRe-tested now (--verify):\n";
  if (v.verdicts.empty()) out << "  no failure was reported: nothing to re-test\n";
  for (const auto& r : v.verdicts) {
    const auto& t = r.target;
    out << "  " << text::printable(t.domain) << "  " << text::printable(t.result_word);
    if (!t.mx.empty()) out << "  MX " << text::printable(t.mx);
    if (!t.ip.empty()) out << "  " << text::printable(t.ip);
    out << "  (" << num(t.failed_sessions) << " session(s) reported)\n    "
        << text::printable(verdict_words(r)) << "\n";
    for (const auto& c : r.checks) out << "      - " << text::printable(c) << "\n";
  }
  if (v.skipped > 0)
    out << "  " << v.skipped << " more failure(s) not re-tested: over the limit of one run\n";
}

}  // namespace

void write_run_text(std::ostream& out, const Run& run, const std::vector<DomainDay>& summary,
                    const std::string& store_path, const VerifyResults* verify) {
  out << "TLS-RPT: " << run.reports.size() << " report(s) read (" << run.count(Status::new_report)
      << " new, " << run.count(Status::known) << " already known, " << run.count(Status::duplicate)
      << " repeated), " << run.quarantined.size() << " quarantined";
  if (!store_path.empty()) out << "; store " << store_path;
  out << "\n";
  if (summary.empty()) out << "No policy domain to summarise.\n";
  for (const auto& d : summary) write_domain(out, d);
  write_reports(out, run);
  if (!run.quarantined.empty()) {
    out << "\nQuarantined (not read):\n";
    for (const auto& q : run.quarantined) out << "  " << q.source << ": " << q.reason << "\n";
  }
  for (const auto& p : run.stats.problems) out << "\nproblem: " << p << "\n";
  if (verify != nullptr) write_verify(out, *verify);
  out << "\nNot checked:\n";
  for (const auto& n : verify != nullptr ? kNotCheckedVerified : kNotChecked)
    out << "  - " << n << "\n";
}

}  // namespace intransit::tlsrpt
