// certificate.cpp — see certificate.hpp. RFC 5280 §6 (path validation, done by OpenSSL),
// RFC 6125 §6.4.3 (wildcards), RFC 7672 §3.1 (SPKI digest used by TLSA 3 1 1).
#include "tls/certificate.hpp"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>
#include <ctime>

#include "tls/ossl_ptr.hpp"
#include "tls/trust_store.hpp"

namespace intransit::tls {
namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0x0F];
  }
  return out;
}

std::string name_to_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string{};
}

std::string time_to_iso(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

std::string sha256_hex(const unsigned char* der, std::size_t size) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  if (EVP_Digest(der, size, md.data(), &md_len, EVP_sha256(), nullptr) != 1) return {};
  return hex(md.data(), md_len);
}

}  // namespace

CertificateFacts describe(X509* cert) {
  CertificateFacts facts;
  if (cert == nullptr) return facts;
  facts.subject = name_to_string(X509_get_subject_name(cert));
  facts.issuer = name_to_string(X509_get_issuer_name(cert));
  facts.not_before = time_to_iso(X509_get0_notBefore(cert));
  facts.not_after = time_to_iso(X509_get0_notAfter(cert));

  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
      if (gn->type != GEN_DNS) continue;
      const ASN1_IA5STRING* s = gn->d.dNSName;
      facts.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                   static_cast<std::size_t>(ASN1_STRING_length(s)));
    }
    GENERAL_NAMES_free(sans);
  }

  if (EVP_PKEY* key = X509_get0_pubkey(cert); key != nullptr) {
    const char* type = EVP_PKEY_get0_type_name(key);
    facts.key_type = type != nullptr ? type : "unknown";
    facts.key_bits = EVP_PKEY_get_bits(key);
  }
  const int sig_nid = X509_get_signature_nid(cert);
  facts.signature_algorithm = sig_nid != NID_undef ? OBJ_nid2ln(sig_nid) : "unknown";

  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert, &der);
  if (der_len > 0) facts.sha256_fingerprint = sha256_hex(der, static_cast<std::size_t>(der_len));
  OPENSSL_free(der);
  der = nullptr;
  const int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (spki_len > 0) facts.spki_sha256 = sha256_hex(der, static_cast<std::size_t>(spki_len));
  OPENSSL_free(der);

  // Self-issued with a matching key identifier; the signature itself is not checked here (that
  // costs an RSA verification per certificate, and path validation below checks what matters).
  facts.self_signed = X509_self_signed(cert, 0) == 1;
  return facts;
}

Verification verify(X509* leaf, STACK_OF(X509) * chain, const TrustStore& trust,
                    const std::string& name) {
  Verification v;
  v.checked_name = name;
  if (leaf == nullptr) {
    v.error = "no certificate";
    return v;
  }
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx) {
    v.error = "out of memory";
    return v;
  }
  if (X509_STORE_CTX_init(ctx.get(), trust.get(), leaf, chain) != 1) {
    v.error = "cannot initialise verification";
    return v;
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  X509_STORE_CTX_set_depth(ctx.get(), kMaxVerifyDepth);
  v.trusted = X509_verify_cert(ctx.get()) == 1;
  if (!v.trusted) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    v.error_code = err;
    v.error = X509_verify_cert_error_string(err);
    v.error_depth = X509_STORE_CTX_get_error_depth(ctx.get());
  }
  if (!name.empty()) {
    // RFC 6125 §6.4.3: the wildcard must be the whole left-most label.
    v.name_matches = X509_check_host(leaf, name.data(), name.size(),
                                     X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
  }
  return v;
}

}  // namespace intransit::tls
