// trust_store.cpp — see trust_store.hpp.
#include "tls/trust_store.hpp"

namespace intransit::tls {

std::shared_ptr<const TrustStore> TrustStore::load(const std::string& ca_file, std::string& error) {
  X509StorePtr store(X509_STORE_new());
  const std::string source = ca_file.empty() ? "the system store" : ca_file;
  if (!store) {
    error = "out of memory";
    return nullptr;
  }
  const int loaded = ca_file.empty() ? X509_STORE_set_default_paths(store.get())
                                     : X509_STORE_load_file(store.get(), ca_file.c_str());
  if (loaded != 1) {
    error = "cannot load trust anchors from " + source;
    return nullptr;
  }
  return std::shared_ptr<const TrustStore>(new TrustStore(std::move(store), source));
}

}  // namespace intransit::tls
