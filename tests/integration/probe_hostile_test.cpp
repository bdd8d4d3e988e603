// probe_hostile_test.cpp — the probe against every hostile scenario of test::HostileServer on
// loopback (port 0): RELIABILITY.md items 2-22. Each must end in exactly the expected outcome,
// at the expected phase, with the expected findings, within its deadline, and its JSON must
// serialise (valid UTF-8 whatever the server sent).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "core/text.hpp"
#include "report/json_text.hpp"
#include "report/probe_report.hpp"
#include "smtp/probe.hpp"
#include "smtp/sweep.hpp"
#include "support/hostile_server.hpp"

namespace asio = boost::asio;
using intransit::FindingId;
using intransit::ProbeOutcome;
using intransit::smtp::Phase;
using intransit::smtp::ProbeOptions;
using intransit::smtp::ProbeResult;
using intransit::test::HostileScenario;
using intransit::test::HostileServer;
using namespace std::chrono_literals;

namespace {

struct Expected {
  ProbeOutcome outcome;
  Phase phase;
  std::vector<FindingId> findings;
};

const std::map<HostileScenario, Expected>& expectations() {
  static const std::map<HostileScenario, Expected> table{
      {HostileScenario::valid, {ProbeOutcome::ok, Phase::ehlo_tls, {}}},
      {HostileScenario::silent, {ProbeOutcome::banner_timeout, Phase::banner, {}}},
      {HostileScenario::drip_banner, {ProbeOutcome::reply_deadline, Phase::banner, {}}},
      {HostileScenario::endless_multiline, {ProbeOutcome::reply_too_large, Phase::ehlo, {}}},
      {HostileScenario::long_line, {ProbeOutcome::line_too_long, Phase::banner, {}}},
      {HostileScenario::nul_banner, {ProbeOutcome::no_starttls, Phase::ehlo, {}}},
      {HostileScenario::lf_only,
       {ProbeOutcome::no_starttls, Phase::ehlo, {FindingId::smtp_bare_lf_in_reply}}},
      {HostileScenario::malformed_code, {ProbeOutcome::protocol_error, Phase::banner, {}}},
      {HostileScenario::inconsistent_codes,
       {ProbeOutcome::no_starttls, Phase::ehlo, {FindingId::smtp_inconsistent_reply_codes}}},
      {HostileScenario::unsolicited_data,
       {ProbeOutcome::no_starttls, Phase::ehlo, {FindingId::smtp_unsolicited_data}}},
      {HostileScenario::rate_limited, {ProbeOutcome::rate_limited, Phase::banner, {}}},
      {HostileScenario::no_starttls, {ProbeOutcome::no_starttls, Phase::ehlo, {}}},
      {HostileScenario::starttls_refused, {ProbeOutcome::starttls_refused, Phase::starttls, {}}},
      {HostileScenario::starttls_injection,
       {ProbeOutcome::ok, Phase::ehlo_tls, {FindingId::smtp_plaintext_after_starttls}}},
      {HostileScenario::handshake_stall, {ProbeOutcome::tls_timeout, Phase::tls_handshake, {}}},
      {HostileScenario::handshake_reset,
       {ProbeOutcome::tls_handshake_failed, Phase::tls_handshake, {}}},
      {HostileScenario::garbage_after_starttls,
       {ProbeOutcome::tls_handshake_failed, Phase::tls_handshake, {}}},
      {HostileScenario::huge_chain, {ProbeOutcome::tls_handshake_failed, Phase::tls_handshake, {}}},
      {HostileScenario::eof_mid_reply, {ProbeOutcome::connection_lost, Phase::ehlo, {}}},
      {HostileScenario::quit_ignored, {ProbeOutcome::no_starttls, Phase::ehlo, {}}},
      {HostileScenario::implicit_tls, {ProbeOutcome::ok, Phase::ehlo_tls, {}}},
      {HostileScenario::slow_banner, {ProbeOutcome::ok, Phase::ehlo_tls, {}}},
  };
  return table;
}

// Short deadlines keep the suite quick; the probe must honour them whatever the server does.
ProbeOptions short_options(const asio::ip::tcp::endpoint& endpoint) {
  ProbeOptions o;
  o.endpoint = endpoint;
  o.server_name = "hostile.test";
  o.deadlines.connect = 2s;
  o.deadlines.banner = 1500ms;
  o.deadlines.command = 1500ms;
  o.deadlines.handshake = 1500ms;
  o.deadlines.quit = 500ms;
  o.deadlines.total = 6s;
  return o;
}

ProbeResult run_probe(asio::io_context& io, const ProbeOptions& options) {
  std::optional<ProbeResult> result;
  asio::co_spawn(io, intransit::smtp::probe(options), [&](std::exception_ptr error, ProbeResult r) {
    if (error) std::rethrow_exception(error);
    result = std::move(r);
    io.stop();
  });
  io.run();
  EXPECT_TRUE(result.has_value());
  return result.value_or(ProbeResult{});
}

// Starts a server for `scenario` on 127.0.0.1:0 and probes it once.
ProbeResult probe_scenario(HostileScenario scenario, ProbeOptions* used = nullptr) {
  asio::io_context io;
  HostileServer server(io, {asio::ip::make_address("127.0.0.1"), 0}, scenario);
  server.start();
  ProbeOptions options = short_options(server.local_endpoint());
  if (scenario == HostileScenario::implicit_tls) options.mode = intransit::smtp::TlsMode::implicit;
  if (used != nullptr) *used = options;
  return run_probe(io, options);
}

class HostileProbe : public ::testing::TestWithParam<HostileScenario> {};

TEST_P(HostileProbe, EndsInTheExpectedOutcomeWithinItsDeadline) {
  const HostileScenario scenario = GetParam();
  const auto it = expectations().find(scenario);
  ASSERT_NE(it, expectations().end()) << "no expectation for " << to_string(scenario);
  const Expected& want = it->second;

  ProbeOptions options;
  const ProbeResult r = probe_scenario(scenario, &options);

  EXPECT_EQ(to_string(r.outcome), to_string(want.outcome)) << r.detail;
  EXPECT_EQ(to_string(r.phase), to_string(want.phase)) << r.detail;
  for (const auto& f : want.findings) {
    EXPECT_NE(std::find(r.findings.begin(), r.findings.end(), f), r.findings.end())
        << "missing finding " << to_string(f);
  }
  EXPECT_FALSE(r.detail.empty());
  // The deadline holds: a generous margin over the whole-probe deadline, never a speed target.
  EXPECT_LT(r.elapsed, options.deadlines.total + 5s);
  EXPECT_LE(r.bytes_read, intransit::limits::kProbeReadBytes);
  // Whatever the server sent, the report is valid UTF-8 JSON.
  const std::string json = intransit::report::probe_to_json(r).dump();
  EXPECT_TRUE(intransit::text::is_valid_utf8(json));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, HostileProbe,
                         ::testing::ValuesIn(intransit::test::all_hostile_scenarios()),
                         [](const auto& param_info) {
                           std::string name(to_string(param_info.param));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(HostileProbeDetails, ValidServerGivesTlsFactsAndPostTlsCapabilities) {
  const ProbeResult r = probe_scenario(HostileScenario::valid);
  ASSERT_TRUE(r.tls.has_value());
  EXPECT_FALSE(r.tls->version.empty());
  EXPECT_FALSE(r.tls->verification.trusted);  // self-signed
  EXPECT_EQ(r.tls->verification.name_matches, true);
  ASSERT_EQ(r.tls->chain.size(), 1u);
  EXPECT_TRUE(r.tls->chain[0].self_signed);
  ASSERT_TRUE(r.capabilities_tls.has_value());
  EXPECT_TRUE(r.capabilities_tls->has("REQUIRETLS"));  // only advertised after TLS
  EXPECT_FALSE(r.capabilities->has("REQUIRETLS"));
}

TEST(HostileProbeDetails, InjectedLinesNeverReachTheCapabilities) {
  const ProbeResult r = probe_scenario(HostileScenario::starttls_injection);
  ASSERT_TRUE(r.capabilities_tls.has_value());
  EXPECT_FALSE(r.capabilities_tls->has("FAKE"));
  EXPECT_FALSE(r.capabilities_tls->has("AUTH"));
}

TEST(HostileProbeDetails, NulAndEscapesInTheBannerAreEscaped) {
  const ProbeResult r = probe_scenario(HostileScenario::nul_banner);
  EXPECT_EQ(r.banner, "ho\\x00st \\xff\\xfe \\x1b[31mred\\x1b[0m ok");
}

// RELIABILITY.md item 51 (issue 14 item 1): a certificate whose dNSName holds 0xFF. nlohmann's
// dump() throws type_error 316 on it (probe --format json aborted, exit 134); the one JSON output
// boundary writes the byte as \xff and the document parses back.
TEST(HostileProbeDetails, NonUtf8CertificateNameReachesJsonEscaped) {
  asio::io_context io;
  HostileServer server(io, {asio::ip::make_address("127.0.0.1"), 0}, HostileScenario::valid,
                       "bad\xff.test");
  server.start();
  const ProbeResult r = run_probe(io, short_options(server.local_endpoint()));
  ASSERT_TRUE(r.tls.has_value());
  const std::string json = intransit::report::json_text(intransit::report::probe_to_json(r), 2);
  EXPECT_TRUE(intransit::text::is_valid_utf8(json));
  const auto parsed = nlohmann::json::parse(json);
  EXPECT_NE(parsed.dump().find("bad\\\\xff.test"), std::string::npos) << json;
}

TEST(HostileProbeDetails, HugeChainIsRefusedBySize) {
  const ProbeResult r = probe_scenario(HostileScenario::huge_chain);
  EXPECT_NE(r.detail.find("excessive message size"), std::string::npos) << r.detail;
}

TEST(HostileProbeDetails, ClosedPortIsRefused) {
  asio::io_context io;
  asio::ip::tcp::endpoint closed;
  {
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    closed = a.local_endpoint();
  }  // closed again: nothing listens there now
  const ProbeResult r = run_probe(io, short_options(closed));
  EXPECT_EQ(to_string(r.outcome), "connect-refused");
}

}  // namespace

namespace {

intransit::smtp::SweepResult sweep_scenario(
    HostileScenario scenario, std::chrono::seconds budget = std::chrono::seconds(600)) {
  asio::io_context io;
  HostileServer server(io, {asio::ip::make_address("127.0.0.1"), 0}, scenario);
  server.start();
  intransit::smtp::SweepResult sweep;
  intransit::smtp::spawn_sweep(io.get_executor(), short_options(server.local_endpoint()), sweep,
                               std::chrono::steady_clock::now() + budget);
  // The server's accept loop never runs out of work: stop once every version has reported.
  asio::steady_timer poll(io);
  std::function<void()> check = [&] {
    const bool done = std::all_of(sweep.versions.begin(), sweep.versions.end(),
                                  [](const auto& v) { return v.done; });
    if (done) {
      io.stop();
      return;
    }
    poll.expires_after(20ms);
    poll.async_wait([&](const boost::system::error_code&) { check(); });
  };
  check();
  io.run();
  return sweep;
}

TEST(HostileSweep, StallingHandshakesAreUntestedNeverUnsupported) {
  const auto sweep = sweep_scenario(HostileScenario::handshake_stall);
  ASSERT_EQ(sweep.versions.size(), 4u);
  for (const auto& v : sweep.versions) {
    EXPECT_FALSE(v.supported.has_value()) << v.version;  // could not test, not "no"
    EXPECT_NE(v.error.find("tls-timeout"), std::string::npos) << v.version << ": " << v.error;
  }
  const auto json = intransit::report::probe_to_json(ProbeResult{}, &sweep);
  EXPECT_TRUE(json["versions"]["TLSv1.3"].is_null());
}

TEST(HostileSweep, RefusedStarttlsIsUntestedToo) {
  const auto sweep = sweep_scenario(HostileScenario::starttls_refused);
  for (const auto& v : sweep.versions) {
    EXPECT_FALSE(v.supported.has_value()) << v.version;
    EXPECT_NE(v.error.find("starttls-refused"), std::string::npos) << v.error;
  }
}

TEST(HostileSweep, ValidServerSupportsTls13WithTheEliminationMinimum) {
  const auto sweep = sweep_scenario(HostileScenario::valid);
  const auto& v13 = sweep.versions.back();
  EXPECT_EQ(v13.version, "TLSv1.3");
  EXPECT_EQ(v13.supported, true);
  EXPECT_FALSE(v13.ciphers.empty());
  for (const auto& v : sweep.versions) {
    const int minimum = static_cast<int>(v.ciphers.size()) + 1 + (v.ciphers.size() >= 2 ? 1 : 0);
    if (v.supported.has_value()) {
      EXPECT_EQ(v.connections, minimum)
          << v.version << " " << v.ciphers.size() << " suites, server_order "
          << v.server_order.has_value() << " error " << v.error;
    }
  }
}

}  // namespace

namespace {

// RELIABILITY.md item 55: the probe's deadline covers the sweep. Each handshake with this server
// takes at least 1 s (its banner), so a 3 s budget allows at most three per version, 12 in all;
// without the deadline the elimination needs well over 20 (every TLS 1.2 suite of the server).
// Counts connections, not seconds: no wall-clock assertion.
TEST(HostileSweep, DeadlineCoversTheWholeSweep) {
  const auto sweep = sweep_scenario(HostileScenario::slow_banner, std::chrono::seconds(3));
  EXPECT_LE(sweep.connections(), 12);
  bool cut = false;
  for (const auto& v : sweep.versions) {
    EXPECT_TRUE(v.done);
    if (v.cut_short) {
      cut = true;
      EXPECT_NE(v.error.find("deadline"), std::string::npos) << v.version;
    }
  }
  EXPECT_TRUE(cut);
}

TEST(HostileSweep, RateLimitedServerIsGivenTimeThenReportedUntested) {
  const auto sweep = sweep_scenario(HostileScenario::rate_limited);
  for (const auto& v : sweep.versions) {
    EXPECT_FALSE(v.supported.has_value()) << v.version;
    EXPECT_NE(v.error.find("rate-limited"), std::string::npos) << v.error;
    EXPECT_EQ(v.deferrals, intransit::limits::kSweepBackoffRetries) << v.version;
    EXPECT_EQ(v.connections, intransit::limits::kSweepBackoffRetries + 1) << v.version;
  }
}

}  // namespace

namespace {

TEST(HostileProbeDetails, ProbesOverIpv6Loopback) {
  asio::io_context io;
  boost::system::error_code ec;
  asio::ip::tcp::acceptor probe_v6(io);
  probe_v6.open(asio::ip::tcp::v6(), ec);
  if (!ec) probe_v6.bind({asio::ip::make_address("::1"), 0}, ec);
  if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  probe_v6.close();
  HostileServer server(io, {asio::ip::make_address("::1"), 0}, HostileScenario::valid);
  server.start();
  const ProbeResult r = run_probe(io, short_options(server.local_endpoint()));
  EXPECT_EQ(to_string(r.outcome), "ok") << r.detail;
  EXPECT_EQ(r.address.rfind("[::1]:", 0), 0u) << r.address;
  EXPECT_TRUE(r.tls.has_value());
}

}  // namespace

namespace {

TEST(HostileProbeDetails, ImplicitTlsHandshakesBeforeTheBanner) {
  const ProbeResult r = probe_scenario(HostileScenario::implicit_tls);
  ASSERT_TRUE(r.tls.has_value());
  EXPECT_FALSE(r.capabilities.has_value());  // nothing was said in plaintext
  ASSERT_TRUE(r.capabilities_tls.has_value());
  EXPECT_TRUE(r.capabilities_tls->has("REQUIRETLS"));
  EXPECT_NE(r.banner.find("ESMTP"), std::string::npos);
}

}  // namespace
