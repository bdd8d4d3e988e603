// test_certificate.hpp — a throwaway self-signed certificate made in memory (EC P-256), for the
// hostile scenarios of the test server: no files, no CA, nothing to go stale.
#pragma once

#include <string>

#include "tls/ossl_ptr.hpp"

namespace intransit::sink {

struct KeyAndCertificate {
  tls::EvpPkeyPtr key;
  tls::X509Ptr certificate;
};

// Self-signed, valid from one day ago for one year, CN and dNSName = `name`.
KeyAndCertificate make_self_signed(const std::string& name);

}  // namespace intransit::sink
