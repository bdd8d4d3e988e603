// trace_report.cpp — see trace_report.hpp.
#include "report/trace_report.hpp"

#include <algorithm>
#include <iomanip>
#include <map>
#include <vector>

#include "core/limits.hpp"
#include "core/text.hpp"

namespace intransit::report {
using nlohmann::json;

nlohmann::json trace_to_json(const trace::MessageTrace& m) {
  json hops = json::array();
  for (std::size_t i = 0; i < m.hops.size(); ++i) {
    const auto& h = m.hops[i].hop;
    hops.push_back({{"index", i},
                    {"from", h.from()},
                    {"from_info", h.from_info()},
                    {"by", h.by()},
                    {"by_info", h.by_info()},
                    {"with", h.with()},
                    {"id", h.id()},
                    {"date", h.date()},
                    {"verdict", trace::to_string(h.verdict)},
                    {"tls_version", h.tls_version ? json(*h.tls_version) : json()},
                    {"cipher", h.cipher().empty() ? json() : json(h.cipher())},
                    {"authenticated", h.authenticated},
                    {"trusted", m.hops[i].trusted},
                    {"parsed", h.parsed},
                    {"evidence", h.evidence()},
                    {"raw", h.raw()}});
  }
  return {{"schema", kTraceSchema},
          {"source", m.source},
          {"message_id", m.message_id},
          {"from", m.from},
          {"hops", std::move(hops)},
          {"received_dropped", m.received_dropped},
          {"header_cut",
           {{"long_lines", m.header_cut.long_lines},
            {"long_line_bytes", m.header_cut.long_line_bytes},
            {"block_cut", m.header_cut.block_cut}}},
          {"verdict", trace::to_string(m.verdict)},
          {"weakest_hop", m.weakest ? json(*m.weakest) : json()},
          {"e2e", trace::to_string(m.e2e)},
          {"error", m.error.empty() ? json() : json(m.error)}};
}

namespace {
// What the header caps took away (RELIABILITY.md item 37), when they took anything.
void write_header_cut(std::ostream& out, const trace::HeaderCut& cut) {
  if (cut.long_lines > 0) {
    out << "  (" << cut.long_lines << " header line(s) over " << limits::kHeaderLineBytes
        << " bytes: " << cut.long_line_bytes << " bytes of them not read)\n";
  }
  if (cut.block_cut) {
    out << "  (header block over " << limits::kHeaderBlockBytes
        << " bytes: the rest of the message not read)\n";
  }
}
}  // namespace

void write_trace_text(std::ostream& out, const trace::MessageTrace& m, bool colour) {
  const auto paint = [&](const char* code, const std::string& s) {
    return colour ? std::string(code) + s + "\033[0m" : s;
  };
  out << m.source;
  if (!m.message_id.empty()) out << "  <" << m.message_id << ">";
  out << "\n";
  if (!m.error.empty()) {
    out << "  could not read: " << m.error << "\n";
    write_header_cut(out, m.header_cut);
    return;
  }
  switch (m.verdict) {
    case trace::PathVerdict::all_tls:
      out << "  " << paint("\033[32m", "Every hop with evidence used TLS") << " (" << m.hops.size()
          << " hops).\n";
      break;
    case trace::PathVerdict::plaintext_hop:
      out << "  " << paint("\033[31m", "At least one hop was plaintext")
          << ": anyone on that path could read this message.\n";
      break;
    case trace::PathVerdict::no_evidence: out << "  No hop says whether it used TLS.\n"; break;
  }
  out << "  end-to-end: " << trace::to_string(m.e2e) << "\n";
  for (std::size_t i = 0; i < m.hops.size(); ++i) {
    const auto& h = m.hops[i].hop;
    std::string what(trace::to_string(h.verdict));
    if (h.tls_version) what += " " + *h.tls_version;
    out << "  " << std::setw(2) << i + 1 << ". " << std::left << std::setw(16) << what << std::right
        << (h.from().empty() ? "?" : h.from()) << " -> " << (h.by().empty() ? "?" : h.by())
        << (h.authenticated ? "  [authenticated]" : "") << (m.hops[i].trusted ? "  [trusted]" : "")
        << (m.weakest && *m.weakest == i ? "  <- weakest" : "") << "\n";
    out << "      " << h.evidence() << "\n";
    if (!h.parsed) out << "      unparsed: " << h.raw() << "\n";
  }
  if (m.received_dropped > 0)
    out << "  (" << m.received_dropped << " more Received fields not read)\n";
  write_header_cut(out, m.header_cut);
}

namespace {
// The domain of a From value, lower-cased into `scratch` only when it has upper case in it.
std::string_view sender_domain(std::string_view from, std::string& scratch) {
  const auto at = from.rfind('@');
  if (at == std::string_view::npos) return "(none)";
  std::string_view d = from.substr(at + 1);
  d = d.substr(0, d.find_first_of("> \t\""));
  if (d.empty()) return "(none)";
  if (std::none_of(d.begin(), d.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return d;
  scratch = text::lower(d);
  return scratch;
}

// ++map[key], building the key only when it is new.
template <typename Map>
typename Map::mapped_type& at_key(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

// The summary's protection labels, weakest first (TraceSummary::ByProtection).
constexpr std::array<std::string_view, 7> kProtections{
    "plaintext", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3", "TLS (version not stated)"};
constexpr std::size_t kUnstated = kProtections.size() - 1;

// How a hop was protected, as an index into kProtections.
std::size_t protection(const trace::Hop& h) {
  if (h.verdict == trace::HopVerdict::plaintext) return 0;
  if (!h.tls_version) return kUnstated;
  // normalise_tls_version names nothing else.
  const auto it =
      std::find(kProtections.begin() + 1, kProtections.begin() + kUnstated, *h.tls_version);
  return static_cast<std::size_t>(it - kProtections.begin());
}

// The counts that are not zero, by label (JSON objects and the text table list them by name).
std::map<std::string_view, std::size_t> by_label(const std::array<std::size_t, 7>& counts) {
  std::map<std::string_view, std::size_t> out;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) out.emplace(kProtections[i], counts[i]);
  }
  return out;
}
}  // namespace

void TraceSummary::add(const trace::MessageTrace& m) {
  ++messages_;
  if (m.header_cut.any()) ++header_cut_;
  if (!m.error.empty()) {
    ++unreadable_;
    return;
  }
  thread_local std::string scratch;
  auto& domain = at_key(sender_domains_, sender_domain(m.from, scratch));
  for (Counts* c : {&total_, &domain}) {
    ++c->messages;
    if (m.verdict == trace::PathVerdict::all_tls) ++c->all_tls;
    if (m.verdict == trace::PathVerdict::plaintext_hop) ++c->plaintext;
    if (m.weakest) ++c->by_weakest[protection(m.hops[*m.weakest].hop)];
  }
  for (const auto& th : m.hops) {
    const auto& h = th.hop;
    if (h.verdict == trace::HopVerdict::tls || h.verdict == trace::HopVerdict::plaintext)
      ++hop_versions_[protection(h)];
    if (h.verdict == trace::HopVerdict::plaintext)
      ++at_key(plaintext_relays_, h.by().empty() ? "(unnamed)" : h.by());
  }
}

namespace {
template <typename Map>
std::vector<std::pair<std::string, std::size_t>> top(const Map& map, std::size_t n) {
  // Most first, ties by name: the order does not depend on the map's.
  std::vector<std::pair<std::string, std::size_t>> v(map.begin(), map.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > n) v.resize(n);
  return v;
}
double share(std::size_t part, std::size_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}
}  // namespace

nlohmann::json TraceSummary::to_json() const {
  json domains = json::object();
  for (const auto& [d, c] : sender_domains_) {
    domains[d] = {{"messages", c.messages},
                  {"all_tls", c.all_tls},
                  {"plaintext", c.plaintext},
                  {"by_weakest_hop", by_label(c.by_weakest)}};
  }
  json relays = json::array();
  for (const auto& [relay, n] : top(plaintext_relays_, 20))
    relays.push_back({{"relay", relay}, {"plaintext_hops", n}});
  return {{"schema", kTraceSummarySchema},
          {"messages", messages_},
          {"unreadable", unreadable_},
          {"header_cut", header_cut_},
          {"input_changed", outcome_.changed.empty() ? json() : json(outcome_.changed)},
          {"not_read", outcome_.problems},
          {"all_tls", total_.all_tls},
          {"plaintext", total_.plaintext},
          {"no_evidence", total_.messages - total_.all_tls - total_.plaintext},
          {"all_tls_share", share(total_.all_tls, total_.messages)},
          {"hops_by_tls_version", by_label(hop_versions_)},
          {"messages_by_weakest_hop", by_label(total_.by_weakest)},
          {"worst_relays", std::move(relays)},
          {"sender_domains", std::move(domains)}};
}

void TraceSummary::write_text(std::ostream& out) const {
  out << "\n" << messages_ << " messages";
  if (unreadable_ > 0) out << " (" << unreadable_ << " unreadable)";
  if (header_cut_ > 0) out << " (" << header_cut_ << " with a header cut at a cap)";
  out << ": " << total_.all_tls << " (" << std::fixed << std::setprecision(1)
      << 100 * share(total_.all_tls, total_.messages)
      << "%) travelled over TLS on every hop with evidence, " << total_.plaintext
      << " had a plaintext hop.\n";
  if (!outcome_.changed.empty())
    out << "  The file changed while it was read (" << outcome_.changed << "): read it again.\n";
  for (const auto& problem : outcome_.problems) out << "  Not read: " << problem << "\n";
  out << "\n  hops by protection\n";
  for (const auto& [v, n] : by_label(hop_versions_))
    out << "    " << std::left << std::setw(28) << v << std::right << n << "\n";
  if (!plaintext_relays_.empty()) {
    out << "\n  relays receiving in plaintext (worst first)\n";
    for (const auto& [relay, n] : top(plaintext_relays_, 10))
      out << "    " << std::left << std::setw(40) << relay << std::right << n << "\n";
  }
  out << "\n  sender domains (worst first)          messages  all-TLS  plaintext  weakest hop\n";
  std::vector<std::pair<std::string, Counts>> domains(sender_domains_.begin(),
                                                      sender_domains_.end());
  std::sort(domains.begin(), domains.end(), [](const auto& a, const auto& b) {
    return a.second.plaintext != b.second.plaintext ? a.second.plaintext > b.second.plaintext
                                                    : a.first < b.first;
  });
  for (std::size_t i = 0; i < domains.size() && i < 20; ++i) {
    const auto& [d, c] = domains[i];
    const auto weakest_index =
        std::find_if(c.by_weakest.begin(), c.by_weakest.end(), [](std::size_t n) { return n > 0; });
    const std::string_view weakest =
        weakest_index == c.by_weakest.end()
            ? "-"
            : kProtections[static_cast<std::size_t>(weakest_index - c.by_weakest.begin())];
    out << "    " << std::left << std::setw(36) << d << std::right << std::setw(8) << c.messages
        << std::setw(9) << c.all_tls << std::setw(11) << c.plaintext << "  " << weakest << "\n";
  }
}

}  // namespace intransit::report
