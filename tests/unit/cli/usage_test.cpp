// Unit tests for cli/usage.hpp: the command line's shared checks (RELIABILITY.md items 52, 60).
#include "cli/usage.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

using namespace intransit::cli;

TEST(Port, OneParserWithARangeCheck) {  // issue 14 item 18
  std::string error;
  EXPECT_EQ(parse_port("25", error), 25);
  EXPECT_EQ(parse_port("65535", error), 65535);
  for (const char* bad : {"70000", "-1", "0", "25abc", "", "+25", " 25", "4294967321"}) {
    error.clear();
    EXPECT_FALSE(parse_port(bad, error).has_value()) << bad;
    EXPECT_NE(error.find("not a port number"), std::string::npos) << bad;
  }
}

TEST(Seconds, NanAndInfinityAreRefused) {  // issue 14 item 19
  const auto check = seconds_between(1.0, 3600.0);
  for (std::string bad : {"nan", "NaN", "inf", "-inf", "0.5", "3601", "10s", ""}) {
    EXPECT_FALSE(check(bad).empty()) << bad;
  }
  for (std::string good : {"1", "10", "2.5", "3600"}) EXPECT_TRUE(check(good).empty()) << good;
}

TEST(Helo, OnlyANameOrAnAddressLiteral) {  // issue 14 item 21
  const auto check = helo_name();
  for (std::string good :
       {"mx.example.org", "localhost", "a-b.example", "[192.0.2.1]", "[IPv6:2001:db8::1]"}) {
    EXPECT_TRUE(check(good).empty()) << good;
  }
  const std::string long_label = std::string(64, 'a') + ".example";
  for (std::string bad :
       {"mx.example\r\nRCPT TO:<x@y>", "a b", "", "-x.example", "x-.example", "[300.1.1.1]",
        "[2001:db8::1]", "a..b", long_label.c_str(), "caf\xc3\xa9.example"}) {
    EXPECT_FALSE(check(bad).empty()) << bad;
  }
}

TEST(IpLiteral, RecognisedInEveryForm) {  // issue 14 item 23
  for (const char* ip : {"127.0.0.1", "[127.0.0.1]", "::1", "[::1]", "[IPv6:2001:db8::1]"}) {
    EXPECT_TRUE(is_ip_literal(ip)) << ip;
  }
  for (const char* name : {"example.org", "127.0.0.1.example", "[example.org]"})
    EXPECT_FALSE(is_ip_literal(name)) << name;
}

TEST(OptionFile, NonRegularAndHugeFilesAreRefused) {  // issue 14 item 20
  const auto check = option_file();
  for (std::string bad : {"/dev/zero", "/dev/stdin", "/", "/nonexistent/file"})
    EXPECT_FALSE(check(bad).empty()) << bad;
  std::string self =
      "/proc/self/exe";  // a regular file under the cap? the test binary is larger: refused by size
  EXPECT_NE(check(self).find("larger than"), std::string::npos);
}

TEST(UnknownWord, TheWordIsNamed) {  // issue 14 item 22
  CLI::App app;
  app.add_subcommand("check");
  app.add_subcommand("probe");
  const auto run = [&](std::vector<const char*> words) {
    words.insert(words.begin(), "intransit");
    return unknown_command_word(app, static_cast<int>(words.size()),
                                const_cast<char**>(words.data()));
  };
  EXPECT_NE(run({"frobnicate"}).value_or("").find("'frobnicate'"), std::string::npos);
  EXPECT_NE(run({"scan", "x"}).value_or("").find("'scan'"), std::string::npos);
  EXPECT_NE(run({"--frobnicate"}).value_or("").find("'--frobnicate'"), std::string::npos);
  EXPECT_NE(run({"--config", "/dev/zero", "check", "x"}).value_or("").find("regular file"),
            std::string::npos);
  EXPECT_FALSE(run({"check", "example.org"}).has_value());
  EXPECT_FALSE(run({"--help"}).has_value());
  EXPECT_FALSE(run({}).has_value());
}

TEST(Guard, AnEscapedExceptionIsOneLineAndExit70) {  // issue 14 item 3, RELIABILITY item 52
  std::ostringstream err;
  EXPECT_EQ(run_guarded([]() -> int { throw std::runtime_error("boom"); }, err), kExitSoftware);
  EXPECT_EQ(err.str(), "intransit: internal error: boom\n");
  std::ostringstream err2;
  EXPECT_EQ(run_guarded([]() -> int { throw 42; }, err2), kExitSoftware);
  EXPECT_EQ(err2.str(), "intransit: internal error (unknown exception)\n");
  EXPECT_EQ(run_guarded([] { return 3; }, err2), 3);
}
