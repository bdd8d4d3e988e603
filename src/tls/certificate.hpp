// certificate.hpp — facts about a server's certificate chain and its verification:
// PKIX path validation against a CA file or the system store (RFC 5280 §6, via OpenSSL), and
// the name check against the MX host name (RFC 6125 §6.4: a wildcard only as the complete
// left-most label, no partial wildcards). A failed check is a fact, never an error of the probe.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace intransit::tls {

struct CertificateFacts {
  std::string subject;  // RFC 2253 form
  std::string issuer;
  std::vector<std::string> dns_names;  // subjectAltName dNSName entries
  std::string not_before;              // ISO 8601 UTC
  std::string not_after;
  std::string key_type;  // "RSA", "EC", "ED25519", ...
  int key_bits = 0;
  std::string signature_algorithm;
  std::string sha256_fingerprint;  // hex, of the DER certificate
  std::string spki_sha256;         // hex, of the DER SubjectPublicKeyInfo (TLSA 3 1 1 data)
  bool self_signed = false;  // subject == issuer and its key identifiers match (X509_self_signed)
};

struct Verification {
  bool trusted = false;  // a path to a trust anchor, every certificate in its validity
  std::string error;     // OpenSSL's reason when not trusted ("certificate has expired")
  int error_code = 0;    // X509_V_ERR_* behind `error` (0 when trusted)
  int error_depth = -1;  // where in the chain the error was found
  std::optional<bool> name_matches;  // nullopt when no name was given to check
  std::string checked_name;
};

// RELIABILITY items 18 and 59: at most this many intermediate CAs between the leaf and the
// trust anchor (OpenSSL's depth; Postfix's smtp_tls_scert_verifydepth default). A longer
// chain fails verification with "certificate chain too long" instead of being walked.
inline constexpr int kMaxVerifyDepth = 9;

CertificateFacts describe(X509* cert);

class TrustStore;

// Verifies `leaf` with the untrusted `chain` the server sent against `trust`. `name` empty
// skips the name check.
Verification verify(X509* leaf, STACK_OF(X509) * chain, const TrustStore& trust,
                    const std::string& name);

}  // namespace intransit::tls
