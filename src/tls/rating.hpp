// rating.hpp — rates TLS versions and cipher suites after the NCSC-NL "IT Security Guidelines
// for Transport Layer Security (TLS)" v2.1 (2021), the scheme Internet.nl uses:
//   versions: TLS 1.3 good; TLS 1.2 sufficient; TLS 1.1 and 1.0 phase-out; SSL insufficient.
//   suites:   good        ECDHE + (EC)DSA/RSA + AES-GCM or CHACHA20-POLY1305, and the TLS 1.3
//                         suites with AES-GCM or CHACHA20-POLY1305;
//             sufficient  ECDHE + AES-CBC; DHE + AES-GCM, CHACHA20-POLY1305 or AES-CBC;
//                         TLS_AES_128_CCM_SHA256;
//             phase-out   ECDHE or DHE with 3DES; RSA key exchange with AES-GCM, AES-CBC or 3DES;
//             insufficient everything else (anonymous, NULL, RC4, DES, export, CCM_8, and
//                         algorithms the guideline does not name, such as Camellia or ARIA).
// Pure: reads only the properties OpenSSL reports for a suite.
#pragma once

#include <openssl/ssl.h>

#include <string_view>

namespace intransit::tls {

enum class Rating { good, sufficient, phase_out, insufficient };

std::string_view to_string(Rating rating);

// `version` as OpenSSL writes it: "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3".
Rating rate_version(std::string_view version);

Rating rate_cipher(const SSL_CIPHER* cipher);

}  // namespace intransit::tls
