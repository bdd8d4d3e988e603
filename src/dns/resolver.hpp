// resolver.hpp — validating DNS lookups inside the Asio event loop: libunbound in asynchronous
// mode, its result descriptor (ub_fd) watched by Asio, so hundreds of lookups share one thread
// with the probes. Every answer keeps its DNSSEC status (RFC 4035 §4.3: secure, insecure,
// bogus with the validator's reason; `unknown` when the lookup failed, RFC 4035's
// "indeterminate": nothing was learnt, so nothing is insecure either). A SERVFAIL or a lookup past
// its deadline is a failure of the lookup, never "no record" (RELIABILITY.md item 28); CNAME chains
// are followed by libunbound, which stops after 8 (item 25).
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/limits.hpp"

namespace intransit::dns {

// RR types `check` asks for (RFC 1035, RFC 3596, RFC 6698).
// smimea (RFC 8162 §2) and openpgpkey (RFC 7929 §2): `keys` (issue 21).
enum class RrType : std::uint16_t {
  a = 1,
  ns = 2,
  mx = 15,
  txt = 16,
  aaaa = 28,
  srv = 33,
  tlsa = 52,
  smimea = 53,
  openpgpkey = 61
};
std::string_view to_string(RrType type);

enum class Status : std::uint8_t {
  answer,    // records present
  nodata,    // the name exists, no records of this type
  nxdomain,  // the name does not exist
  servfail,  // the resolver could not find out (includes lame or dead servers)
  timeout,   // no result within the lookup deadline
  error,     // any other failure (resolver error, refused, record limits exceeded)
};
std::string_view to_string(Status status);

enum class Security : std::uint8_t { secure, insecure, bogus, unknown };
std::string_view to_string(Security security);

struct Answer {
  std::string name;
  RrType type = RrType::a;
  Status status = Status::error;
  Security security = Security::unknown;  // until an answer says otherwise (RELIABILITY item 58)
  std::string why;             // the validator's reason when bogus; the failure otherwise
  std::string canonical_name;  // set when the name is an alias (CNAME followed)
  std::vector<std::vector<std::uint8_t>> rdata;
  // true when the answer says what is there (records, or certainly none), so a caller may act
  // on it; false for servfail/timeout/error/bogus, which mean "could not find out".
  bool conclusive() const {
    return (status == Status::answer || status == Status::nodata || status == Status::nxdomain) &&
           security != Security::bogus;
  }
};

struct ResolverOptions {
  std::string forward;       // IP of a recursive resolver to forward to; empty: own recursion
  std::string root_hints;    // root hints file (a private root, like the lab's); empty: built in
  std::string trust_anchor;  // DS/DNSKEY file; empty: Debian's dns-root-data root.key
  std::chrono::milliseconds deadline = limits::kDnsLookupDeadline;
  // Validating contexts, each with its own libunbound thread and cache; lookups are spread over
  // them by name. DNSSEC validation (signature checks) is a bulk scan's bottleneck and one
  // context validates on one core only; `check` needs one.
  unsigned contexts = 1;
  // RFC 9156 QNAME minimisation (unbound's default: on). With it, every name one label below a
  // known zone cut costs an extra query (4 instead of 3 per scanned domain); a scan turns it off
  // for fewer queries to the authoritative servers of the domains it measures.
  bool qname_minimisation = true;
};

class Resolver {
 public:
  // nullptr and `error` when libunbound refuses the options (unreadable file, bad address).
  static std::unique_ptr<Resolver> create(const boost::asio::any_io_executor& ex,
                                          const ResolverOptions& options, std::string& error);
  virtual ~Resolver() = default;
  virtual boost::asio::awaitable<Answer> lookup(std::string name, RrType type) = 0;
  // The same with its own deadline (the quick network check of RELIABILITY item 58); a
  // resolver without deadlines of its own ignores it.
  virtual boost::asio::awaitable<Answer> lookup_within(std::string name, RrType type,
                                                       std::chrono::milliseconds deadline) {
    (void)deadline;
    return lookup(std::move(name), type);
  }
  // Lookups sent to libunbound so far (for the benchmark and the report's "DNS queries").
  virtual std::size_t lookups() const = 0;
};

// Several resolvers behind one: a lookup goes to the member its owner name (the name without
// leading underscore labels, so _mta-sts.D goes with D) hashes to. Resolver::create builds one
// of libunbound contexts when options.contexts > 1; given here for tests.
std::unique_ptr<Resolver> make_pool(std::vector<std::unique_ptr<Resolver>> members);

// The default root trust anchor (Debian's dns-root-data).
inline constexpr const char* kDefaultTrustAnchor = "/usr/share/dns/root.key";

}  // namespace intransit::dns
