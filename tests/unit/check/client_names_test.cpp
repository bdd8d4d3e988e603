// client_names_test.cpp — the RFC 7817 §3 decision table (check/client_names.hpp) and the
// RFC 6125 §6.4.3 name match it rests on; SRV decoding and ordering (RFC 2782) used by the
// discovery; and the merge of SRV and autoconfig answers into one server list.
#include <gtest/gtest.h>

#include "check/client_discovery.hpp"
#include "check/client_names.hpp"
#include "dns/rdata.hpp"

namespace intransit::check {
namespace {

TEST(ClientNames, DecisionTable) {
  // have_cert, matches_domain, matches_host, source_authenticated
  EXPECT_EQ(decide_name(false, true, true, true), NameCheck::untested);
  EXPECT_EQ(decide_name(true, true, false, false), NameCheck::domain);
  EXPECT_EQ(decide_name(true, true, true, false), NameCheck::domain);
  EXPECT_EQ(decide_name(true, false, true, true), NameCheck::delegated);
  // An unsigned SRV to a foreign name whose certificate names only itself: not authenticated.
  EXPECT_EQ(decide_name(true, false, true, false), NameCheck::foreign_unauthenticated);
  EXPECT_EQ(decide_name(true, false, false, true), NameCheck::mismatch);
  EXPECT_EQ(decide_name(true, false, false, false), NameCheck::mismatch);
  EXPECT_TRUE(authenticated(NameCheck::domain));
  EXPECT_TRUE(authenticated(NameCheck::delegated));
  EXPECT_FALSE(authenticated(NameCheck::foreign_unauthenticated));
  EXPECT_FALSE(authenticated(NameCheck::mismatch));
}

TEST(ClientNames, WildcardOnlyAsTheWholeLeftmostLabel) {
  EXPECT_TRUE(name_matches("imap.example.test", "imap.example.test"));
  EXPECT_TRUE(name_matches("IMAP.Example.Test.", "imap.example.test"));
  EXPECT_TRUE(name_matches("*.example.test", "imap.example.test"));
  EXPECT_FALSE(name_matches("*.example.test", "example.test"));
  EXPECT_FALSE(name_matches("*.example.test", "a.imap.example.test"));
  EXPECT_FALSE(name_matches("im*.example.test", "imap.example.test"));
  EXPECT_FALSE(name_matches("*.*.test", "a.b.test"));
  EXPECT_FALSE(name_matches("", "example.test"));
  EXPECT_TRUE(any_name_matches({"a.test", "example.test"}, "example.test"));
}

dns::Srv srv(std::uint16_t priority, std::uint16_t weight, std::string target) {
  return {priority, weight, 993, std::move(target)};
}

TEST(ClientSrv, DecodeAndDotTarget) {
  const std::vector<std::uint8_t> rd{0,   10,  0, 5,   0x03, 0xe1, 4,   'i', 'm',
                                     'a', 'p', 4, 't', 'e',  's',  't', 0};
  std::string error;
  const auto s = dns::decode_srv(rd, error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->priority, 10);
  EXPECT_EQ(s->weight, 5);
  EXPECT_EQ(s->port, 993);
  EXPECT_EQ(s->target, "imap.test");
  const std::vector<std::uint8_t> dot{0, 0, 0, 0, 0, 0, 0};
  const auto d = dns::decode_srv(dot, error);
  ASSERT_TRUE(d) << error;
  EXPECT_EQ(d->target, ".");
  EXPECT_FALSE(dns::decode_srv(std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0}, error));
  EXPECT_FALSE(error.empty());
  std::vector<std::uint8_t> trailing = rd;
  trailing.push_back(1);
  EXPECT_FALSE(dns::decode_srv(trailing, error));
}

TEST(ClientSrv, PriorityThenWeightOrder) {
  const auto o = order_srv(
      {srv(20, 0, "c.test"), srv(10, 1, "b.test"), srv(10, 50, "a.test"), srv(10, 1, "a.test")});
  ASSERT_EQ(o.size(), 4u);
  EXPECT_EQ(o[0].target, "a.test");
  EXPECT_EQ(o[0].weight, 50);
  EXPECT_EQ(o[1].target, "a.test");
  EXPECT_EQ(o[2].target, "b.test");
  EXPECT_EQ(o[3].target, "c.test");
}

TEST(ClientDiscovery, MergeKeepsSourcesAndSkipsPlainHttp) {
  SrvLookup imaps;
  imaps.service = kSrvServices[2];  // _imaps._tcp
  imaps.answer.name = "_imaps._tcp.example.test";
  imaps.answer.status = dns::Status::answer;
  imaps.answer.security = dns::Security::insecure;
  imaps.records = {srv(0, 0, "imap.example.test")};
  SrvLookup pop3;
  pop3.service = kSrvServices[5];
  pop3.records = {srv(0, 0, ".")};
  pop3.not_offered = true;
  AutoconfigLookup https;
  https.fetch.url = "https://autoconfig.example.test/mail/config-v1.1.xml";
  https.config.emplace();
  https.config->servers.push_back(
      {true, "imap", "imap.%emaildomain%", 993, policy::SocketType::ssl});
  https.config->servers.push_back(
      {false, "smtp", "smtp.example.test", 587, policy::SocketType::plain});
  AutoconfigLookup plain = https;
  plain.source = AutoconfigSource::plain_http;
  plain.config->servers.push_back({true, "pop3", "pop.evil.test", 110, policy::SocketType::plain});
  const auto servers = merge_servers("example.test", {imaps, pop3}, {https, plain});
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0].leg, Leg::submission);
  EXPECT_TRUE(servers[0].plaintext);
  EXPECT_EQ(servers[1].leg, Leg::imap);
  EXPECT_EQ(servers[1].host, "imap.example.test");
  EXPECT_EQ(servers[1].mode, smtp::TlsMode::implicit);
  ASSERT_EQ(servers[1].origins.size(), 2u);  // the SRV answer and the autoconfig file
  EXPECT_FALSE(servers[1].origins[0].authenticated);
  EXPECT_TRUE(servers[1].origins[1].authenticated);
  EXPECT_TRUE(servers[1].authenticated_source());
}

}  // namespace
}  // namespace intransit::check
