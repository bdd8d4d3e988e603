// resolver_test.cpp — creating the libunbound resolver: the default root trust anchor loads
// (dns-root-data), and options it cannot use are clear errors at start, not failed lookups
// later. Lookups are exercised against the lab (tests/integration); the one query sent here goes
// to a loopback address where nothing listens.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <fstream>
#include <map>

#include "dns/resolver.hpp"

namespace intransit::dns {
namespace {

// A pool member that answers every lookup at once and remembers the names it was given.
class RecordingResolver final : public Resolver {
 public:
  explicit RecordingResolver(std::vector<std::string>& seen) : seen_(seen) {}
  boost::asio::awaitable<Answer> lookup(std::string name, RrType type) override {
    seen_.push_back(name);
    Answer a;
    a.name = std::move(name);
    a.type = type;
    a.status = Status::nxdomain;
    co_return a;
  }
  std::size_t lookups() const override { return seen_.size(); }

 private:
  std::vector<std::string>& seen_;
};

// The pool hands each lookup's name to one member, whole (GCC 12 once moved it away before the
// member was picked: every lookup hashed "" and went to the first context), spreads domains
// over the members, and keeps a domain's underscore names with the domain.
TEST(ResolverPool, SpreadsDomainsAndKeepsTheirUnderscoreNamesTogether) {
  std::vector<std::string> seen[2];
  std::vector<std::unique_ptr<Resolver>> members;
  members.push_back(std::make_unique<RecordingResolver>(seen[0]));
  members.push_back(std::make_unique<RecordingResolver>(seen[1]));
  auto pool = make_pool(std::move(members));
  boost::asio::io_context io;
  std::vector<std::string> asked;
  for (int i = 0; i < 64; ++i) {
    const std::string d = "d" + std::to_string(i) + ".example";
    for (const auto& name : {d, "_mta-sts." + d, "_smtp._tls." + d, "_25._tcp." + d}) {
      asked.push_back(name);
      boost::asio::co_spawn(
          io,
          [&pool, name]() -> boost::asio::awaitable<void> {
            const Answer a =
                co_await pool->lookup_within(name, RrType::txt, std::chrono::milliseconds(100));
            EXPECT_EQ(a.name, name);
          },
          boost::asio::detached);
    }
  }
  io.run();
  EXPECT_EQ(pool->lookups(), asked.size());
  EXPECT_FALSE(seen[0].empty());
  EXPECT_FALSE(seen[1].empty());
  std::map<std::string, int> member_of;
  for (int m = 0; m < 2; ++m) {
    for (const auto& name : seen[m]) member_of[name] = m;
  }
  EXPECT_EQ(member_of.size(), asked.size());  // every name arrived whole, none empty
  for (int i = 0; i < 64; ++i) {
    const std::string d = "d" + std::to_string(i) + ".example";
    EXPECT_EQ(member_of["_mta-sts." + d], member_of[d]) << d;
    EXPECT_EQ(member_of["_smtp._tls." + d], member_of[d]) << d;
    EXPECT_EQ(member_of["_25._tcp." + d], member_of[d]) << d;
  }
}

TEST(Resolver, DefaultTrustAnchorLoads) {
  boost::asio::io_context io;
  std::string error;
  const auto r = Resolver::create(io.get_executor(), ResolverOptions{}, error);
  EXPECT_NE(r, nullptr) << error;
  EXPECT_EQ(r->lookups(), 0U);
}

TEST(Resolver, MissingTrustAnchorIsAnError) {
  boost::asio::io_context io;
  std::string error;
  ResolverOptions options;
  options.trust_anchor = "/nonexistent/root.key";
  EXPECT_EQ(Resolver::create(io.get_executor(), options, error), nullptr);
  EXPECT_NE(error.find("/nonexistent/root.key"), std::string::npos);
}

TEST(Resolver, BadForwarderIsAnError) {
  boost::asio::io_context io;
  std::string error;
  ResolverOptions options;
  options.forward = "not-an-ip";
  EXPECT_EQ(Resolver::create(io.get_executor(), options, error), nullptr);
  EXPECT_NE(error.find("not-an-ip"), std::string::npos);
}

TEST(Resolver, MissingRootHintsIsAnError) {
  boost::asio::io_context io;
  std::string error;
  ResolverOptions options;
  options.root_hints = "/nonexistent/root.hints";
  EXPECT_EQ(Resolver::create(io.get_executor(), options, error), nullptr);
  EXPECT_FALSE(error.empty());
}

std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "intransit-resolver-" + name;
  std::ofstream(path) << content;
  return path;
}

// Issue 14 item 12: a garbage --trust-anchor is a usage error at start, like a garbage
// --ca-file, not a resolver that silently validates nothing.
TEST(Resolver, GarbageTrustAnchorIsAnError) {
  boost::asio::io_context io;
  for (const std::string content :
       {"", "this is not a trust anchor\n", ". IN DS 20326 8 2 nothex!\n"}) {
    std::string error;
    ResolverOptions options;
    options.trust_anchor = temp_file("anchor", content);
    EXPECT_EQ(Resolver::create(io.get_executor(), options, error), nullptr) << content;
    EXPECT_NE(error.find("trust anchor"), std::string::npos) << error;
  }
}

// Issue 14 item 12: root hints without an NS record would make libunbound fall back to the
// real root servers' addresses; that is a usage error too.
TEST(Resolver, EmptyRootHintsAreAnError) {
  boost::asio::io_context io;
  for (const std::string content : {"", "; only a comment\n"}) {
    std::string error;
    ResolverOptions options;
    options.root_hints = temp_file("hints", content);
    EXPECT_EQ(Resolver::create(io.get_executor(), options, error), nullptr) << content;
    EXPECT_NE(error.find("root hints"), std::string::npos) << error;
  }
}

// RELIABILITY item 58: a lookup that got no answer has DNSSEC status unknown, never insecure.
// The root hints point at a loopback address where nothing listens.
TEST(Resolver, FailedLookupHasUnknownDnssecStatus) {
  boost::asio::io_context io;
  std::string error;
  ResolverOptions options;
  options.root_hints =
      temp_file("dead-hints", ". 3600 IN NS a.dead.\na.dead. 3600 IN A 127.77.77.77\n");
  options.deadline = std::chrono::milliseconds(3000);
  auto resolver = Resolver::create(io.get_executor(), options, error);
  ASSERT_NE(resolver, nullptr) << error;
  Answer answer;
  boost::asio::co_spawn(io, resolver->lookup("example.test", RrType::mx),
                        [&](std::exception_ptr e, Answer a) {
                          if (e) std::rethrow_exception(e);
                          answer = std::move(a);
                        });
  io.run();
  EXPECT_FALSE(answer.conclusive());
  EXPECT_EQ(answer.security, Security::unknown) << to_string(answer.status) << " " << answer.why;
  EXPECT_EQ(to_string(answer.security), "unknown");
}

}  // namespace
}  // namespace intransit::dns
