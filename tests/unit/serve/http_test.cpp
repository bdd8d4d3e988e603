// http_test.cpp — serve's request parsing helpers (RFC 3986 §2.1 percent-decoding, form and query
// strings, cookies, bearer tokens) and the security headers every response carries.
#include <gtest/gtest.h>

#include "serve/http.hpp"

namespace intransit::serve {
namespace {

TEST(ServeHttp, PercentDecodingRefusesBrokenEscapes) {
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(percent_decode("%e2%9c%94", false), "\xe2\x9c\x94");
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("ab%zz", false));
}

TEST(ServeHttp, PathSegmentsDecodeAndRefuseInvalidText) {
  const auto p = path_segments("/api//v1/domains/ex%61mple.test?x=1");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, (std::vector<std::string>{"api", "v1", "domains", "example.test"}));
  EXPECT_FALSE(path_segments("/api/%ff"));  // not UTF-8
  EXPECT_FALSE(path_segments("/api/%f"));
  EXPECT_TRUE(path_segments("/")->empty());
}

TEST(ServeHttp, QueryAndFormFields) {
  const auto q = query_parameters("/check?domain=a.test&fresh=1&bad=%zz&domain=b.test");
  EXPECT_EQ(q.at("domain"), "b.test");  // later keys win
  EXPECT_EQ(q.at("fresh"), "1");
  EXPECT_FALSE(q.contains("bad"));
  EXPECT_TRUE(query_parameters("/check").empty());
  EXPECT_EQ(form_fields("headers=Received%3A+from+x%0D%0A").at("headers"), "Received: from x\r\n");
}

TEST(ServeHttp, CookiesAndBearerTokens) {
  Request r{http::verb::get, "/", 11};
  r.set(http::field::cookie, "a=1; intransit_admin=secret-token ;b=2");
  EXPECT_EQ(cookie(r, "intransit_admin"), "secret-token");
  EXPECT_FALSE(cookie(r, "missing"));
  EXPECT_FALSE(bearer_token(r));
  r.set(http::field::authorization, "Bearer abc");
  EXPECT_EQ(bearer_token(r), "abc");
  r.set(http::field::authorization, "Basic abc");
  EXPECT_FALSE(bearer_token(r));
}

TEST(ServeHttp, SecretsCompareWholly) {
  EXPECT_TRUE(same_secret("0123456789abcdef", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("0123456789abcdeF", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("0123456789abcde", "0123456789abcdef"));
  EXPECT_FALSE(same_secret("", ""));  // no token configured never matches
}

TEST(ServeHttp, EveryResponseCarriesTheSecurityHeaders) {
  for (const Response& r : {html_response(http::status::ok, "<p>x</p>"),
                            json_response(http::status::ok, nlohmann::json::object()),
                            problem(http::status::not_found, "no")}) {
    EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(r["X-Frame-Options"], "DENY");
    const std::string csp(r["Content-Security-Policy"]);
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp.find("form-action 'self'"), std::string::npos);
  }
}

TEST(ServeHttp, ProblemDetailsAreRfc9457AndPrintable) {
  const Response r = problem(http::status::too_many_requests, "slow\x01 down \xff");
  EXPECT_EQ(r[http::field::content_type], "application/problem+json");
  const auto j = nlohmann::json::parse(r.body());
  EXPECT_EQ(j["status"], 429);
  EXPECT_EQ(j["type"], "about:blank");
  EXPECT_EQ(j["title"], "Too Many Requests");
  EXPECT_EQ(j["detail"], "slow\\x01 down \\xff");
}

}  // namespace
}  // namespace intransit::serve
