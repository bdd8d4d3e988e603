// smime_cert.hpp — can a sender encrypt to this address with what an SMIMEA record holds?
// (`keys`, issue 21). SMIMEA (RFC 8162 §2) has TLSA's fields (RFC 6698 §2.1): only an
// end-entity record (usage 1 PKIX-EE or 3 DANE-EE) with the full certificate (selector 0,
// matching 0) gives a sender a certificate to encrypt to; a hash or a trust anchor only lets it
// check a certificate found elsewhere (RFC 8162 §3 and §6). The certificate (OpenSSL, DER) must
// hold the address (rfc822Name subjectAltName or the subject's emailAddress, RFC 8550 §3), be
// within its validity, and allow encryption: keyUsage keyEncipherment or keyAgreement when the
// extension is present, extKeyUsage emailProtection when that is present (RFC 8550 §4.4).
// Pure: no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::policy {

enum class CertProblem : std::uint8_t {
  none,                 // a certificate a sender can encrypt to
  unparsable,           // not a DER certificate, or over limits::kSmimeCertBytes
  hash_only,            // matching type 1/2: the certificate itself is not published
  key_only,             // selector 1: a public key without a certificate (no address in it)
  trust_anchor_only,    // usage 0/2: a CA, not the recipient's certificate
  unknown_parameters,   // usage/selector/matching outside RFC 6698's registries
  expired,              // notAfter in the past
  not_yet_valid,        // notBefore in the future
  no_address,           // the certificate does not name the address
  no_encryption_usage,  // keyUsage/extKeyUsage forbid encryption to it
};
std::string_view to_string(CertProblem problem);
std::string_view describe(CertProblem problem);

struct SmimeaFacts {
  CertProblem problem = CertProblem::unparsable;
  std::string detail;
  std::string subject;                 // one-line RFC 2253 form (escape to print)
  std::string sha256;                  // of the DER certificate, lower-case hex
  std::vector<std::string> addresses;  // rfc822Names and emailAddresses, capped
  bool usable() const { return problem == CertProblem::none; }
};

SmimeaFacts inspect_smimea(std::uint8_t usage, std::uint8_t selector, std::uint8_t matching,
                           std::span<const std::uint8_t> data, std::string_view address);

}  // namespace intransit::policy
