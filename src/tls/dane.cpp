// dane.cpp — see dane.hpp.
#include "tls/dane.hpp"

#include <openssl/x509_vfy.h>

#include "tls/certificate.hpp"

namespace intransit::tls {

int attach_tlsa(SSL* ssl, const std::string& base_domain, const std::vector<dns::Tlsa>& records,
                std::string& error, const std::vector<std::string>& more_names) {
  // SSL_dane_enable needs DANE enabled on the context once; doing it here keeps every context
  // builder free of DANE knowledge (the call is idempotent).
  SSL_CTX_dane_enable(SSL_get_SSL_CTX(ssl));
  SSL_set_verify_depth(ssl, kMaxVerifyDepth);  // DANE-TA walks the chain too (RELIABILITY item 59)
  if (SSL_dane_enable(ssl, base_domain.c_str()) <= 0) {
    error = "OpenSSL refused to enable DANE";
    return 0;
  }
  for (const auto& name : more_names) {
    if (SSL_add1_host(ssl, name.c_str()) != 1) {
      error = "OpenSSL refused the reference identifier " + name;
      return 0;
    }
  }
  // RFC 7672 §3.1.1: with DANE-EE the name and validity dates of the certificate do not matter.
  SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
  int usable = 0;
  for (const auto& r : records) {
    if (r.usage != 2 && r.usage != 3) continue;  // RFC 7672 §3.1.3
    const int added =
        SSL_dane_tlsa_add(ssl, r.usage, r.selector, r.matching, r.data.data(), r.data.size());
    if (added > 0) ++usable;
  }
  if (usable == 0) error = "no usable TLSA record (SMTP uses only DANE-TA(2) and DANE-EE(3))";
  return usable;
}

DaneVerification dane_result(SSL* ssl, int usable_records) {
  DaneVerification v;
  v.usable_records = usable_records;
  const long verify = SSL_get_verify_result(ssl);
  const int depth = SSL_get0_dane_authority(ssl, nullptr, nullptr);
  if (verify == X509_V_OK && depth >= 0) {
    std::uint8_t usage = 0;
    std::uint8_t selector = 0;
    std::uint8_t matching = 0;
    const unsigned char* data = nullptr;
    std::size_t len = 0;
    SSL_get0_dane_tlsa(ssl, &usage, &selector, &matching, &data, &len);
    dns::Tlsa matched;
    matched.usage = usage;
    matched.selector = selector;
    matched.matching = matching;
    if (data != nullptr) matched.data.assign(data, data + len);
    v.matched = true;
    v.matched_depth = depth;
    v.matched_record = matched.to_string();
  } else {
    v.error =
        verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "no TLSA record matched";
  }
  return v;
}

}  // namespace intransit::tls
