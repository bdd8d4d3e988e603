// trace_page.cpp — the page of a message or a mailbox (intransit.trace/1, and the mailbox's
// intransit.trace-summary/1): for one message, its path hop by hop with each hop's protection and
// the trust boundary; for a mailbox, the share of all-TLS paths by month of the top hop's date,
// by sender domain, the TLS versions of the hops and the plaintext relays. DESIGN.md §3.
#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"
#include "report/html/svg.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxMessagesListed = 2000, kMaxDiagramHops = 12;

const char* hop_tone(std::string_view v) {
  if (v == "tls") return "good";
  if (v == "plaintext") return "bad";
  return "none";
}

const char* hop_words(std::string_view v) {
  if (v == "tls") return "\u2714 TLS";
  if (v == "plaintext") return "\u2716 plaintext";
  if (v == "local") return "\u2302 local";
  return "? unknown";
}

const char* message_words(std::string_view v) {
  if (v == "all-tls") return "\u2714 Every hop with evidence used TLS.";
  if (v == "plaintext-hop") return "\u2716 At least one hop carried the message in plaintext.";
  return "? No hop says whether it used TLS.";
}

// "2025-07" from an RFC 5322 date ("Tue, 1 Jul 2025 10:00:00 +0000"); "" when none is found.
std::string month_of(std::string_view date) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    const auto at = date.find(kMonths[m]);
    if (at == std::string_view::npos || at + 9 > date.size()) continue;
    const auto year = date.substr(at + 4, 4);
    if (!std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    return std::string(year) + (m < 9 ? "-0" : "-") + std::to_string(m + 1);
  }
  return {};
}

std::string sender_domain(std::string_view from) {
  const auto at = from.rfind('@');
  if (at == std::string_view::npos) return "(unknown)";
  auto d = from.substr(at + 1);
  d = d.substr(0, d.find_first_of("> \t"));
  return d.empty() ? "(unknown)" : std::string(d);
}

void hop_diagram(Writer& w, const json& message) {
  const auto& hops = list(message, "hops");
  const std::size_t n = std::min(hops.size(), kMaxDiagramHops);
  if (n == 0) return;
  const double row = 46;
  w << "<div class=\"scroll\"><svg class=\"chart wide\" role=\"img\" viewBox=\"0 0 640 ";
  w.fixed(row * static_cast<double>(n) + 4, 0);
  w << "\" xmlns=\"http://www.w3.org/2000/svg\"><title>Path of the message, first hop at the "
       "top</title><desc>Each Received hop from sender to recipient with its protection; a "
       "dashed line marks the trust boundary.</desc>";
  bool was_trusted = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& h = hops[i];
    const double y = row * static_cast<double>(i) + 2;
    const bool trusted = flag(h, "trusted");
    if (trusted && !was_trusted && i > 0) {
      w << "<line class=\"boundary\" x1=\"0\" x2=\"640\" stroke-dasharray=\"6 4\" y1=\"";
      w.fixed(y - 2, 0);
      w << "\" y2=\"";
      w.fixed(y - 2, 0);
      w << "\"/>";
    }
    was_trusted = trusted;
    w << "<rect class=\"box\" x=\"0\" width=\"640\" height=\"40\" rx=\"4\" y=\"";
    w.fixed(y, 0);
    w << "\"/><text x=\"8\" y=\"";
    w.fixed(y + 17, 0);
    const auto from = str(h, "from"), by = str(h, "by");
    w << "\">" << num(h, "index") << ". "
      << Esc{(from.empty() ? "?" : from.substr(0, 30)) + " \u2192 " +
             (by.empty() ? "?" : by.substr(0, 30))}
      << "</text><text x=\"8\" y=\"";
    w.fixed(y + 34, 0);
    const auto v = str(h, "verdict");
    w << "\" class=\"t-" << Esc{hop_tone(v)} << "\">" << Esc{hop_words(v)} << " "
      << Esc{str(h, "tls_version")} << Esc{trusted ? " \u00B7 trusted" : " \u00B7 not trusted"}
      << "</text>";
  }
  w << "</svg></div>";
}

void hop_table(Writer& w, const json& message) {
  w << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">From"
       "</th><th scope=\"col\">By</th><th scope=\"col\">With</th><th scope=\"col\">Protection"
       "</th><th scope=\"col\">Trust</th><th scope=\"col\">Evidence</th></tr></thead><tbody>";
  for (const auto& h : list(message, "hops")) {
    const auto v = str(h, "verdict");
    w << "<tr><th scope=\"row\">" << num(h, "index") << "</th><td>" << Esc{str(h, "from")}
      << "</td><td>" << Esc{str(h, "by")} << "</td><td>" << Esc{str(h, "with")}
      << "</td><td class=\"t-" << Esc{hop_tone(v)} << "\">" << Esc{hop_words(v)} << " "
      << Esc{str(h, "tls_version")} << " " << Esc{str(h, "cipher")} << "</td><td>"
      << Esc{flag(h, "trusted") ? "trusted (written by your servers)" : "not trusted"}
      << "</td><td class=\"ev\">" << Esc{str(h, "evidence")} << "</td></tr>";
  }
  w << "</tbody></table></div>";
}

void message_section(Writer& w, const json& m) {
  const auto verdict = str(m, "verdict");
  const char* tone = verdict == "all-tls" ? "good" : verdict == "plaintext-hop" ? "bad" : "none";
  w << "<section aria-labelledby=\"msg-h\"><h2 id=\"msg-h\">Message " << Esc{str(m, "message_id")}
    << "</h2><p class=\"meta\">from " << Esc{str(m, "from")} << ", read from "
    << Esc{str(m, "source")} << "</p><p class=\"verdict t-" << Esc{tone} << "\" id=\"verdict\">"
    << Esc{message_words(verdict)} << "<span class=\"says\">End-to-end "
    << "protection of the content: " << Esc{str(m, "e2e")} << ".</span></p>"
    << "<h3>The path, hop by hop</h3><p class=\"note\">Hops below the dashed line were written "
       "by servers you trust; the ones above could have been forged by a sender.</p>";
  hop_diagram(w, m);
  hop_table(w, m);
  w << "</section>";
}

struct Tally {
  long long messages = 0, all_tls = 0;
};

void tally_table(Writer& w, const char* what, const std::map<std::string, Tally>& t) {
  w << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">" << Esc{what}
    << "</th><th scope=\"col\" class=\"n\">Messages</th><th scope=\"col\" class=\"n\">All TLS"
       "</th><th scope=\"col\" class=\"n\">Share</th></tr></thead><tbody>";
  for (const auto& [k, v] : t) {
    w << "<tr><th scope=\"row\">" << Esc{k} << "</th><td class=\"n\">" << v.messages
      << "</td><td class=\"n\">" << v.all_tls << "</td><td class=\"n\">";
    w.fixed(
        v.messages ? 100.0 * static_cast<double>(v.all_tls) / static_cast<double>(v.messages) : 0,
        1);
    w << "%</td></tr>";
  }
  w << "</tbody></table></div>";
}

struct MailboxStats {
  long long messages = 0, all_tls = 0, plaintext = 0, no_evidence = 0;
  std::map<std::string, Tally> months, senders;
  std::map<std::string, long long> versions, relays;
};

MailboxStats mailbox_stats(const std::vector<json>& messages) {
  MailboxStats s;
  for (const auto& m : messages) {
    const auto v = str(m, "verdict");
    const bool tls = v == "all-tls";
    ++s.messages;
    s.all_tls += tls;
    s.plaintext += v == "plaintext-hop";
    s.no_evidence += v == "no-evidence";
    const auto& hops = list(m, "hops");
    const auto month = hops.empty() ? std::string() : month_of(str(hops.back(), "date"));
    auto& mt = s.months[month.empty() ? "(no date)" : month];
    ++mt.messages;
    mt.all_tls += tls;
    auto& st = s.senders[sender_domain(str(m, "from"))];
    ++st.messages;
    st.all_tls += tls;
    for (const auto& h : hops) {
      if (!str(h, "tls_version").empty()) ++s.versions[str(h, "tls_version")];
      if (str(h, "verdict") == "plaintext") ++s.relays[str(h, "by")];
    }
  }
  return s;
}

std::vector<Bar> map_bars(const std::map<std::string, long long>& m, std::string_view tone) {
  std::vector<Bar> bars;
  for (const auto& [k, n] : m) bars.push_back({k, n, tone, {}});
  std::stable_sort(bars.begin(), bars.end(),
                   [](const Bar& a, const Bar& b) { return a.count > b.count; });
  if (bars.size() > 20) bars.resize(20);
  return bars;
}

void mailbox_section(Writer& w, const std::vector<json>& messages,
                     const std::vector<json>& summaries) {
  const auto s = mailbox_stats(messages);
  w << "<section aria-labelledby=\"mbox-h\"><h2 id=\"mbox-h\">A mailbox of <span id=\"mbox-n\">"
    << s.messages << "</span> messages</h2>";
  for (const auto& sum : summaries)
    w << "<p class=\"meta\">Summary: " << num(sum, "messages") << " messages, "
      << num(sum, "unreadable") << " unreadable.</p>";
  share_bar(w, "Paths",
            "Messages whose every hop with evidence used TLS, with a plaintext hop, and without "
            "evidence.",
            {{"all TLS", s.all_tls, "good", "\u2714"},
             {"plaintext hop", s.plaintext, "bad", "\u2716"},
             {"no evidence", s.no_evidence, "none", "?"}});
  w << "<h3>All-TLS share over time</h3><p class=\"note\">By the month of the top (last) hop's "
       "date.</p>";
  std::vector<Bar> months;
  std::vector<std::string> shares;
  for (const auto& [k, t] : s.months) {
    const long long permille = t.messages ? t.all_tls * 1000 / t.messages : 0;
    months.push_back({k, permille, "good", {}});
    shares.push_back(std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "% (" +
                     std::to_string(t.all_tls) + " of " + std::to_string(t.messages) + ")");
  }
  bar_chart(w, "All-TLS share by month", "Share of each month's messages with all-TLS paths.",
            months, 0, shares);
  tally_table(w, "Month", s.months);
  w << "<h3>By sender domain</h3>";
  tally_table(w, "Sender domain", s.senders);
  w << "<h3>TLS versions of the hops</h3>";
  bar_chart(w, "TLS versions", "Hops by the TLS version they state.", map_bars(s.versions, "fair"),
            0);
  w << "<h3>Plaintext relays</h3>";
  bar_chart(w, "Plaintext relays", "Relays (the by-host of the hop) by plaintext hops.",
            map_bars(s.relays, "bad"), 0);
  w << "<h3>Messages</h3><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Message-ID"
       "</th><th scope=\"col\">From</th><th scope=\"col\">Path</th><th scope=\"col\">Weakest hop"
       "</th><th scope=\"col\">End to end</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < std::min(messages.size(), kMaxMessagesListed); ++i) {
    const auto& m = messages[i];
    w << "<tr><th scope=\"row\">" << Esc{str(m, "message_id")} << "</th><td>" << Esc{str(m, "from")}
      << "</td><td>" << Esc{message_words(str(m, "verdict"))} << "</td><td>"
      << Esc{str(m, "weakest_hop")} << "</td><td>" << Esc{str(m, "e2e")} << "</td></tr>";
  }
  w << "</tbody></table></div>";
  if (messages.size() > kMaxMessagesListed)
    w << "<p class=\"note\">The first " << static_cast<long long>(kMaxMessagesListed) << ".</p>";
  w << "</section>";
}

}  // namespace

void trace_page(Writer& w, const std::vector<json>& messages, const std::vector<json>& summaries) {
  if (messages.size() == 1 && summaries.empty()) return message_section(w, messages.front());
  mailbox_section(w, messages, summaries);
}

}  // namespace intransit::report::html
