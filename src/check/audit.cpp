// audit.cpp — see audit.hpp. Coroutines here are free functions taking what they use as
// parameters: a capturing lambda's captures would die before the coroutine runs. Results land
// in slots the waiting parent owns; a WaitGroup says when all have. Never `co_await` inside a
// condition (GCC 12, see smtp/probe.cpp).
#include "check/audit.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>

#include "core/wait_group.hpp"

namespace intransit::check {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> decode_txts(const dns::Answer& answer) {
  std::vector<std::string> txts;
  for (const auto& rdata : answer.rdata) {
    std::string error;
    if (auto t = dns::decode_txt(rdata, error)) txts.push_back(std::move(*t));
  }
  return txts;
}

asio::awaitable<void> addresses_into(dns::Resolver& resolver, std::string host, HostAddresses& slot,
                                     WaitGroup& group) {
  slot = co_await lookup_addresses(resolver, std::move(host));
  group.done();
}

asio::awaitable<void> probe_into(smtp::ProbeOptions options, const AuditOptions& audit,
                                 smtp::ProbeResult& slot, smtp::SweepResult* sweep,
                                 WaitGroup& group) {
  ProbeReport report = co_await probe_shared(std::move(options), sweep != nullptr, audit.cache,
                                             audit.gate, audit.allow_private);
  slot = std::move(report.result);
  if (sweep != nullptr && report.sweep) *sweep = std::move(*report.sweep);
  group.done();
}

// RFC 7672 §2.2.2 (RELIABILITY item 62): when the MX host is an alias and the MX RRset and the
// whole CNAME chain to its addresses are secure, the TLSA base domain is the expanded name; the
// original name (already in mx.tlsa_answer) is the fallback when the expanded name has no
// secure TLSA records. A failed or bogus lookup at the expanded name is kept: a DANE sender
// cannot go on from it either.
asio::awaitable<void> expand_tlsa_base(MxFacts& mx, bool mx_secure, dns::Resolver& resolver) {
  mx.tlsa_base = mx.host;
  const std::string canonical = mx.addresses.canonical_name();
  if (canonical.empty() || !mx_secure || !mx.addresses.secure()) co_return;
  mx.tlsa_expanded_answer = co_await resolver.lookup("_25._tcp." + canonical, dns::RrType::tlsa);
  const dns::Answer& expanded = *mx.tlsa_expanded_answer;
  const bool secure_records =
      expanded.status == dns::Status::answer && expanded.security == dns::Security::secure;
  const bool failed = !expanded.conclusive();
  if (secure_records || failed) {
    mx.tlsa_answer = expanded;
    mx.tlsa_base = canonical;
  }
}

// One MX host: addresses and TLSA at once, then every address probed at once.
asio::awaitable<void> audit_mx(MxFacts& mx, bool mx_secure, const AuditOptions& options,
                               WaitGroup& parent) {
  const auto ex = co_await asio::this_coro::executor;
  {
    WaitGroup lookups(ex);
    lookups.add(2);
    asio::co_spawn(ex, addresses_into(*options.resolver, mx.host, mx.addresses, lookups),
                   asio::detached);
    asio::co_spawn(ex,
                   lookup_into(*options.resolver, "_25._tcp." + mx.host, dns::RrType::tlsa,
                               mx.tlsa_answer, lookups),
                   asio::detached);
    co_await lookups.wait();
  }
  co_await expand_tlsa_base(mx, mx_secure, *options.resolver);
  for (const auto& rdata : mx.tlsa_answer.rdata) {
    std::string error;
    if (auto t = dns::decode_tlsa(rdata, error)) {
      mx.tlsa.push_back(std::move(*t));
    } else {
      mx.tlsa_error = error;
    }
  }
  // RFC 7672 §2.2: DANE applies when the MX RRset, the host's addresses and the TLSA RRset are
  // all DNSSEC-secure and the TLSA RRset is not empty. An alias whose expansion is insecure
  // keeps the initial name's TLSA records in the MX's signed zone (§2.2.2), as Postfix does.
  const bool addresses_ok = mx.addresses.secure() || !mx.addresses.canonical_name().empty();
  mx.dane_applies = mx_secure && addresses_ok && mx.tlsa_answer.status == dns::Status::answer &&
                    mx.tlsa_answer.security == dns::Security::secure && !mx.tlsa.empty();
  mx.probes.resize(mx.addresses.ips.size());
  if (options.sweep) mx.sweeps.resize(mx.addresses.ips.size());
  WaitGroup probes(ex);
  probes.add(mx.addresses.ips.size());
  for (std::size_t i = 0; i < mx.addresses.ips.size(); ++i) {
    smtp::ProbeOptions o;
    boost::system::error_code ec;
    o.endpoint =
        asio::ip::tcp::endpoint(asio::ip::make_address(mx.addresses.ips[i], ec), options.smtp_port);
    o.server_name = mx.host;
    o.helo_name = options.helo_name;
    o.trust = options.trust;
    o.tls_context = options.tls_context;
    o.deadlines = options.deadlines;
    if (mx.dane_applies) {
      o.tlsa = mx.tlsa;
      o.tlsa_base = mx.tlsa_base;
      // RFC 7672 §3.2.2: after CNAME expansion the initial name is a reference identifier too.
      if (mx.tlsa_base != mx.host) o.tlsa_names.push_back(mx.host);
    }
    asio::co_spawn(ex,
                   probe_into(std::move(o), options, mx.probes[i],
                              options.sweep ? &mx.sweeps[i] : nullptr, probes),
                   asio::detached);
  }
  co_await probes.wait();
  parent.done();
}

// MTA-STS: the record decides whether there is a policy to fetch (RFC 8461 §3.1, §3.3).
asio::awaitable<void> audit_sts(StsFacts& sts, std::string domain, const AuditOptions& options,
                                WaitGroup& parent) {
  if (sts.txt.conclusive()) {
    sts.record = policy::select_sts_record(decode_txts(sts.txt), sts.record_error);
  }
  if (sts.record) {
    FetchOptions fetch_options;
    fetch_options.trust = options.trust;
    fetch_options.port = options.https_port;
    fetch_options.allow_private = options.allow_private;
    sts.fetch = co_await fetch_sts_policy(*options.resolver, domain, fetch_options);
    if (sts.fetch->status == FetchStatus::ok) {
      sts.policy = policy::parse_sts_policy(sts.fetch->body, sts.policy_error);
    }
  }
  parent.done();
}

}  // namespace

std::optional<std::string> normalise_domain(std::string_view name) {
  std::string d(name);
  if (!d.empty() && d.back() == '.') d.pop_back();
  if (d.empty() || d.size() > 253) return std::nullopt;
  std::size_t label = 0;
  for (char& c : d) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return std::nullopt;
    if (c == '.') {
      if (label == 0) return std::nullopt;
      label = 0;
    } else if (++label > 63) {
      return std::nullopt;
    }
  }
  return d;
}

asio::awaitable<void> audit_domain(std::string domain, const AuditOptions& options,
                                   DomainFacts& f) {
  const auto started = Clock::now();
  const auto ex = co_await asio::this_coro::executor;
  f.domain = domain;
  WaitGroup first(ex);
  first.add(3);
  asio::co_spawn(ex, lookup_into(*options.resolver, domain, dns::RrType::mx, f.mx_answer, first),
                 asio::detached);
  asio::co_spawn(
      ex,
      lookup_into(*options.resolver, "_mta-sts." + domain, dns::RrType::txt, f.mta_sts.txt, first),
      asio::detached);
  asio::co_spawn(ex,
                 lookup_into(*options.resolver, "_smtp._tls." + domain, dns::RrType::txt,
                             f.tls_rpt.txt, first),
                 asio::detached);
  co_await first.wait();

  if (f.tls_rpt.txt.conclusive()) {
    f.tls_rpt.record = policy::select_tlsrpt_record(decode_txts(f.tls_rpt.txt), f.tls_rpt.error);
  }
  WaitGroup rest(ex);
  rest.add(1);
  asio::co_spawn(ex, audit_sts(f.mta_sts, domain, options, rest), asio::detached);

  // A bogus MX RRset is what an attacker could have forged: a validating sender would not use
  // it, and neither do we (the verdict says "broken" from the answer alone).
  const bool mx_bogus = f.mx_answer.security == dns::Security::bogus;
  if (f.mx_answer.status == dns::Status::answer && !mx_bogus) {
    std::vector<dns::Mx> records;
    for (const auto& rdata : f.mx_answer.rdata) {
      std::string error;
      if (auto mx = dns::decode_mx(rdata, error)) {
        records.push_back(std::move(*mx));
      } else {
        f.mx_decode_errors.push_back(error);
      }
    }
    // RFC 5321 §5.1: lower preference first; equal preferences in the order given (a sender
    // would pick among them at random).
    std::stable_sort(records.begin(), records.end(), [](const dns::Mx& a, const dns::Mx& b) {
      return a.preference < b.preference;
    });
    for (const auto& r : records) {
      if (r.host == ".") {
        f.null_mx = true;  // RFC 7505 §3
        continue;
      }
      MxFacts mx;
      mx.host = r.host;
      mx.preference = r.preference;
      mx.probed = f.mx.size() < limits::kMxHostsProbed;
      f.mx.push_back(std::move(mx));
    }
  } else if (f.mx_answer.status == dns::Status::nodata && !mx_bogus) {
    // RFC 5321 §5.1: no MX records, so the domain itself is the mail host if it has an address.
    f.implicit_lookup = co_await lookup_addresses(*options.resolver, domain);
    if (!f.implicit_lookup->ips.empty()) {
      MxFacts mx;
      mx.host = domain;
      mx.implicit = true;
      f.mx.push_back(std::move(mx));
    }
  }
  // A null MX alone means "no mail": nothing to probe. Mixed with other MX records it is an
  // error (RFC 7505 §3), and the other hosts are still what a sender would try.
  const bool mx_secure = f.mx_answer.security == dns::Security::secure;
  for (auto& mx : f.mx) {
    if (!mx.probed) continue;
    rest.add(1);
    asio::co_spawn(ex, audit_mx(mx, mx_secure, options, rest), asio::detached);
  }
  co_await rest.wait();
  f.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
}

asio::awaitable<std::optional<std::string>> network_problem(dns::Resolver& resolver) {
  const dns::Answer root =
      co_await resolver.lookup_within(".", dns::RrType::ns, kNetworkCheckDeadline);
  // A bogus answer came from somewhere: the network works (the trust anchor may not).
  if (root.conclusive() || root.security == dns::Security::bogus) co_return std::nullopt;
  co_return "the first lookup, . NS, failed: " + std::string(dns::to_string(root.status)) +
      (root.why.empty() ? "" : " (" + root.why + ")");
}

void mark_no_network(std::string domain, std::string why, DomainFacts& out) {
  out.domain = domain;
  out.mx_answer.name = std::move(domain);
  out.mx_answer.type = dns::RrType::mx;
  out.mx_answer.why = "not looked up: no nameserver answered";
  out.no_network = std::move(why);
}

}  // namespace intransit::check
