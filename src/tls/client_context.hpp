// client_context.hpp — the OpenSSL client context a probe handshakes with, built from what the
// client is to offer. One context can serve any number of probes with the same offer (a scan
// builds it once); the probe sets per-connection things (SNI, callbacks) on its own SSL.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace intransit::tls {

// What the client offers in its ClientHello. The default offers everything from TLS 1.0 up at
// OpenSSL security level 0, so the probe can *see* what a weak server does; judging it is the
// report's job. No anonymous or NULL suites by default: the probe wants the certificate.
struct TlsOffer {
  int min_version = 0x0301;                                   // TLS1_VERSION
  int max_version = 0;                                        // 0: the highest OpenSSL knows
  std::string cipher_list = "ALL:!aNULL:!eNULL:@SECLEVEL=0";  // TLS 1.0-1.2 suites
  std::string ciphersuites;  // TLS 1.3 suites; empty: OpenSSL's default set
  // Stop right after the ServerHello: no certificate, no key exchange, no EHLO over TLS (the
  // sweep's many handshakes need only the negotiated version and suite).
  bool handshake_only = false;
};

std::shared_ptr<boost::asio::ssl::context> make_client_context(const TlsOffer& offer);

}  // namespace intransit::tls
