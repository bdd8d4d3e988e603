// trust_store.hpp — the trust anchors certificates are verified against (RFC 5280 §6.1.1 "trust
// anchor information"): a PEM file (`--ca-file`) or the system store. Loaded once and shared by
// every probe of a run: loading the system store costs more than a TLS 1.3 handshake.
#pragma once

#include <memory>
#include <string>

#include "tls/ossl_ptr.hpp"

namespace intransit::tls {

class TrustStore {
 public:
  // `ca_file` empty: the system store. Returns null and sets `error` when nothing loads.
  static std::shared_ptr<const TrustStore> load(const std::string& ca_file, std::string& error);

  X509_STORE* get() const { return store_.get(); }
  const std::string& source() const { return source_; }

 private:
  TrustStore(X509StorePtr store, std::string source)
      : store_(std::move(store)), source_(std::move(source)) {}
  X509StorePtr store_;
  std::string source_;
};

}  // namespace intransit::tls
