// usage.hpp — the command line's own checks, shared by every subcommand (RELIABILITY.md item 60):
// one port parser, finite deadlines, an EHLO name that is a name, option files that are small
// regular files, and an unknown command or option named back to the user. Each failure is a usage
// error (exit 2) that says which word broke which rule.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/limits.hpp"

namespace intransit::cli {

// "25" -> 25: decimal digits only, 1-65535 (no sign, no trailing junk, no wrap-around).
std::optional<unsigned short> parse_port(std::string_view text, std::string& error);

// A CLI11 check for a deadline in seconds: a finite number within [lo, hi] (nan and inf refused).
CLI::Validator seconds_between(double lo, double hi);

// True for an IP address as a user might type it where a domain belongs: 192.0.2.1, [192.0.2.1],
// 2001:db8::1, [2001:db8::1] or [IPv6:2001:db8::1].
bool is_ip_literal(std::string_view text);

// A CLI11 check for --helo: a domain name (LDH labels) or an address literal, [192.0.2.1] or
// [IPv6:2001:db8::1] (RFC 5321 §4.1.3); never a CR, LF or space that would add an SMTP command.
CLI::Validator helo_name();

// A CLI11 check for a file option: a regular file of at most limits::kOptionFileBytes.
CLI::Validator option_file();

// Before CLI11 parses: the first word that is neither an option nor a known subcommand, or an
// option given before the subcommand that the program does not have, as a message naming it
// (CLI11 alone says "A subcommand is required" for all three). Also refuses a --config file that
// option_file() would refuse, since CLI11 reads it before any check runs.
std::optional<std::string> unknown_command_word(const CLI::App& app, int argc, char** argv);

// Exit status when something escaped a command (sysexits.h EX_SOFTWARE; RELIABILITY.md item 52).
inline constexpr int kExitSoftware = 70;

// Runs `command`; whatever it throws ends as one line on `err` and kExitSoftware, never an abort:
// a script or a scan sees a clean failure it can count.
int run_guarded(const std::function<int()>& command, std::ostream& err);

}  // namespace intransit::cli
