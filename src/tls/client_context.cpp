// client_context.cpp — see client_context.hpp.
#include "tls/client_context.hpp"

#include <openssl/ssl.h>

#include "core/limits.hpp"

namespace intransit::tls {

std::shared_ptr<boost::asio::ssl::context> make_client_context(const TlsOffer& offer) {
  auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, offer.min_version);
  SSL_CTX_set_max_proto_version(ctx, offer.max_version);
  // An empty list is refused by OpenSSL; the handshake then fails as "no ciphers available",
  // which is the honest result of offering nothing.
  SSL_CTX_set_cipher_list(ctx, offer.cipher_list.c_str());
  if (!offer.ciphersuites.empty()) SSL_CTX_set_ciphersuites(ctx, offer.ciphersuites.c_str());
  // RELIABILITY.md item 18: a chain over this size ends the handshake with a typed error.
  SSL_CTX_set_max_cert_list(ctx, limits::kMaxCertChainBytes);
  context->set_verify_mode(
      boost::asio::ssl::verify_none);  // the probe verifies explicitly afterwards
  return context;
}

}  // namespace intransit::tls
