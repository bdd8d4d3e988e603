// openpgp_key.hpp — can a sender encrypt to this address with this OpenPGP key? (`keys`,
// issue 21). The key material (a WKD body, draft-koch-openpgp-webkey-service §3.1, or an
// OPENPGPKEY record, RFC 7929 §2: binary transferable public keys, RFC 4880 §11.1) is parsed
// by RNP from memory, never written to a keyring. A key is usable when a primary key is valid
// now (not expired, not revoked), has a user ID naming the address (RFC 7929 §5 and the
// draft's §3.1 require it), and it or one of its subkeys is valid and may encrypt (RFC 4880
// §5.2.3.21 key flags). Pure: no I/O besides RNP's parsing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::policy {

// Why a key cannot be used, worst-first order does not matter: the first key that is usable
// wins; otherwise the problem of the key that came closest is reported.
enum class KeyProblem : std::uint8_t {
  none,                  // usable
  unparsable,            // RNP could not read it (or it was empty / over the size cap)
  no_public_key,         // parsed, but no primary public key in it
  revoked,               // the primary key is revoked
  expired,               // the primary key has expired
  invalid,               // not valid for another reason (no valid self-signature, weak)
  no_encryption_subkey,  // valid, but no valid (sub)key allows encryption
  uid_mismatch,          // usable key, but no valid user ID names the address
};
std::string_view to_string(KeyProblem problem);
// A sentence for people: "the key has expired".
std::string_view describe(KeyProblem problem);

struct OpenPgpKeyFacts {
  KeyProblem problem = KeyProblem::unparsable;
  std::string detail;                     // RNP's or our words when unparsable
  std::vector<std::string> fingerprints;  // primary keys found (upper-case hex), capped
  std::string fingerprint;                // the key judged (the usable one, or the closest)
  std::string encryption_fingerprint;     // its encryption-capable (sub)key, when one
  std::string algorithm;                  // of that (sub)key, e.g. "ECDH" / "RSA"
  std::vector<std::string> user_ids;      // of the key judged (raw bytes; escape to print)
  std::size_t keys_not_inspected = 0;     // primary keys past limits
  bool usable() const { return problem == KeyProblem::none; }
};

// `key` over limits::kOpenPgpKeyBytes is refused unparsed. `address` is compared with each user
// ID's address (the part in <>, or the whole ID), ASCII case-insensitively.
OpenPgpKeyFacts inspect_openpgp_key(std::span<const std::uint8_t> key, std::string_view address);

// true when a user ID names `address` (exposed for the unit tests).
bool user_id_names(std::string_view user_id, std::string_view address);

}  // namespace intransit::policy
