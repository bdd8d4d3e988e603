// resolver_test.cpp — creating the libunbound resolver: the default root trust anchor loads
// (dns-root-data), and options it cannot use are clear errors at start, not failed lookups
// later. No query is sent: lookups are exercised against the lab (tests/integration).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "dns/resolver.hpp"

namespace intransit::dns {
namespace {

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

}  // namespace
}  // namespace intransit::dns
