// sweep.cpp — see sweep.hpp. Versions: RFC 8446 (1.3), RFC 5246 (1.2), RFC 4346 (1.1),
// RFC 2246 (1.0); RFC 8996 deprecates 1.0 and 1.1.
#include "smtp/sweep.hpp"

#include <openssl/ssl.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>

#include "core/limits.hpp"
#include "core/wait_group.hpp"

namespace intransit::smtp {
namespace asio = boost::asio;

namespace {

struct VersionInfo {
  int id;
  const char* name;
};
constexpr std::array<VersionInfo, 4> kVersions{{
    {TLS1_VERSION, "TLSv1.0"},
    {TLS1_1_VERSION, "TLSv1.1"},
    {TLS1_2_VERSION, "TLSv1.2"},
    {TLS1_3_VERSION, "TLSv1.3"},
}};

// Every suite OpenSSL can offer, anonymous and NULL included: the sweep reports what a server
// accepts, however weak.
constexpr const char* kAllCipherList = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
constexpr const char* kAllCiphersuites =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256";

using SslCtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

// The suites a client can offer at exactly `version`, in OpenSSL's preference order.
std::vector<const SSL_CIPHER*> offerable(int version) {
  std::vector<const SSL_CIPHER*> out;
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  if (!ctx) return out;
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  SSL_CTX_set_cipher_list(ctx.get(), kAllCipherList);
  SSL_CTX_set_ciphersuites(ctx.get(), kAllCiphersuites);
  SslPtr ssl(SSL_new(ctx.get()), SSL_free);
  if (!ssl) return out;
  STACK_OF(SSL_CIPHER)* supported = SSL_get1_supported_ciphers(ssl.get());
  for (int i = 0; i < sk_SSL_CIPHER_num(supported); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(supported, i);
    const bool is13 = std::string_view(SSL_CIPHER_get_version(c)) == "TLSv1.3";
    if (is13 == (version == TLS1_3_VERSION)) out.push_back(c);
  }
  sk_SSL_CIPHER_free(supported);
  return out;
}

std::string join_names(const std::vector<const SSL_CIPHER*>& ciphers) {
  std::string s;
  for (const auto* c : ciphers) s += (s.empty() ? "" : ":") + std::string(SSL_CIPHER_get_name(c));
  return s;
}

ProbeOptions offering(const ProbeOptions& base, int version,
                      const std::vector<const SSL_CIPHER*>& ciphers) {
  ProbeOptions o = base;
  o.offer.min_version = version;
  o.offer.max_version = version;
  o.offer.handshake_only = true;
  o.tls_context = nullptr;  // a context is built for each offer
  if (version == TLS1_3_VERSION) {
    o.offer.ciphersuites = join_names(ciphers);
    o.offer.cipher_list = kAllCipherList;
  } else {
    o.offer.cipher_list = join_names(ciphers) + ":@SECLEVEL=0";
  }
  return o;
}

// One handshake of the sweep. A server that defers us (421, RELIABILITY.md item 24) is given
// time, with a doubling pause, a few times: Exim, for one, keeps a process per aborted handshake
// for a while and answers 421 beyond smtp_accept_max.
// nullopt when the sweep's deadline has passed: no handshake is started after it, and one that
// starts gets only the time left (RELIABILITY.md item 55).
using Clock = std::chrono::steady_clock;
std::optional<std::chrono::milliseconds> time_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left < limits::kSweepMinimumHandshake) return std::nullopt;
  return left;
}

asio::awaitable<std::optional<ProbeResult>> polite_probe(ProbeOptions options, VersionSweep& out,
                                                         Clock::time_point deadline) {
  auto pause = limits::kSweepBackoffFirst;
  for (int attempt = 0;; ++attempt) {
    const auto left = time_left(deadline);
    if (!left) {
      out.cut_short = true;
      co_return std::nullopt;
    }
    options.deadlines.total = std::min(options.deadlines.total, *left);
    ProbeResult r = co_await probe(options);
    ++out.connections;
    if (r.outcome != ProbeOutcome::rate_limited || attempt == limits::kSweepBackoffRetries)
      co_return r;
    ++out.deferrals;
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::min(Clock::now() + pause, deadline));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    pause *= 2;
  }
}

asio::awaitable<void> sweep_one_version(ProbeOptions base, VersionInfo version, VersionSweep& out,
                                        Clock::time_point deadline) {
  std::vector<const SSL_CIPHER*> remaining = offerable(version.id);
  std::vector<const SSL_CIPHER*> accepted;
  while (!remaining.empty()) {
    const auto attempt =
        co_await polite_probe(offering(base, version.id, remaining), out, deadline);
    if (!attempt) {
      out.error = "deadline: the probe's --timeout ran out during the sweep";
      if (accepted.empty()) co_return;
      break;
    }
    const ProbeResult& r = *attempt;
    if (r.outcome == ProbeOutcome::tls_handshake_failed) break;  // none of `remaining` is taken
    if (r.outcome != ProbeOutcome::ok || !r.tls) {
      // Could not test (timeout, refused, no STARTTLS, ...): never read that as "not supported".
      out.error = std::string(to_string(r.outcome)) + ": " + r.detail;
      if (accepted.empty()) co_return;
      break;
    }
    const auto chosen = std::find_if(remaining.begin(), remaining.end(), [&](const SSL_CIPHER* c) {
      return r.tls->cipher == SSL_CIPHER_get_name(c);
    });
    if (chosen == remaining.end()) {  // the server picked a suite we did not offer
      out.error = "server chose " + r.tls->cipher + ", which was not offered";
      break;
    }
    accepted.push_back(*chosen);
    remaining.erase(chosen);
  }
  out.supported = !accepted.empty();
  for (const auto* c : accepted)
    out.ciphers.push_back({SSL_CIPHER_get_name(c), tls::rate_cipher(c)});
  if (accepted.size() >= 2) {
    // Offer the accepted suites in reverse: a server that still picks its first choice
    // imposes its own order.
    std::vector<const SSL_CIPHER*> reversed(accepted.rbegin(), accepted.rend());
    const auto r = co_await polite_probe(offering(base, version.id, reversed), out, deadline);
    if (r && r->outcome == ProbeOutcome::ok && r->tls) {
      out.server_order = r->tls->cipher == SSL_CIPHER_get_name(accepted.front());
    }
  }
}

asio::awaitable<void> sweep_version(ProbeOptions base, VersionInfo version, VersionSweep& out,
                                    Clock::time_point deadline, WaitGroup* group) {
  out.version = version.name;
  co_await sweep_one_version(std::move(base), version, out, deadline);
  out.done = true;
  if (group != nullptr) group->done();
}

}  // namespace

int SweepResult::connections() const {
  int n = 0;
  for (const auto& v : versions) n += v.connections;
  return n;
}

asio::awaitable<void> sweep(ProbeOptions base, SweepResult& out, Clock::time_point deadline) {
  static_assert(kVersions.size() <= limits::kSweepConnectionsPerHost,
                "one connection per version at a time");
  const auto executor = co_await asio::this_coro::executor;
  out.versions.assign(kVersions.size(), VersionSweep{});
  WaitGroup versions(executor);
  versions.add(kVersions.size());
  for (std::size_t i = 0; i < kVersions.size(); ++i) {
    asio::co_spawn(executor,
                   sweep_version(base, kVersions[i], out.versions[i], deadline, &versions),
                   asio::detached);
  }
  co_await versions.wait();
}

void spawn_sweep(const asio::any_io_executor& executor, const ProbeOptions& base, SweepResult& out,
                 Clock::time_point deadline) {
  // The versions exist (not done) from now on, so a caller polling `done` never sees an empty
  // sweep.
  out.versions.assign(kVersions.size(), VersionSweep{});
  asio::co_spawn(executor, sweep(base, out, deadline), asio::detached);
}

}  // namespace intransit::smtp
