// smime_cert.cpp — see smime_cert.hpp. OpenSSL objects are owned by unique_ptrs (STYLE.md
// habit 7); policy/ may not include tls/, so the few aliases are local.
#include "policy/smime_cert.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <memory>

#include "core/limits.hpp"

namespace intransit::policy {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct NamesFree {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};

constexpr std::size_t kAddressesKept = 32;  // a certificate naming more is odd; the rest ignored

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool same_address(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string text_of(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          static_cast<std::size_t>(ASN1_STRING_length(s))};
}

std::vector<std::string> addresses_of(X509* cert) {
  std::vector<std::string> out;
  const std::unique_ptr<GENERAL_NAMES, NamesFree> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()) && out.size() < kAddressesKept;
       ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_EMAIL) out.push_back(text_of(name->d.rfc822Name));
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_pkcs9_emailAddress, i)) >= 0 &&
                   out.size() < kAddressesKept;) {
    out.push_back(text_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
  }
  return out;
}

// keyUsage (when present) must allow keyEncipherment or keyAgreement; extKeyUsage (when
// present) must allow emailProtection or any purpose.
bool allows_encryption(X509* cert) {
  const std::uint32_t ku = X509_get_key_usage(cert);  // UINT32_MAX when absent
  if (ku != UINT32_MAX && (ku & (KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)) == 0) return false;
  if ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) != 0) {
    const std::uint32_t xku = X509_get_extended_key_usage(cert);
    if ((xku & (XKU_SMIME | XKU_ANYEKU)) == 0) return false;
  }
  return true;
}

std::string subject_line(X509* cert) {
  const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string sha256_hex(std::span<const std::uint8_t> der) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(der.data(), der.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < len; ++i) {
    s += kHex[md[i] >> 4U];
    s += kHex[md[i] & 15U];
  }
  return s;
}

// The parameters before any certificate is read (RFC 6698 §2.1.1-2.1.3 registries).
CertProblem judge_parameters(std::uint8_t usage, std::uint8_t selector, std::uint8_t matching) {
  if (usage > 3 || selector > 1 || matching > 2) return CertProblem::unknown_parameters;
  if (usage == 0 || usage == 2) return CertProblem::trust_anchor_only;
  if (matching != 0) return CertProblem::hash_only;
  if (selector == 1) return CertProblem::key_only;
  return CertProblem::none;
}

}  // namespace

std::string_view to_string(CertProblem problem) {
  switch (problem) {
    case CertProblem::none: return "none";
    case CertProblem::unparsable: return "unparsable";
    case CertProblem::hash_only: return "hash-only";
    case CertProblem::key_only: return "key-only";
    case CertProblem::trust_anchor_only: return "trust-anchor-only";
    case CertProblem::unknown_parameters: return "unknown-parameters";
    case CertProblem::expired: return "expired";
    case CertProblem::not_yet_valid: return "not-yet-valid";
    case CertProblem::no_address: return "no-address";
    case CertProblem::no_encryption_usage: return "no-encryption-usage";
  }
  return "?";
}

std::string_view describe(CertProblem problem) {
  switch (problem) {
    case CertProblem::none: return "the certificate can be used for encryption";
    case CertProblem::unparsable: return "the record data is not a DER certificate";
    case CertProblem::hash_only: return "the record holds a hash, not the certificate";
    case CertProblem::key_only: return "the record holds a bare public key, no certificate";
    case CertProblem::trust_anchor_only:
      return "the record names a CA, not the recipient's certificate";
    case CertProblem::unknown_parameters: return "the record's usage/selector/matching are unknown";
    case CertProblem::expired: return "the certificate has expired";
    case CertProblem::not_yet_valid: return "the certificate is not valid yet";
    case CertProblem::no_address: return "the certificate does not name the address";
    case CertProblem::no_encryption_usage: return "the certificate's key usage forbids encryption";
  }
  return "?";
}

SmimeaFacts inspect_smimea(std::uint8_t usage, std::uint8_t selector, std::uint8_t matching,
                           std::span<const std::uint8_t> data, std::string_view address) {
  SmimeaFacts f;
  f.problem = judge_parameters(usage, selector, matching);
  if (f.problem != CertProblem::none) return f;
  if (data.empty() || data.size() > limits::kSmimeCertBytes) {
    f.problem = CertProblem::unparsable;
    f.detail = data.empty() ? "no certificate data" : "certificate larger than the cap";
    return f;
  }
  const unsigned char* p = data.data();
  const std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(data.size())));
  if (!cert || p != data.data() + data.size()) {
    f.problem = CertProblem::unparsable;
    f.detail = cert ? "bytes after the certificate" : "not a DER X.509 certificate";
    return f;
  }
  f.subject = subject_line(cert.get());
  f.sha256 = sha256_hex(data);
  f.addresses = addresses_of(cert.get());
  bool named = false;
  for (const auto& a : f.addresses) named = named || same_address(a, address);
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) <= 0) {
    f.problem = CertProblem::expired;
  } else if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) >= 0) {
    f.problem = CertProblem::not_yet_valid;
  } else if (!named) {
    f.problem = CertProblem::no_address;
  } else if (!allows_encryption(cert.get())) {
    f.problem = CertProblem::no_encryption_usage;
  }
  return f;
}

}  // namespace intransit::policy
