// vocabulary.cpp — see vocabulary.hpp. The meanings follow DESIGN.md §3's verdict table.
#include "report/html/vocabulary.hpp"

namespace intransit::report::html {
namespace {

struct VerdictInfo {
  std::string_view word, symbol, tone, meaning;
  int rank;  // -1: not ranked
};

constexpr std::array<VerdictInfo, kVerdicts> kInfo = {{
    {"enforced", "\u2714", "good",
     "Senders that honour DANE or MTA-STS must use authenticated TLS: neither an eavesdropper nor "
     "an active attacker can read mail from them.",
     4},
    {"opportunistic", "\u25D0", "fair",
     "Every mail server offers TLS, but nothing obliges senders to insist on it: safe from "
     "eavesdroppers, not from an attacker who strips STARTTLS.",
     3},
    {"partial", "\u26A0", "warn",
     "Some mail servers offer TLS and some do not: protection depends on which one a sender "
     "picks.",
     2},
    {"plaintext", "\u2716", "bad",
     "No mail server offers working TLS: anyone on the path can read the mail.", 0},
    {"broken", "\u2297", "bad",
     "A published policy fails: senders that honour it will defer or bounce mail.", 1},
    {"no-mail", "\u2205", "none", "The domain accepts no mail (null MX or no mail host).", -1},
    {"untested", "?", "none", "It could not be found out; the reason is given.", -1},
}};

const VerdictInfo& info(Verdict v) {
  return kInfo[static_cast<std::size_t>(v)];
}

}  // namespace

std::optional<Verdict> parse_verdict(std::string_view word) {
  for (const Verdict v : kAllVerdicts) {
    if (info(v).word == word) return v;
  }
  return std::nullopt;
}

std::string_view verdict_word(Verdict v) {
  return info(v).word;
}
std::string_view verdict_symbol(Verdict v) {
  return info(v).symbol;
}
std::string_view verdict_meaning(Verdict v) {
  return info(v).meaning;
}
std::string_view verdict_tone(Verdict v) {
  return info(v).tone;
}
std::optional<int> verdict_rank(Verdict v) {
  if (info(v).rank < 0) return std::nullopt;
  return info(v).rank;
}

int severity_order(std::string_view s) {
  if (s == "critical") return 0;
  if (s == "high") return 1;
  if (s == "medium") return 2;
  if (s == "low") return 3;
  if (s == "info") return 4;
  return 5;
}

std::string_view severity_symbol(std::string_view s) {
  switch (severity_order(s)) {
    case 0: return "\u2297";
    case 1: return "\u2716";
    case 2: return "\u26A0";
    case 3: return "\u25D0";
    default: return "\u2139";
  }
}

std::string_view severity_tone(std::string_view s) {
  switch (severity_order(s)) {
    case 0:
    case 1: return "bad";
    case 2: return "warn";
    case 3: return "fair";
    default: return "none";
  }
}

}  // namespace intransit::report::html
