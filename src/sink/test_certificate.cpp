// test_certificate.cpp — see test_certificate.hpp.
#include "sink/test_certificate.hpp"

#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace intransit::sink {

KeyAndCertificate make_self_signed(const std::string& name, long not_before_days,
                                   long not_after_days) {
  KeyAndCertificate out;
  out.key.reset(EVP_EC_gen("P-256"));
  out.certificate.reset(X509_new());
  if (!out.key || !out.certificate) throw std::runtime_error("cannot create a test key");
  X509* cert = out.certificate.get();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), not_before_days * 86400L);
  X509_gmtime_adj(X509_getm_notAfter(cert), not_after_days * 86400L);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509_set_pubkey(cert, out.key.get());
  const std::string san = "DNS:" + name;
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str());
  if (ext != nullptr) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, out.key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("cannot sign a test certificate");
  return out;
}

}  // namespace intransit::sink
