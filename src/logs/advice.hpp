// advice.hpp — "what could you enforce?": per destination domain, the strongest TLS policy the
// evidence supports, in Postfix's smtp_tls_policy_maps levels (Postfix TLS_README "TLS policy
// table"): dane-only where the domain enforces DANE (RFC 7672) and every past delivery was
// verified; secure where it publishes MTA-STS enforce (RFC 8461) and every past delivery was
// verified; encrypt where every delivery used TLS; none otherwise. With it, the next stronger
// level and the deliveries of the period that it would have deferred, so an administrator sees
// what would break before switching. The domain's published policies come from the audit
// (check/audit.hpp), run by audit_domains() in logs/domain_audit.hpp. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "logs/tally.hpp"

namespace intransit::logs {

enum class Policy : std::uint8_t { none, encrypt, secure, dane_only };
std::string_view to_string(Policy p);

// What the audit found the domain publishes (only enforced policies count).
struct Published {
  bool audited = false;
  bool dane = false;
  bool mta_sts = false;
  std::string verdict;  // the `check` verdict, for the report
};

struct Advice {
  std::string domain;
  Policy proposal = Policy::none;
  std::string reason;
  std::optional<Policy> stronger;     // the next level, when one exists for this domain
  std::uint64_t would_defer = 0;      // deliveries `stronger` would have deferred
  std::vector<DeliveryRef> deferred;  // some of them (at most kBlockingSamples)
  std::vector<std::string> relays;    // relay hosts seen for the domain
  Published published;
};

Advice advise(const std::string& domain, const DomainTally& tally, const Published& published);

}  // namespace intransit::logs
