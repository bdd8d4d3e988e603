// vocabulary.hpp — the words, symbols and colour classes the HTML report uses for verdicts and
// severities (DESIGN.md §3). Every colour comes with a word and a symbol, so colour is never the
// only signal (WCAG 2.1 SC 1.4.1).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace intransit::report::html {

// Recipient-domain verdicts (intransit.check/1 "verdict"), best first.
enum class Verdict { enforced, opportunistic, partial, plaintext, broken, no_mail, untested };
inline constexpr std::size_t kVerdicts = 7;
inline constexpr std::array<Verdict, kVerdicts> kAllVerdicts = {
    Verdict::enforced, Verdict::opportunistic, Verdict::partial, Verdict::plaintext,
    Verdict::broken,   Verdict::no_mail,       Verdict::untested};

std::optional<Verdict> parse_verdict(std::string_view word);
// The JSON word ("no-mail").
std::string_view verdict_word(Verdict v);
// A symbol shown next to the word ("✔", "✖", ...).
std::string_view verdict_symbol(Verdict v);
// One plain sentence for people.
std::string_view verdict_meaning(Verdict v);
// The CSS tone ("good", "fair", "warn", "bad", "none").
std::string_view verdict_tone(Verdict v);
// Protection rank for before/after comparisons: higher is better; nullopt for verdicts that say
// nothing about protection (no-mail, untested).
std::optional<int> verdict_rank(Verdict v);

// Finding severities (intransit.check/1 findings[].severity), worst first; unknown words last.
int severity_order(std::string_view severity);
std::string_view severity_symbol(std::string_view severity);
std::string_view severity_tone(std::string_view severity);

}  // namespace intransit::report::html
