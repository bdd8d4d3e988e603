// advice.cpp — see advice.hpp.
#include "logs/advice.hpp"

namespace intransit::logs {

std::string_view to_string(Policy p) {
  switch (p) {
    case Policy::none: return "none";
    case Policy::encrypt: return "encrypt";
    case Policy::secure: return "secure";
    case Policy::dane_only: return "dane-only";
  }
  return "none";
}

namespace {

void block(Advice& a, Policy stronger, std::uint64_t count,
           const std::vector<DeliveryRef>& samples) {
  a.stronger = stronger;
  a.would_defer = count;
  a.deferred = samples;
}

}  // namespace

Advice advise(const std::string& domain, const DomainTally& t, const Published& published) {
  Advice a;
  a.domain = domain;
  a.published = published;
  a.relays = t.relays;
  const auto plaintext = t.count(Protection::plaintext);
  const auto unverified = t.count(Protection::encrypted_unverified);
  const auto verified = t.count(Protection::verified);
  const Policy authenticated = published.dane ? Policy::dane_only : Policy::secure;
  if (plaintext > 0) {
    a.proposal = Policy::none;
    a.reason = std::to_string(plaintext) + " of " + std::to_string(t.deliveries) +
               " deliveries went in plaintext";
    block(a, Policy::encrypt, plaintext, t.plaintext_samples);
    return a;
  }
  // An MX that takes mail only in plaintext (check: partial or plaintext): the deliveries so far
  // may all have gone to the MX with TLS, but "encrypt" defers whenever mail falls back to it.
  if (published.audited && (published.verdict == "partial" || published.verdict == "plaintext")) {
    a.proposal = Policy::none;
    a.reason = "some MX of the domain takes mail only in plaintext (check: " + published.verdict +
               "): encrypt would defer whenever mail falls back to it";
    block(a, Policy::encrypt, 0, {});
    return a;
  }
  if (unverified + verified == 0) {
    a.proposal = Policy::none;
    a.reason = "the log does not say how any delivery was protected";
    return a;
  }
  const bool policy = published.dane || published.mta_sts;
  if (unverified > 0) {
    a.proposal = Policy::encrypt;
    a.reason = "every delivery used TLS, " + std::to_string(unverified) +
               " without an authenticated certificate";
    if (policy) {
      std::vector<DeliveryRef> samples = t.unverified_samples;
      block(a, authenticated, unverified, samples);
    }
    return a;
  }
  if (policy) {
    a.proposal = authenticated;
    a.reason = std::string("every delivery was verified and the domain enforces ") +
               (published.dane ? "DANE" : "MTA-STS");
    return a;
  }
  a.proposal = Policy::encrypt;
  a.reason =
      published.audited
          ? "every delivery was verified, but the domain publishes neither DANE nor MTA-STS enforce"
          : "every delivery was verified (not audited: run with --check for dane-only or secure)";
  return a;
}

}  // namespace intransit::logs
