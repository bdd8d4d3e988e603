// openpgp_key_test.cpp — the key verdicts of policy/openpgp_key on real GnuPG-made keys
// (tests/data/keys/README.md says how each was made): usable, expired, revoked, no encryption
// subkey, user ID naming another address, two keys in one body, garbage and the size cap.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "core/limits.hpp"
#include "policy/openpgp_key.hpp"

namespace intransit::policy {
namespace {

std::vector<std::uint8_t> key_file(const std::string& name) {
  std::ifstream in(std::string(KEYS_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

constexpr const char* kAlice = "8B0095D692B3E77EA45B0A53BD3047567AB5D345";
constexpr const char* kAliceSub = "DB91995B84B075F65D2A859DD20B9E2334511C74";

TEST(OpenPgpKey, UsableKeyNamesItsEncryptionSubkey) {
  const auto f = inspect_openpgp_key(key_file("usable.pgp"), "alice@keys.test");
  EXPECT_EQ(f.problem, KeyProblem::none) << f.detail;
  EXPECT_TRUE(f.usable());
  EXPECT_EQ(f.fingerprint, kAlice);
  EXPECT_EQ(f.encryption_fingerprint, kAliceSub);
  EXPECT_EQ(f.algorithm, "ECDH");
  ASSERT_EQ(f.user_ids.size(), 1U);
  EXPECT_EQ(f.user_ids[0], "Alice <alice@keys.test>");
  EXPECT_EQ(f.fingerprints.size(), 1U);
}

TEST(OpenPgpKey, AddressComparedWithoutAsciiCase) {
  EXPECT_TRUE(inspect_openpgp_key(key_file("usable.pgp"), "Alice@KEYS.test").usable());
  EXPECT_TRUE(user_id_names("alice@keys.test", "alice@keys.test"));
  EXPECT_FALSE(user_id_names("Alice <alice@keys.test.evil>", "alice@keys.test"));
  EXPECT_FALSE(user_id_names("", "alice@keys.test"));
}

TEST(OpenPgpKey, UserIdForAnotherAddress) {
  const auto f = inspect_openpgp_key(key_file("usable.pgp"), "mallory@keys.test");
  EXPECT_EQ(f.problem, KeyProblem::uid_mismatch);
  EXPECT_EQ(f.encryption_fingerprint, kAliceSub);
}

TEST(OpenPgpKey, SignOnlyKey) {
  const auto f = inspect_openpgp_key(key_file("sign-only.pgp"), "bob@keys.test");
  EXPECT_EQ(f.problem, KeyProblem::no_encryption_subkey);
  EXPECT_EQ(f.fingerprint, "21482AF30A43D0CCCA68087046E9007DF52D44C8");
  EXPECT_TRUE(f.encryption_fingerprint.empty());
}

TEST(OpenPgpKey, ExpiredKey) {
  const auto f = inspect_openpgp_key(key_file("expired.pgp"), "carol@keys.test");
  EXPECT_EQ(f.problem, KeyProblem::expired);
  EXPECT_EQ(f.fingerprint, "D591937B6F536050631405D696C812071793C245");
}

TEST(OpenPgpKey, RevokedKey) {
  const auto f = inspect_openpgp_key(key_file("revoked.pgp"), "dave@keys.test");
  EXPECT_EQ(f.problem, KeyProblem::revoked);
}

TEST(OpenPgpKey, TheUsableOfTwoKeysWins) {
  const auto f = inspect_openpgp_key(key_file("two-keys.pgp"), "alice@keys.test");
  EXPECT_TRUE(f.usable());
  EXPECT_EQ(f.fingerprints.size(), 2U);
  EXPECT_EQ(f.fingerprint, kAlice);
  // For Bob, the closest is his own sign-only key (Alice's names another address).
  EXPECT_EQ(inspect_openpgp_key(key_file("two-keys.pgp"), "bob@keys.test").problem,
            KeyProblem::uid_mismatch);
}

TEST(OpenPgpKey, GarbageEmptyAndOversizedAreUnparsable) {
  const std::vector<std::uint8_t> garbage{'n', 'o', 't', ' ', 'a', ' ', 'k', 'e', 'y'};
  const auto g = inspect_openpgp_key(garbage, "a@b.test");
  EXPECT_FALSE(g.usable());
  EXPECT_TRUE(g.problem == KeyProblem::unparsable || g.problem == KeyProblem::no_public_key);
  EXPECT_EQ(inspect_openpgp_key({}, "a@b.test").problem, KeyProblem::unparsable);
  const std::vector<std::uint8_t> huge(limits::kOpenPgpKeyBytes + 1, 0x99);
  const auto h = inspect_openpgp_key(huge, "a@b.test");
  EXPECT_EQ(h.problem, KeyProblem::unparsable);
  EXPECT_NE(h.detail.find("larger"), std::string::npos);
  auto truncated = key_file("usable.pgp");
  truncated.resize(truncated.size() / 2);
  EXPECT_FALSE(inspect_openpgp_key(truncated, "alice@keys.test").usable());
}

}  // namespace
}  // namespace intransit::policy
