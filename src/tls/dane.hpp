// dane.hpp — DANE for SMTP (RFC 7672) with OpenSSL's DANE API: the TLSA records of one MX are
// attached to a connection before its handshake (SSL_dane_enable, SSL_dane_tlsa_add) and
// OpenSSL matches the chain the server presents. Only DANE-TA(2) and DANE-EE(3) are used: RFC
// 7672 §3.1.3 makes PKIX-TA(0)/PKIX-EE(1) unusable for SMTP. DANE-EE ignores names and expiry
// (§3.1.1); DANE-TA checks the names against the TLSA base domain (§3.2.2).
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "dns/rdata.hpp"

namespace intransit::tls {

struct DaneVerification {
  int usable_records = 0;      // TLSA records OpenSSL accepted (usage 2/3, known selector/matching)
  bool matched = false;        // the presented chain matched a usable record
  std::string matched_record;  // "3 1 1 <hex>" of the record that matched
  int matched_depth = -1;      // 0: the leaf; >0: the trust anchor's place in the chain
  std::string error;           // why it did not match (OpenSSL's verification reason)
};

// Enables DANE on `ssl` for `base_domain` and adds the usable records. Returns the number
// added; 0 means no usable record, and the caller skips DANE (the result says why).
// `more_names` are further reference identifiers for DANE-TA (the original MX name when the
// base domain is its CNAME expansion, RFC 7672 §3.2.2).
int attach_tlsa(SSL* ssl, const std::string& base_domain, const std::vector<dns::Tlsa>& records,
                std::string& error, const std::vector<std::string>& more_names = {});

// After the handshake: did the chain match? Valid only if attach_tlsa returned > 0.
DaneVerification dane_result(SSL* ssl, int usable_records);

}  // namespace intransit::tls
