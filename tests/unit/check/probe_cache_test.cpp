// probe_cache_test.cpp — the engine's shared per-address probes (check/probe_cache.hpp): one
// run per key however many domains ask at once, separate runs for keys that differ in what
// changes a result (server name, DANE inputs), bounded memory, the gate's exclusions, and a
// 421 tried again through the gate as often as it allows (against a loopback fake server).
#include "check/probe_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <vector>

namespace intransit::check {
namespace {
namespace asio = boost::asio;

// A stand-in probe: takes 20 ms, counts its runs, answers with the key in `detail`.
asio::awaitable<ProbeReport> fake_probe(std::string key, int* runs) {
  ++*runs;
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
  co_await t.async_wait(asio::use_awaitable);
  ProbeReport r;
  r.result.detail = key;
  co_return r;
}

asio::awaitable<void> ask(ProbeCache& cache, std::string key, int* runs, std::string* out) {
  const ProbeCache::Run run = [key, runs] { return fake_probe(key, runs); };
  auto report = co_await cache.get(key, run);
  *out = report->result.detail;
}

TEST(ProbeCache, ConcurrentRequestsForOneKeyShareOneRun) {
  asio::io_context io;
  ProbeCache cache(io.get_executor(), 16);
  int runs = 0;
  std::vector<std::string> got(5);
  for (int i = 0; i < 4; ++i) asio::co_spawn(io, ask(cache, "a", &runs, &got[i]), asio::detached);
  asio::co_spawn(io, ask(cache, "b", &runs, &got[4]), asio::detached);
  io.run();
  EXPECT_EQ(runs, 2);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got[i], "a");
  EXPECT_EQ(got[4], "b");
  EXPECT_EQ(cache.probes_run(), 2U);
  EXPECT_EQ(cache.shared(), 3U);
  // Later requests come from the cache.
  asio::co_spawn(io, ask(cache, "a", &runs, &got[0]), asio::detached);
  io.restart();
  io.run();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(got[0], "a");
}

TEST(ProbeCache, KeepsAtMostCapacityEntries) {
  asio::io_context io;
  ProbeCache cache(io.get_executor(), 1);
  int runs = 0;
  std::string out;
  for (const char* key : {"a", "b", "a"}) {
    asio::co_spawn(io, ask(cache, key, &runs, &out), asio::detached);
    io.restart();
    io.run();
  }
  EXPECT_EQ(runs, 3);  // "a" was evicted by "b"
  EXPECT_EQ(cache.size(), 1U);
}

TEST(ProbeCache, KeyHoldsWhatChangesTheResult) {
  smtp::ProbeOptions a;
  a.endpoint = {asio::ip::make_address("192.0.2.1"), 25};
  a.server_name = "mx.example";
  smtp::ProbeOptions b = a;
  b.helo_name = "other.invalid";  // the same probe for a scan
  EXPECT_EQ(ProbeCache::key(a, false), ProbeCache::key(b, false));
  b.server_name = "mx.other.example";  // another SNI and certificate name check
  EXPECT_NE(ProbeCache::key(a, false), ProbeCache::key(b, false));
  smtp::ProbeOptions dane = a;
  dane.tlsa.push_back(dns::Tlsa{3, 1, 1, {1, 2, 3}});
  dane.tlsa_base = "mx.example";
  EXPECT_NE(ProbeCache::key(a, false), ProbeCache::key(dane, false));
  EXPECT_NE(ProbeCache::key(a, false), ProbeCache::key(a, true));
  smtp::ProbeOptions port = a;
  port.endpoint.port(2525);
  EXPECT_NE(ProbeCache::key(a, false), ProbeCache::key(port, false));
}

class RefuseAll : public ProbeGate {
 public:
  asio::awaitable<bool> acquire(asio::ip::address) override {
    ++asked;
    co_return false;
  }
  void release(asio::ip::address, ProbeOutcome) override { ++released; }
  int asked = 0;
  int released = 0;
};

asio::awaitable<void> probe_into(smtp::ProbeOptions o, ProbeGate* gate, ProbeReport* out) {
  *out = co_await run_probe(std::move(o), false, gate);
}

TEST(ProbeCache, AnExcludedAddressIsNeverContacted) {
  asio::io_context io;
  RefuseAll gate;
  smtp::ProbeOptions o;
  o.endpoint = {asio::ip::make_address("192.0.2.7"), 25};  // TEST-NET: would time out if tried
  o.server_name = "mx.example";
  ProbeReport report;
  asio::co_spawn(io, probe_into(o, &gate, &report), asio::detached);
  io.run();
  EXPECT_EQ(gate.asked, 1);
  EXPECT_EQ(gate.released, 0);
  EXPECT_EQ(report.result.outcome, ProbeOutcome::connect_failed);
  EXPECT_NE(report.result.detail.find("exclude"), std::string::npos);
  EXPECT_EQ(report.result.address, "192.0.2.7:25");
  EXPECT_TRUE(report.result.transcript.empty());
}

// Lets everything through, records each connection's outcome, allows two retries after a 421.
class RecordingGate : public ProbeGate {
 public:
  asio::awaitable<bool> acquire(asio::ip::address) override {
    ++asked;
    co_return true;
  }
  void release(asio::ip::address, ProbeOutcome outcome) override { outcomes.push_back(outcome); }
  int rate_limit_retries() const override { return 2; }
  int asked = 0;
  std::vector<ProbeOutcome> outcomes;
};

// A fake server that greets every connection with 421 and hangs up; counts them.
asio::awaitable<void> busy_server(asio::ip::tcp::acceptor& acceptor, int* accepted) {
  for (;;) {
    boost::system::error_code ec;
    auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    ++*accepted;
    static const std::string kBusy = "421 4.7.0 busy, try later\r\n";
    co_await asio::async_write(socket, asio::buffer(kBusy),
                               asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> probe_then_close(smtp::ProbeOptions o, ProbeGate* gate, ProbeReport* out,
                                       asio::ip::tcp::acceptor* acceptor) {
  *out = co_await run_probe(std::move(o), false, gate);
  acceptor->close();
}

TEST(ProbeCache, A421IsTriedAgainAsOftenAsTheGateAllowsThenReported) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  int accepted = 0;
  RecordingGate gate;
  smtp::ProbeOptions o;
  o.endpoint = acceptor.local_endpoint();
  o.server_name = "mx.example";
  ProbeReport report;
  asio::co_spawn(io, busy_server(acceptor, &accepted), asio::detached);
  asio::co_spawn(io, probe_then_close(o, &gate, &report, &acceptor), asio::detached);
  io.run();
  EXPECT_EQ(gate.asked, 3);  // the first try and two more, each through the gate
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(gate.outcomes, std::vector<ProbeOutcome>(3, ProbeOutcome::rate_limited));
  EXPECT_EQ(report.result.outcome, ProbeOutcome::rate_limited);
}

}  // namespace
}  // namespace intransit::check
