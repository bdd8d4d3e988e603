// judge_test.cpp — the message verdict from parsed hops (trace/message.hpp judge()): all-tls,
// plaintext-hop, no-evidence; the weakest hop; the trust boundary with and without
// --trusted-domain / --trusted-host.
#include <gtest/gtest.h>

#include "trace/message.hpp"

namespace intransit::trace {
namespace {

void set_by(Hop& h, std::string_view by) {
  auto t = h.texts();
  t.by = by;
  h.set_texts(t);
}

void set_from(Hop& h, std::string_view from) {
  auto t = h.texts();
  t.from = from;
  h.set_texts(t);
}

TracedHop hop(HopVerdict v, const char* by, const char* version = nullptr) {
  TracedHop h;
  h.hop.verdict = v;
  set_by(h.hop, by);
  if (version != nullptr) h.hop.tls_version = version;
  return h;
}

TEST(Judge, AllTlsAndWeakestVersion) {
  MessageTrace m;
  m.hops = {hop(HopVerdict::tls, "relay.example.org", "TLSv1.3"),
            hop(HopVerdict::tls, "mx.example.net", "TLSv1.2"),
            hop(HopVerdict::local, "imap.example.net")};
  judge(m, {});
  EXPECT_EQ(m.verdict, PathVerdict::all_tls);
  ASSERT_TRUE(m.weakest);
  EXPECT_EQ(*m.weakest, 1U);
}

TEST(Judge, FirstPlaintextHopIsTheWeakest) {
  MessageTrace m;
  m.hops = {hop(HopVerdict::tls, "a", "TLSv1.0"), hop(HopVerdict::plaintext, "b"),
            hop(HopVerdict::plaintext, "c")};
  judge(m, {});
  EXPECT_EQ(m.verdict, PathVerdict::plaintext_hop);
  EXPECT_EQ(m.weakest.value_or(99), 1U);
}

TEST(Judge, NoEvidence) {
  MessageTrace m;
  m.hops = {hop(HopVerdict::unknown, "a"), hop(HopVerdict::local, "b")};
  judge(m, {});
  EXPECT_EQ(m.verdict, PathVerdict::no_evidence);
  EXPECT_FALSE(m.weakest);
}

TEST(Judge, TrustBoundary) {
  MessageTrace m;
  m.hops = {hop(HopVerdict::tls, "mail.sender.example"), hop(HopVerdict::tls, "mx1.example.net"),
            hop(HopVerdict::local, "imap.example.net")};
  judge(m, {});
  EXPECT_FALSE(m.hops[0].trusted);
  EXPECT_FALSE(m.hops[1].trusted);
  EXPECT_TRUE(m.hops[2].trusted);
  judge(m, TrustOptions{{"example.net"}, {}});
  EXPECT_FALSE(m.hops[0].trusted);
  EXPECT_TRUE(m.hops[1].trusted);
  EXPECT_TRUE(m.hops[2].trusted);
  // The boundary is contiguous from the top: a forged "example.net" hop below a foreign one is
  // not trusted.
  m.hops.insert(m.hops.begin(), hop(HopVerdict::tls, "forged.example.net"));
  judge(m, TrustOptions{{"example.net"}, {}});
  EXPECT_FALSE(m.hops[0].trusted);
  judge(m, TrustOptions{{}, {"imap.example.net"}});
  EXPECT_FALSE(m.hops[2].trusted);
  EXPECT_TRUE(m.hops[3].trusted);
}

// Default trust follows in-host handoffs down to the hop the user's MX wrote, and no further:
// LMTP delivery from the MX, then a content filter reinjecting on the MX (from localhost), then
// the MX's own receiving hop, then whatever the sender wrote.
TEST(Judge, DefaultTrustFollowsLocalHandoffs) {
  const auto with_from = [](TracedHop h, const char* from) {
    set_from(h.hop, from);
    return h;
  };
  MessageTrace m;
  m.hops = {hop(HopVerdict::tls,
                "mx.example.net"),  // forged by the sender: "by" our MX, below a network hop
            hop(HopVerdict::tls, "relay.sender.example"),
            with_from(hop(HopVerdict::tls, "MX.example.net."), "relay.sender.example"),
            with_from(hop(HopVerdict::local, "mx.example.net"), "localhost"),
            with_from(hop(HopVerdict::local, "imap.example.net"), "mx.example.net")};
  judge(m, {});
  EXPECT_FALSE(m.hops[0].trusted);
  EXPECT_FALSE(m.hops[1].trusted);
  EXPECT_TRUE(m.hops[2].trusted);  // named by the reinjection hop's `by` (case and root dot aside)
  EXPECT_TRUE(m.hops[3].trusted);  // named by the LMTP hop's `from`
  EXPECT_TRUE(m.hops[4].trusted);
  // A local hop that names some other host extends nothing.
  set_from(m.hops[4].hop, "elsewhere.example");
  set_by(m.hops[3].hop, "filter.example.net");
  judge(m, {});
  EXPECT_FALSE(m.hops[3].trusted);
  EXPECT_FALSE(m.hops[2].trusted);
}

TEST(Judge, DomainMatchIsOnLabelBoundaries) {
  MessageTrace m;
  m.hops = {hop(HopVerdict::tls, "mx.notexample.net")};
  judge(m, TrustOptions{{"example.net"}, {}});
  EXPECT_FALSE(m.hops[0].trusted);
}

}  // namespace
}  // namespace intransit::trace
