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

// Self-signed, CN and dNSName = `name`, valid from `not_before_days` to `not_after_days`
// relative to now (default: from yesterday for a year; negative both for an expired one).
KeyAndCertificate make_self_signed(const std::string& name, long not_before_days = -1,
                                   long not_after_days = 365);

}  // namespace intransit::sink
