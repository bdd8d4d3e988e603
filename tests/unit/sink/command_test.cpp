// command_test.cpp — the sink's server-side command grammar (sink/command.hpp): verbs, paths,
// ESMTP parameters, RFC 5321 §4.5.3.1 size limits and hostile bytes (RELIABILITY.md item 48).
#include <gtest/gtest.h>

#include <string>

#include "sink/command.hpp"

namespace intransit::sink {
namespace {

MailPath ok(std::string_view argument, std::string_view keyword) {
  auto parsed = parse_path(argument, keyword);
  EXPECT_TRUE(std::holds_alternative<MailPath>(parsed)) << argument;
  return std::holds_alternative<MailPath>(parsed) ? std::get<MailPath>(parsed) : MailPath{};
}

std::string error(std::string_view argument, std::string_view keyword) {
  auto parsed = parse_path(argument, keyword);
  EXPECT_TRUE(std::holds_alternative<PathError>(parsed)) << argument;
  return std::holds_alternative<PathError>(parsed) ? std::get<PathError>(parsed).reply
                                                   : std::string();
}

TEST(SinkCommand, VerbsAreCaseInsensitiveAndKeepTheirArgument) {
  EXPECT_EQ(parse_command("ehlo client.example").verb, Verb::ehlo);
  EXPECT_EQ(parse_command("EHLO client.example").argument, "client.example");
  EXPECT_EQ(parse_command("StartTLS").verb, Verb::starttls);
  EXPECT_EQ(parse_command("MAIL FROM:<a@b>").argument, "FROM:<a@b>");
  EXPECT_EQ(parse_command("QUIT").verb, Verb::quit);
  EXPECT_EQ(parse_command("XYZZY 1").verb, Verb::unknown);
  EXPECT_EQ(parse_command("").verb, Verb::unknown);
  EXPECT_EQ(parse_command("MAILFROM:<a@b>").verb, Verb::unknown);
}

TEST(SinkCommand, PathsAndParameters) {
  const auto from = ok("FROM:<alice@example.org> SIZE=1234 BODY=8BITMIME requiretls", "FROM:");
  EXPECT_EQ(from.address, "alice@example.org");
  ASSERT_EQ(from.parameters.size(), 3U);
  EXPECT_EQ(from.parameters[0].first, "SIZE");
  EXPECT_EQ(from.parameters[0].second, "1234");
  EXPECT_TRUE(from.has("REQUIRETLS"));
  EXPECT_EQ(ok("FROM:<>", "FROM:").address, "");  // the null reverse-path (bounces)
  EXPECT_EQ(ok("from: <a@b.test>", "FROM:").address,
            "a@b.test");  // a space after the colon, as Postfix tolerates
  EXPECT_EQ(ok("TO:<postmaster>", "TO:").address, "postmaster");
  EXPECT_EQ(ok("TO:<@relay.test:bob@example.org>", "TO:").address,
            "bob@example.org");  // source route ignored
}

TEST(SinkCommand, RejectsBadPaths) {
  EXPECT_EQ(error("FROM:alice@example.org", "FROM:"), "501 5.1.7 Bad sender address syntax");
  EXPECT_EQ(error("TO:<>", "TO:"), "501 5.1.3 Bad recipient address syntax");
  EXPECT_EQ(error("TO:<bob>", "TO:"), "501 5.1.3 Bad recipient address syntax");
  EXPECT_EQ(error("TO:<bob@example.org", "TO:"), "501 5.1.3 Bad recipient address syntax");
  EXPECT_EQ(error("FROM <a@b>", "FROM:").substr(0, 3), "501");
  // RFC 5321 §4.5.3.1: local part 64, path 256.
  EXPECT_EQ(error("TO:<" + std::string(65, 'a') + "@example.org>", "TO:"),
            "501 5.1.3 Bad recipient address syntax");
  EXPECT_EQ(error("TO:<a@" + std::string(300, 'b') + ">", "TO:"),
            "501 5.1.3 Recipient address too long");
}

TEST(SinkCommand, HostileBytesNeverReachARecord) {
  // OpenSMTPD CVE-2020-7247 and Exim CVE-2020-28021 style payloads: rejected whole.
  EXPECT_FALSE(error(std::string("FROM:<a@b>\nRCPT TO:<root>", 26), "FROM:").empty());
  EXPECT_FALSE(error(std::string("FROM:<a\0b@c>", 12), "FROM:").empty());
  EXPECT_FALSE(error("FROM:<;sleep 66;@example.org> AUTH=\r", "FROM:").empty());
  EXPECT_EQ(
      error(
          "FROM:<a@b> X=1 X=2 X=3 X=4 X=5 X=6 X=7 X=8 X=9 X=10 X=11 X=12 X=13 X=14 X=15 X=16 X=17",
          "FROM:"),
      "501 5.5.4 Too many parameters");
  EXPECT_EQ(error("FROM:<a@b> B@D=1", "FROM:"), "501 5.5.4 Bad parameter");
  EXPECT_FALSE(valid_helo_name(""));
  EXPECT_FALSE(valid_helo_name("a b"));
  EXPECT_FALSE(valid_helo_name(std::string(256, 'a')));
  EXPECT_FALSE(valid_helo_name(std::string("host\0x", 6)));
  EXPECT_TRUE(valid_helo_name("[192.0.2.1]"));
}

}  // namespace
}  // namespace intransit::sink
