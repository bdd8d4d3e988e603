// hostile_script.cpp — see hostile_script.hpp: the table of scenarios. The common pieces (banner,
// EHLO replies, the STARTTLS dialogue) are named once; each scenario is its list of steps.
#include "support/hostile_script.hpp"

#include <array>

namespace intransit::test {
namespace {
using namespace std::string_view_literals;

constexpr std::string_view kBanner = "220 {name} ESMTP hostile\r\n";
constexpr std::string_view kEhloPlain = "250-{name}\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
constexpr std::string_view kEhloStarttls = "250-{name}\r\n250-PIPELINING\r\n250 STARTTLS\r\n";
constexpr std::string_view kEhloTls = "250-{name}\r\n250-PIPELINING\r\n250 REQUIRETLS\r\n";
constexpr std::string_view kReady = "220 2.0.0 Ready to start TLS\r\n";
constexpr std::string_view kBye = "221 2.0.0 bye\r\n";

constexpr Step write(std::string_view text) {
  return {Op::write, text};
}
constexpr Step kRead{Op::read_line};
constexpr Step kDrain{Op::drain};
constexpr Step kTls{Op::tls_handshake};

// Banner, EHLO with STARTTLS, the STARTTLS command read; the scenario goes on from there.
#define STARTTLS_ASKED write(kBanner), kRead, write(kEhloStarttls), kRead
// After a completed handshake: EHLO again, QUIT answered.
#define TLS_SESSION kTls, kRead, write(kEhloTls), kRead, write(kBye)
// A plaintext session without STARTTLS: banner, EHLO, QUIT.
#define PLAIN(banner, ehlo) write(banner), kRead, write(ehlo), kRead

constexpr std::array kValid{STARTTLS_ASKED, write(kReady), TLS_SESSION};
constexpr std::array kSlowBanner{Step{Op::sleep, {}, 1000}, STARTTLS_ASKED, write(kReady),
                                 TLS_SESSION};
constexpr std::array kSilent{kDrain};
constexpr std::array kDrip{
    Step{Op::drip_forever, "220 slow.test ESMTP dripping one byte at a time ", 100}};
constexpr std::array kEndless{write(kBanner), kRead,
                              Step{Op::write_forever, "250-XEXTENSION and more and more\r\n"}};
constexpr std::array kLongLine{write("220 "), Step{Op::write_repeated, {}, 48}, kDrain};  // 3 MiB
constexpr std::array kNulBanner{
    PLAIN("220 ho\0st \xff\xfe \x1b[31mred\x1b[0m ok\r\n"sv, kEhloPlain), write(kBye)};
constexpr std::array kLfOnly{PLAIN("220 {name} ESMTP lf\n", "250-{name}\n250 PIPELINING\n"),
                             write(kBye)};
constexpr std::array kMalformedCode{write("2500 bad code\r\n"), kDrain};
constexpr std::array kInconsistent{PLAIN(kBanner, "252-{name}\r\n250 PIPELINING\r\n"), write(kBye)};
constexpr std::array kUnsolicited{
    PLAIN("220 {name} ESMTP hostile\r\n250 2.0.0 unasked\r\n", kEhloPlain), write(kBye)};
constexpr std::array kRateLimited{write("421 4.7.0 Too many connections, try later\r\n")};
constexpr std::array kNoStarttls{PLAIN(kBanner, kEhloPlain), write(kBye)};
constexpr std::array kQuitIgnored{PLAIN(kBanner, kEhloPlain), kDrain};
constexpr std::array kStarttlsRefused{STARTTLS_ASKED,
                                      write("454 4.7.0 TLS not available due to local problem\r\n"),
                                      kRead, write(kBye)};
// One write, so the forged lines travel in the same segment as the 220 (CVE-2011-0411).
constexpr std::array kInjection{
    STARTTLS_ASKED,
    write("220 2.0.0 Ready to start TLS\r\n250-FAKE injected\r\n250 AUTH PLAIN\r\n"), TLS_SESSION};
constexpr std::array kHandshakeStall{STARTTLS_ASKED, write(kReady), kDrain};
// The 220, then the first bytes of the client's handshake (so what follows cannot arrive
// together with the 220).
constexpr std::array kHandshakeReset{STARTTLS_ASKED, write(kReady), Step{Op::read_raw},
                                     Step{Op::reset}};
constexpr std::array kGarbage{STARTTLS_ASKED, write(kReady), Step{Op::read_raw},
                              write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
                              kDrain};
constexpr std::array kEofMidReply{write(kBanner), kRead, write("250-{name}\r\n250-PIPEL")};
constexpr std::array kImplicitTls{kTls, write(kBanner), kRead, write(kEhloTls), kRead, write(kBye)};

#undef STARTTLS_ASKED
#undef TLS_SESSION
#undef PLAIN

constexpr std::array<Script, 22> kScripts{{
    {HostileScenario::valid, "valid", kValid},
    {HostileScenario::silent, "silent", kSilent},
    {HostileScenario::drip_banner, "drip-banner", kDrip},
    {HostileScenario::endless_multiline, "endless-multiline", kEndless},
    {HostileScenario::long_line, "long-line", kLongLine},
    {HostileScenario::nul_banner, "nul-banner", kNulBanner},
    {HostileScenario::lf_only, "lf-only", kLfOnly},
    {HostileScenario::malformed_code, "malformed-code", kMalformedCode},
    {HostileScenario::inconsistent_codes, "inconsistent-codes", kInconsistent},
    {HostileScenario::unsolicited_data, "unsolicited-data", kUnsolicited},
    {HostileScenario::rate_limited, "rate-limited", kRateLimited},
    {HostileScenario::no_starttls, "no-starttls", kNoStarttls},
    {HostileScenario::starttls_refused, "starttls-refused", kStarttlsRefused},
    {HostileScenario::starttls_injection, "starttls-injection", kInjection},
    {HostileScenario::handshake_stall, "handshake-stall", kHandshakeStall},
    {HostileScenario::handshake_reset, "handshake-reset", kHandshakeReset},
    {HostileScenario::garbage_after_starttls, "garbage-after-starttls", kGarbage},
    {HostileScenario::huge_chain, "huge-chain", kValid, true},
    {HostileScenario::eof_mid_reply, "eof-mid-reply", kEofMidReply},
    {HostileScenario::quit_ignored, "quit-ignored", kQuitIgnored},
    {HostileScenario::implicit_tls, "implicit-tls", kImplicitTls},
    {HostileScenario::slow_banner, "slow-banner", kSlowBanner},
}};

// The table is in enum order, so a scenario's script is found by index.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    if (static_cast<std::size_t>(kScripts[i].scenario) != i) return false;
  }
  return true;
}
static_assert(in_enum_order());

}  // namespace

std::span<const Script> scripts() {
  return kScripts;
}

const Script& script_of(HostileScenario scenario) {
  return kScripts[static_cast<std::size_t>(scenario)];
}

}  // namespace intransit::test
