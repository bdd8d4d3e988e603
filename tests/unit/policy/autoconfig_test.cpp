// autoconfig_test.cpp — policy::parse_autoconfig (Thunderbird's config-v1.1.xml): the servers
// of a real-shaped document, socketType words, skipped entries with their notes, and the
// hostile-input rules (no DOCTYPE or entity, depth, size, not-XML).
#include <gtest/gtest.h>

#include <string>

#include "core/limits.hpp"
#include "policy/autoconfig.hpp"

namespace intransit::policy {
namespace {

const std::string kGood = R"(<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>Example.TEST</domain>
    <displayName>Example</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname> POP.%EMAILDOMAIN% </hostname>
      <port>110</port>
      <socketType>STARTTLS</socketType>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname>
      <port>587</port>
      <socketType>plain</socketType>
    </outgoingServer>
  </emailProvider>
</clientConfig>)";

TEST(Autoconfig, ParsesServers) {
  std::string error;
  const auto c = parse_autoconfig(kGood, error);
  ASSERT_TRUE(c) << error;
  ASSERT_EQ(c->servers.size(), 3u);
  EXPECT_EQ(c->domains, std::vector<std::string>{"example.test"});
  EXPECT_TRUE(c->servers[0].incoming);
  EXPECT_EQ(c->servers[0].type, "imap");
  EXPECT_EQ(c->servers[0].hostname, "imap.example.test");
  EXPECT_EQ(c->servers[0].port, 993);
  EXPECT_EQ(c->servers[0].socket, SocketType::ssl);
  EXPECT_EQ(c->servers[1].hostname, "pop.%emaildomain%");
  EXPECT_EQ(c->servers[1].socket, SocketType::starttls);
  EXPECT_FALSE(c->servers[2].incoming);
  EXPECT_EQ(c->servers[2].socket, SocketType::plain);
  EXPECT_TRUE(c->notes.empty());
}

TEST(Autoconfig, SkipsUnusableServersWithANote) {
  const std::string xml = R"(<clientConfig><emailProvider>
    <incomingServer type="exchange"><hostname>x.test</hostname><port>443</port>
      <socketType>SSL</socketType></incomingServer>
    <incomingServer type="imap"><hostname>a.test</hostname><port>99999</port>
      <socketType>SSL</socketType></incomingServer>
    <incomingServer type="imap"><hostname>b.test</hostname><port>143</port>
      <socketType>maybe</socketType></incomingServer>
    <outgoingServer type="imap"><hostname>c.test</hostname><port>25</port>
      <socketType>SSL</socketType></outgoingServer>
  </emailProvider></clientConfig>)";
  std::string error;
  const auto c = parse_autoconfig(xml, error);
  ASSERT_TRUE(c) << error;
  EXPECT_TRUE(c->servers.empty());
  EXPECT_EQ(c->notes.size(), 4u);
}

TEST(Autoconfig, RefusesDoctypeAndEntities) {  // no external entity, no entity expansion
  std::string error;
  EXPECT_FALSE(parse_autoconfig(R"(<?xml version="1.0"?>
<!DOCTYPE clientConfig [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<clientConfig><emailProvider><incomingServer type="imap"><hostname>&x;</hostname>
<port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>)",
                                error));
  EXPECT_NE(error.find("DOCTYPE"), std::string::npos) << error;
  EXPECT_FALSE(parse_autoconfig(R"(<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>
<clientConfig>&b;</clientConfig>)",
                                error));
}

TEST(Autoconfig, RefusesWhatIsNotAnAutoconfigFile) {
  std::string error;
  EXPECT_FALSE(parse_autoconfig("<html><body>hello</body></html>", error));
  EXPECT_NE(error.find("clientConfig"), std::string::npos) << error;
  EXPECT_FALSE(parse_autoconfig("<clientConfig><emailProvider>", error));  // not well-formed
  EXPECT_FALSE(parse_autoconfig("", error));
  EXPECT_FALSE(parse_autoconfig("<clientConfig/>", error));  // no server at all
  EXPECT_FALSE(error.empty());
}

TEST(Autoconfig, DepthAndSizeAreBounded) {
  std::string deep = "<clientConfig>";
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  deep += "</clientConfig>";
  std::string error;
  EXPECT_FALSE(parse_autoconfig(deep, error));
  EXPECT_NE(error.find("deeper"), std::string::npos) << error;
  const std::string big(limits::kAutoconfigBytes + 1, ' ');
  EXPECT_FALSE(parse_autoconfig(big, error));
  EXPECT_NE(error.find("over"), std::string::npos) << error;
}

TEST(Autoconfig, OverlongFieldIsUnusableNotTruncated) {
  const std::string xml = "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>" +
                          std::string(2000, 'a') +
                          "</hostname><port>993</port><socketType>SSL</socketType>"
                          "</incomingServer></emailProvider></clientConfig>";
  std::string error;
  const auto c = parse_autoconfig(xml, error);
  ASSERT_TRUE(c) << error;
  EXPECT_TRUE(c->servers.empty());
  EXPECT_EQ(c->notes.size(), 1u);
}

}  // namespace
}  // namespace intransit::policy
