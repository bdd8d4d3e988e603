// rating.cpp — see rating.hpp (NCSC-NL TLS guidelines v2.1, tables 2-5).
#include "tls/rating.hpp"

#include <openssl/objects.h>

namespace intransit::tls {

std::string_view to_string(Rating rating) {
  switch (rating) {
    case Rating::good: return "good";
    case Rating::sufficient: return "sufficient";
    case Rating::phase_out: return "phase-out";
    case Rating::insufficient: return "insufficient";
  }
  return "insufficient";
}

Rating rate_version(std::string_view version) {
  if (version == "TLSv1.3") return Rating::good;
  if (version == "TLSv1.2") return Rating::sufficient;
  if (version == "TLSv1.1" || version == "TLSv1" || version == "TLSv1.0") return Rating::phase_out;
  return Rating::insufficient;
}

Rating rate_cipher(const SSL_CIPHER* cipher) {
  if (cipher == nullptr) return Rating::insufficient;
  const int kx = SSL_CIPHER_get_kx_nid(cipher);
  const int auth = SSL_CIPHER_get_auth_nid(cipher);
  const int enc = SSL_CIPHER_get_cipher_nid(cipher);
  const bool aead =
      enc == NID_aes_128_gcm || enc == NID_aes_256_gcm || enc == NID_chacha20_poly1305;
  const bool cbc = enc == NID_aes_128_cbc || enc == NID_aes_256_cbc;
  const bool tdes = enc == NID_des_ede3_cbc;

  if (kx == NID_kx_any) {  // TLS 1.3: key exchange and authentication are not in the suite
    if (aead) return Rating::good;
    // TLS_AES_128_CCM_SHA256 is sufficient; its 8-byte-tag twin is not named, so insufficient.
    if (enc == NID_aes_128_ccm && SSL_CIPHER_get_id(cipher) == 0x03001304)
      return Rating::sufficient;
    return Rating::insufficient;
  }
  const bool signed_auth = auth == NID_auth_rsa || auth == NID_auth_ecdsa || auth == NID_auth_dss;
  if (kx == NID_kx_ecdhe && signed_auth) {
    if (aead) return Rating::good;
    if (cbc) return Rating::sufficient;
    if (tdes) return Rating::phase_out;
  }
  if (kx == NID_kx_dhe && signed_auth) {
    if (aead || cbc) return Rating::sufficient;
    if (tdes) return Rating::phase_out;
  }
  if (kx == NID_kx_rsa && auth == NID_auth_rsa && (aead || cbc || tdes)) return Rating::phase_out;
  return Rating::insufficient;
}

}  // namespace intransit::tls
