// Unit tests for tls/rating.hpp against real OpenSSL suite descriptions (NCSC-NL TLS v2.1).
#include "tls/rating.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace {

using intransit::tls::Rating;

// Rates the suite OpenSSL knows by `name`, from a context that enables every suite.
std::string rate(const std::string& name) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_method()), SSL_CTX_free);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  SSL_CTX_set_ciphersuites(
      ctx.get(),
      "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
      "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256");
  STACK_OF(SSL_CIPHER)* all = SSL_CTX_get_ciphers(ctx.get());
  for (int i = 0; i < sk_SSL_CIPHER_num(all); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(all, i);
    if (name == SSL_CIPHER_get_name(c))
      return std::string(to_string(intransit::tls::rate_cipher(c)));
  }
  return "unknown suite " + name;
}

TEST(Rating, Versions) {
  EXPECT_EQ(to_string(intransit::tls::rate_version("TLSv1.3")), "good");
  EXPECT_EQ(to_string(intransit::tls::rate_version("TLSv1.2")), "sufficient");
  EXPECT_EQ(to_string(intransit::tls::rate_version("TLSv1.1")), "phase-out");
  EXPECT_EQ(to_string(intransit::tls::rate_version("TLSv1")), "phase-out");
  EXPECT_EQ(to_string(intransit::tls::rate_version("SSLv3")), "insufficient");
}

TEST(Rating, Tls13Suites) {
  EXPECT_EQ(rate("TLS_AES_256_GCM_SHA384"), "good");
  EXPECT_EQ(rate("TLS_CHACHA20_POLY1305_SHA256"), "good");
  EXPECT_EQ(rate("TLS_AES_128_GCM_SHA256"), "good");
  EXPECT_EQ(rate("TLS_AES_128_CCM_SHA256"), "sufficient");
  EXPECT_EQ(rate("TLS_AES_128_CCM_8_SHA256"), "insufficient");
}

TEST(Rating, Tls12Suites) {
  EXPECT_EQ(rate("ECDHE-RSA-AES256-GCM-SHA384"), "good");
  EXPECT_EQ(rate("ECDHE-ECDSA-CHACHA20-POLY1305"), "good");
  EXPECT_EQ(rate("ECDHE-RSA-AES128-SHA256"), "sufficient");
  EXPECT_EQ(rate("ECDHE-RSA-AES256-SHA"), "sufficient");
  EXPECT_EQ(rate("DHE-RSA-AES256-GCM-SHA384"), "sufficient");
  EXPECT_EQ(rate("DHE-RSA-AES128-SHA"), "sufficient");
  EXPECT_EQ(rate("AES256-GCM-SHA384"), "phase-out");
  EXPECT_EQ(rate("AES128-SHA"), "phase-out");
  EXPECT_EQ(rate("ADH-AES256-GCM-SHA384"), "insufficient");  // anonymous
  EXPECT_EQ(rate("AECDH-AES256-SHA"), "insufficient");
  EXPECT_EQ(rate("DHE-RSA-CAMELLIA256-SHA"), "insufficient");  // not named by the guideline
  EXPECT_EQ(rate("PSK-AES256-GCM-SHA384"), "insufficient");
}

}  // namespace
