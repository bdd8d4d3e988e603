// keys_audit_test.cpp — `keys` end to end on a scripted resolver and a fake HTTPS GET (the lab
// test runs the real ones): every verdict kind once, the advanced/direct WKD choice, the
// wildcard pitfall, the policy file, and "could not test" never turning into "none".
#include <gtest/gtest.h>

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <fstream>
#include <iterator>
#include <map>

#include "check/keys_audit.hpp"

namespace intransit::check {
namespace {
namespace asio = boost::asio;

std::vector<std::uint8_t> key_file(const std::string& name) {
  std::ifstream in(std::string(KEYS_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Unlisted names are NXDOMAIN (signed); listed ones answer as scripted.
class ScriptedResolver : public dns::Resolver {
 public:
  std::map<std::pair<std::string, dns::RrType>, dns::Answer> answers;
  void set(const std::string& name, dns::RrType type, dns::Status status, dns::Security security,
           std::vector<std::vector<std::uint8_t>> rdata = {}) {
    dns::Answer a;
    a.name = name;
    a.type = type;
    a.status = status;
    a.security = security;
    a.rdata = std::move(rdata);
    answers[{name, type}] = std::move(a);
  }
  asio::awaitable<dns::Answer> lookup(std::string name, dns::RrType type) override {
    ++count_;
    const auto it = answers.find({name, type});
    if (it != answers.end()) co_return it->second;
    dns::Answer a;
    a.name = name;
    a.type = type;
    a.status = dns::Status::nxdomain;
    a.security = dns::Security::secure;
    co_return a;
  }
  std::size_t lookups() const override { return count_; }

 private:
  std::size_t count_ = 0;
};

// host+target -> response; anything else is a 404.
struct FakeWeb {
  std::map<std::string, WkdResponse> pages;
  std::vector<std::string> asked;
  WkdGet get() {
    return
        [this](std::string host, std::string target, std::size_t) -> asio::awaitable<WkdResponse> {
          const std::string key = host + target;
          asked.push_back(key);
          const auto it = pages.find(key);
          if (it != pages.end()) co_return it->second;
          co_return WkdResponse{SourceStatus::absent, 404, "", "404 Not Found"};
        };
  }
};

WkdResponse ok(const std::vector<std::uint8_t>& body) {
  return WkdResponse{SourceStatus::found, 200, std::string(body.begin(), body.end()), "200 OK"};
}

AddressKeys run(ScriptedResolver& resolver, FakeWeb& web, const std::string& address) {
  asio::io_context io;
  auto future = asio::co_spawn(io, audit_keys(resolver, web.get(), address), asio::use_future);
  io.run();
  return future.get();
}

bool has(const AddressKeys& k, FindingId id) {
  for (const auto& f : k.findings) {
    if (f.id == id) return true;
  }
  return false;
}

policy::MailAddress parsed(const std::string& text) {
  std::string error;
  return *policy::split_address(text, error);
}

const std::string kAlice = "alice@keys.test";

TEST(KeysAudit, NothingPublishedIsNoneAndTheDirectMethodIsUsed) {
  ScriptedResolver dns;
  FakeWeb web;
  const auto k = run(dns, web, kAlice);
  EXPECT_EQ(k.verdict, KeysVerdict::none) << k.summary;
  EXPECT_EQ(k.summary, "none");
  EXPECT_EQ(k.wkd.method, "direct");
  EXPECT_EQ(k.wkd.status, SourceStatus::absent);
  ASSERT_EQ(web.asked.size(), 1U);
  EXPECT_EQ(web.asked[0].rfind("keys.test/.well-known/openpgpkey/hu/", 0), 0U);
}

TEST(KeysAudit, SignedOpenpgpkeyIsReadyByDnssec) {
  ScriptedResolver dns;
  FakeWeb web;
  dns.set(policy::openpgpkey_owner(parsed(kAlice)), dns::RrType::openpgpkey, dns::Status::answer,
          dns::Security::secure, {key_file("usable.pgp")});
  const auto k = run(dns, web, kAlice);
  EXPECT_EQ(k.verdict, KeysVerdict::ready_dnssec);
  EXPECT_EQ(k.summary, "ready (authenticated by DNSSEC)");
  ASSERT_EQ(k.openpgpkey.openpgp.size(), 1U);
  EXPECT_EQ(k.openpgpkey.openpgp[0].fingerprint, "8B0095D692B3E77EA45B0A53BD3047567AB5D345");
}

TEST(KeysAudit, UnsignedRecordIsReadyButUnauthenticated) {
  ScriptedResolver dns;
  FakeWeb web;
  dns.set(policy::openpgpkey_owner(parsed(kAlice)), dns::RrType::openpgpkey, dns::Status::answer,
          dns::Security::insecure, {key_file("usable.pgp")});
  const auto k = run(dns, web, kAlice);
  EXPECT_EQ(k.verdict, KeysVerdict::ready_unauthenticated);
  EXPECT_TRUE(has(k, FindingId::keys_unsigned_dns));
}

TEST(KeysAudit, AdvancedWkdIsReadyByWebPki) {
  ScriptedResolver dns;
  FakeWeb web;
  dns.set("openpgpkey.keys.test", dns::RrType::a, dns::Status::answer, dns::Security::secure,
          {{127, 0, 6, 1}});
  const auto a = parsed(kAlice);
  const std::string url = policy::wkd_advanced_url(a);
  web.pages["openpgpkey.keys.test" + url.substr(url.find("/.well-known"))] =
      ok(key_file("usable.pgp"));
  const auto k = run(dns, web, kAlice);
  EXPECT_EQ(k.wkd.method, "advanced");
  EXPECT_EQ(k.verdict, KeysVerdict::ready_webpki) << k.summary;
  EXPECT_EQ(k.wkd.policy_present, false);
  EXPECT_TRUE(has(k, FindingId::keys_wkd_policy_missing));
  EXPECT_FALSE(k.wkd.wildcard);
}

TEST(KeysAudit, ExpiredKeyIsFoundButUnusable) {
  ScriptedResolver dns;
  FakeWeb web;
  const std::string carol = "carol@keys.test";
  const auto a = parsed(carol);
  const std::string url = policy::wkd_direct_url(a);
  web.pages["keys.test" + url.substr(url.find("/.well-known"))] = ok(key_file("expired.pgp"));
  web.pages["keys.test/.well-known/openpgpkey/policy"] = ok({});
  const auto k = run(dns, web, carol);
  EXPECT_EQ(k.verdict, KeysVerdict::unusable);
  EXPECT_EQ(k.summary, "key found but unusable (WKD (direct): the key has expired)");
  EXPECT_TRUE(has(k, FindingId::keys_expired));
  EXPECT_FALSE(has(k, FindingId::keys_wkd_policy_missing));
}

TEST(KeysAudit, WildcardOpenpgpkeyHostIsThePitfall) {
  ScriptedResolver dns;
  FakeWeb web;
  dns.set("openpgpkey.keys.test", dns::RrType::a, dns::Status::answer, dns::Security::secure,
          {{127, 0, 6, 9}});
  dns.set(std::string(kWildcardProbeLabel) + ".keys.test", dns::RrType::a, dns::Status::answer,
          dns::Security::secure, {{127, 0, 6, 9}});
  const auto k = run(dns, web, kAlice);
  EXPECT_TRUE(k.wkd.wildcard);
  EXPECT_TRUE(has(k, FindingId::keys_wkd_wildcard));
  EXPECT_EQ(k.wkd.method, "advanced");
}

TEST(KeysAudit, FailedLookupIsCouldNotTestNeverNone) {
  ScriptedResolver dns;
  FakeWeb web;
  dns.set(policy::smimea_owner(parsed(kAlice)), dns::RrType::smimea, dns::Status::servfail,
          dns::Security::unknown);
  const auto k = run(dns, web, kAlice);
  EXPECT_EQ(k.verdict, KeysVerdict::untested) << k.summary;
  EXPECT_TRUE(has(k, FindingId::keys_lookup_failed));
  ScriptedResolver bogus;
  bogus.set(policy::openpgpkey_owner(parsed(kAlice)), dns::RrType::openpgpkey, dns::Status::answer,
            dns::Security::bogus, {key_file("usable.pgp")});
  EXPECT_EQ(run(bogus, web, kAlice).verdict, KeysVerdict::untested);
}

TEST(KeysAudit, SmimeaCertificateCounts) {
  ScriptedResolver dns;
  FakeWeb web;
  const std::string erin = "erin@keys.test";
  auto rd = std::vector<std::uint8_t>{3, 0, 0};
  const auto der = key_file("smime-usable.der");
  rd.insert(rd.end(), der.begin(), der.end());
  dns.set(policy::smimea_owner(parsed(erin)), dns::RrType::smimea, dns::Status::answer,
          dns::Security::secure, {rd});
  EXPECT_EQ(run(dns, web, erin).verdict, KeysVerdict::ready_dnssec);
  dns.set(policy::smimea_owner(parsed(erin)), dns::RrType::smimea, dns::Status::answer,
          dns::Security::secure, {{3, 0, 1, 0xab}});
  const auto hash = run(dns, web, erin);
  EXPECT_EQ(hash.verdict, KeysVerdict::unusable);
  EXPECT_TRUE(has(hash, FindingId::keys_smimea_unusable));
}

TEST(KeysAudit, AnAddressThatCannotBeLookedUp) {
  ScriptedResolver dns;
  FakeWeb web;
  const auto k = run(dns, web, "not-an-address");
  EXPECT_EQ(k.verdict, KeysVerdict::untested);
  EXPECT_EQ(dns.lookups(), 0U);
  EXPECT_TRUE(web.asked.empty());
}

}  // namespace
}  // namespace intransit::check
