// precedence_test.cpp — the verdict's precedence (check/precedence.hpp) as a truth table written
// from DESIGN.md §3, not from the code's output: each row is a set of evaluator results, the
// DESIGN sentence it checks, and the verdict, enforced_by and untested_reason DESIGN gives for
// it. Every verdict appears, and every tie between two rules has a row.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "check/precedence.hpp"

namespace intransit::check {
namespace {

// Evaluator results, built up row by row: one probed MX host unless told otherwise.
struct E {
  Evaluation e;
  E() { e.hosts.probed = 1; }
  E& gate(DnsGate g) { return e.gate = g, *this; }
  E& hosts(std::size_t probed, std::size_t without_address = 0) {
    e.hosts.probed = probed;
    e.hosts.without_address = without_address;
    return *this;
  }
  E& address_lookup_failed() { return e.hosts.address_lookup_failed = true, *this; }
  E& bogus_host() { return e.hosts.bogus = true, *this; }
  E& tls(std::size_t n) { return e.transport.tls += n, e.transport.addresses += n, *this; }
  E& plain(std::size_t n) { return e.transport.plaintext += n, e.transport.addresses += n, *this; }
  E& untested(std::size_t n, UntestedReason why) {
    e.transport.untested += n;
    e.transport.addresses += n;
    e.transport.untested_reason = why;
    return *this;
  }
  E& dane(DaneCoverage coverage) {
    return e.dane.coverage = coverage, e.dane.matched = true, *this;
  }
  E& dane_mismatch() { return e.dane.mismatch = true, *this; }
  E& dane_unusable(DaneCoverage coverage) {
    e.dane.coverage = coverage;
    e.dane.unusable = true;
    return *this;
  }
  E& tlsa_lookup_failed() { return e.dane.lookup_failed = true, *this; }
  E& sts(StsResult s) { return e.sts = s, *this; }
};

struct Row {
  std::string design;  // the DESIGN.md §3 words (or the stated tie) the row checks
  Evaluation evaluation;
  Verdict verdict;
  std::vector<Enforcer> enforced_by;
  std::optional<UntestedReason> untested_reason;
};

constexpr auto every = DaneCoverage::every_host;
constexpr auto some = DaneCoverage::some_hosts;
using R = UntestedReason;
using V = Verdict;
const std::vector<Enforcer> kNone;
const std::vector<Enforcer> kDane{Enforcer::dane};
const std::vector<Enforcer> kSts{Enforcer::mta_sts};
const std::vector<Enforcer> kBoth{Enforcer::dane, Enforcer::mta_sts};

std::vector<Row> rows() {
  return {
      // enforced
      {"enforced via dane: DNSSEC-secure MX and TLSA, every MX IP matches",
       E().dane(every).tls(2).e, V::enforced, kDane, std::nullopt},
      {"enforced via mta-sts: enforce, every MX matches and presents a valid certificate",
       E().sts(StsResult::holds).tls(2).e, V::enforced, kSts, std::nullopt},
      {"enforced via both", E().dane(every).sts(StsResult::holds).tls(1).e, V::enforced, kBoth,
       std::nullopt},
      {"DANE takes precedence over MTA-STS: a failing enforce policy does not break DANE",
       E().dane(every).sts(StsResult::fails).tls(1).e, V::enforced, kDane, std::nullopt},
      {"DANE on some MX hosts only is not 'every MX': not enforced",
       E().hosts(2).dane(some).tls(2).e, V::opportunistic, kNone, std::nullopt},
      {"DANE with unusable records does not enforce: opportunistic (senders still insist on TLS)",
       E().dane_unusable(every).tls(1).e, V::opportunistic, kNone, std::nullopt},
      // opportunistic
      {"opportunistic: every MX offers working STARTTLS, no policy", E().tls(3).e, V::opportunistic,
       kNone, std::nullopt},
      {"opportunistic: MTA-STS testing (no enforce policy)", E().sts(StsResult::none).tls(1).e,
       V::opportunistic, kNone, std::nullopt},
      {"opportunistic: TLSA in an unsigned zone (DANE does not apply)",
       E().dane(DaneCoverage::none).tls(1).e, V::opportunistic, kNone, std::nullopt},
      {"opportunistic: the untested addresses do not make TLS ones partial",
       E().tls(1).untested(1, R::unreachable).e, V::opportunistic, kNone, std::nullopt},
      // partial
      {"partial: some addresses offer TLS, some do not", E().hosts(2).tls(1).plain(1).e, V::partial,
       kNone, std::nullopt},
      {"partial: DANE on the TLS host only is not enforcement",
       E().hosts(2).dane(some).tls(1).plain(1).e, V::partial, kNone, std::nullopt},
      // plaintext
      {"plaintext: no MX offers working STARTTLS", E().plain(2).e, V::plaintext, kNone,
       std::nullopt},
      {"plaintext: the tested addresses are all plaintext", E().plain(1).untested(1, R::tarpit).e,
       V::plaintext, kNone, std::nullopt},
      // broken
      {"broken: TLSA mismatch", E().dane(every).dane_mismatch().tls(1).e, V::broken, kNone,
       std::nullopt},
      {"broken: DANE published, an address offers no TLS (beats plaintext)",
       E().dane(every).dane_mismatch().plain(1).e, V::broken, kNone, std::nullopt},
      {"broken beats enforced: DANE mismatch while MTA-STS holds",
       E().dane(every).dane_mismatch().sts(StsResult::holds).tls(1).e, V::broken, kNone,
       std::nullopt},
      {"broken: DNSSEC bogus on the mail hosts", E().bogus_host().tls(1).e, V::broken, kNone,
       std::nullopt},
      {"broken beats enforced: DNSSEC bogus where DANE would enforce",
       E().bogus_host().dane(every).tls(1).e, V::broken, kNone, std::nullopt},
      {"broken: the MX RRset fails DNSSEC", E().gate(DnsGate::mx_bogus).e, V::broken, kNone,
       std::nullopt},
      {"broken: MTA-STS enforce with a non-matching MX or invalid certificate, no DANE",
       E().sts(StsResult::fails).tls(1).e, V::broken, kNone, std::nullopt},
      {"broken beats untested: a policy that fails while other addresses were not reached",
       E().sts(StsResult::fails).untested(2, R::unreachable).e, V::broken, kNone, std::nullopt},
      {"broken beats untested: a DANE mismatch while a TLSA lookup failed elsewhere",
       E().hosts(2).dane(some).dane_mismatch().tlsa_lookup_failed().tls(1).e, V::broken, kNone,
       std::nullopt},
      // no-mail
      {"no-mail: null MX (RFC 7505)", E().gate(DnsGate::null_mx).e, V::no_mail, kNone,
       std::nullopt},
      {"no-mail: the domain does not exist", E().gate(DnsGate::nxdomain).e, V::no_mail, kNone,
       std::nullopt},
      {"no-mail: no MX and no address", E().gate(DnsGate::implicit_no_address).e, V::no_mail, kNone,
       std::nullopt},
      {"no-mail: no mail host has an address", E().hosts(2, 2).e, V::no_mail, kNone, std::nullopt},
      // untested
      {"untested: our own egress (no nameserver answered at all)", E().gate(DnsGate::no_network).e,
       V::untested, kNone, R::no_network},
      {"untested: DNS SERVFAIL/timeout on MX, never read as 'no record'",
       E().gate(DnsGate::mx_lookup_failed).e, V::untested, kNone, R::dns_failure},
      {"untested: no MX and the address lookup failed", E().gate(DnsGate::implicit_lookup_failed).e,
       V::untested, kNone, R::dns_failure},
      {"untested, not no-mail: an address lookup failed where others found none",
       E().hosts(2, 1).address_lookup_failed().e, V::untested, kNone, R::dns_failure},
      {"untested: all MX unreachable", E().untested(2, R::unreachable).e, V::untested, kNone,
       R::unreachable},
      {"untested: 421/rate-limited", E().untested(1, R::rate_limited).e, V::untested, kNone,
       R::rate_limited},
      {"untested: tarpit", E().untested(1, R::tarpit).e, V::untested, kNone, R::tarpit},
      {"untested: a DNS failure outranks what the probes said",
       E().hosts(2).address_lookup_failed().untested(1, R::rejected).e, V::untested, kNone,
       R::dns_failure},
      {"untested beats opportunistic: a TLSA lookup failed in a signed zone",
       E().tlsa_lookup_failed().tls(1).e, V::untested, kNone, R::dns_failure},
      // Tie DESIGN.md leaves to precedence.hpp's stated order ("could not find out" before
      // enforcement): a DANE sender cannot tell, so MTA-STS holding does not settle it.
      {"untested beats enforced: TLSA lookup failed while MTA-STS holds",
       E().tlsa_lookup_failed().sts(StsResult::holds).tls(1).e, V::untested, kNone, R::dns_failure},
      {"enforce without a tested address proves nothing: untested",
       E().sts(StsResult::unproven).untested(1, R::protocol_error).e, V::untested, kNone,
       R::protocol_error},
      // issue 18: serve refuses special-purpose addresses; not knowing is never "not supported"
      {"untested: every MX address special-purpose (not connected to)",
       E().untested(2, R::not_permitted).e, V::untested, kNone, R::not_permitted},
      {"untested, not opportunistic: the MTA-STS policy host is special-purpose",
       E().sts(StsResult::not_permitted).tls(1).e, V::untested, kNone, R::not_permitted},
      {"enforced: DANE decides even when the MTA-STS host was not fetched from",
       E().dane(every).sts(StsResult::not_permitted).tls(1).e, V::enforced, kDane, std::nullopt},
  };
}

TEST(Precedence, TruthTableFromDesign) {
  for (const auto& row : rows()) {
    const Decision d = decide(row.evaluation);
    EXPECT_EQ(to_string(d.verdict), to_string(row.verdict)) << row.design;
    EXPECT_EQ(d.enforced_by, row.enforced_by) << row.design;
    EXPECT_EQ(d.untested_reason, row.untested_reason) << row.design;
  }
}

// Every verdict word has at least one row.
TEST(Precedence, TruthTableCoversEveryVerdict) {
  std::vector<bool> seen(static_cast<std::size_t>(Verdict::untested) + 1);
  for (const auto& row : rows()) seen.at(static_cast<std::size_t>(row.verdict)) = true;
  for (std::size_t i = 0; i < seen.size(); ++i)
    EXPECT_TRUE(seen[i]) << to_string(static_cast<Verdict>(i));
}

}  // namespace
}  // namespace intransit::check
