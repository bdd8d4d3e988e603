// smime_cert_test.cpp — SMIMEA judgements (RFC 8162 §2-3, RFC 6698 §2.1 parameters) on real
// DER certificates (tests/data/keys/README.md): usable, expired, sign-only, TLS-only, another
// address, and the records that publish no certificate at all.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "policy/smime_cert.hpp"

namespace intransit::policy {
namespace {

std::vector<std::uint8_t> cert_file(const std::string& name) {
  std::ifstream in(std::string(KEYS_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CertProblem judge(const std::string& file, const std::string& address = "erin@keys.test") {
  return inspect_smimea(3, 0, 0, cert_file(file), address).problem;
}

TEST(SmimeCert, UsableCertificateNamesTheAddress) {
  const auto f = inspect_smimea(3, 0, 0, cert_file("smime-usable.der"), "Erin@Keys.TEST");
  EXPECT_EQ(f.problem, CertProblem::none) << f.detail;
  EXPECT_EQ(f.subject, "CN=smime-usable");
  ASSERT_EQ(f.addresses.size(), 1U);
  EXPECT_EQ(f.addresses[0], "erin@keys.test");
  EXPECT_EQ(f.sha256.size(), 64U);
  EXPECT_TRUE(inspect_smimea(1, 0, 0, cert_file("smime-usable.der"), "erin@keys.test").usable());
}

TEST(SmimeCert, CertificateProblems) {
  EXPECT_EQ(judge("smime-expired.der"), CertProblem::expired);
  EXPECT_EQ(judge("smime-sign-only.der"), CertProblem::no_encryption_usage);
  EXPECT_EQ(judge("smime-tls-only.der"), CertProblem::no_encryption_usage);
  EXPECT_EQ(judge("smime-other-address.der"), CertProblem::no_address);
  EXPECT_EQ(judge("smime-other-address.der", "frank@keys.test"), CertProblem::none);
}

TEST(SmimeCert, RecordsThatPublishNoCertificate) {
  const auto der = cert_file("smime-usable.der");
  EXPECT_EQ(inspect_smimea(3, 0, 1, der, "erin@keys.test").problem, CertProblem::hash_only);
  EXPECT_EQ(inspect_smimea(3, 1, 0, der, "erin@keys.test").problem, CertProblem::key_only);
  EXPECT_EQ(inspect_smimea(2, 0, 0, der, "erin@keys.test").problem, CertProblem::trust_anchor_only);
  EXPECT_EQ(inspect_smimea(4, 0, 0, der, "erin@keys.test").problem,
            CertProblem::unknown_parameters);
}

TEST(SmimeCert, GarbageTrailingBytesAndTruncation) {
  auto der = cert_file("smime-usable.der");
  EXPECT_EQ(inspect_smimea(3, 0, 0, {}, "erin@keys.test").problem, CertProblem::unparsable);
  auto trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(inspect_smimea(3, 0, 0, trailing, "erin@keys.test").problem, CertProblem::unparsable);
  der.resize(der.size() - 10);
  const auto f = inspect_smimea(3, 0, 0, der, "erin@keys.test");
  EXPECT_EQ(f.problem, CertProblem::unparsable);
  EXPECT_FALSE(f.detail.empty());
}

}  // namespace
}  // namespace intransit::policy
