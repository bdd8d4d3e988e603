// client_audit.cpp — see client_audit.hpp. The I/O: every server's addresses looked up and every
// address probed at once; then the pure assessment.
#include "check/client_audit.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>

#include <algorithm>

#include "check/engine.hpp"
#include "check/verdict.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "core/wait_group.hpp"

namespace intransit::check {
namespace asio = boost::asio;

namespace {

// ---- assessment (pure) ----

Verdict probe_verdict(const ClientProbe& p) {
  const auto& r = p.report.result;
  if (r.outcome == ProbeOutcome::no_starttls || r.outcome == ProbeOutcome::starttls_refused)
    return Verdict::plaintext;
  if (r.outcome == ProbeOutcome::tls_handshake_failed) return Verdict::broken;
  if (r.outcome != ProbeOutcome::ok || !r.tls) return Verdict::untested;
  return r.tls->verification.trusted && authenticated(p.name) ? Verdict::enforced
                                                              : Verdict::opportunistic;
}

// Several verdicts into one: broken wins; untested ones are left out unless all are; then
// all enforced, all plaintext, a mix with plaintext (partial), otherwise opportunistic.
Verdict combine(const std::vector<Verdict>& verdicts) {
  std::vector<Verdict> tested;
  for (const auto v : verdicts) {
    if (v == Verdict::broken) return Verdict::broken;
    if (v != Verdict::untested) tested.push_back(v);
  }
  if (tested.empty()) return Verdict::untested;
  const auto all = [&](Verdict v) {
    return std::all_of(tested.begin(), tested.end(), [v](Verdict t) { return t == v; });
  };
  if (all(Verdict::enforced)) return Verdict::enforced;
  if (all(Verdict::plaintext)) return Verdict::plaintext;
  if (std::find(tested.begin(), tested.end(), Verdict::plaintext) != tested.end())
    return Verdict::partial;
  return Verdict::opportunistic;
}

std::string server_label(const ClientServer& s) {
  return std::string(smtp::protocol_name(protocol_of(s.leg), s.mode)) + " " + s.host + ":" +
         std::to_string(s.port);
}

void assess_server(const ClientReport& report, ServerAudit& sa, Findings& findings) {
  const auto& s = sa.server;
  if (s.plaintext) {
    sa.verdict = Verdict::plaintext;
    sa.why = "the autoconfig file says socketType plain: no TLS at all";
    add(findings, FindingId::client_socket_plain, domain_scope(),
        server_label(s) + " from " + s.origins.front().where);
    return;
  }
  std::vector<Verdict> verdicts;
  for (auto& p : sa.probes) {
    const auto& r = p.report.result;
    const bool have_cert = r.tls && !r.tls->chain.empty();
    if (have_cert) {
      p.matches_domain = any_name_matches(r.tls->chain.front().dns_names, report.domain);
      p.matches_host = any_name_matches(r.tls->chain.front().dns_names, s.host);
    }
    p.name = decide_name(have_cert, p.matches_domain, p.matches_host, s.authenticated_source());
    p.verdict = probe_verdict(p);
    verdicts.push_back(p.verdict);
    const std::string scope = ip_scope(s.host, r.address);
    if (p.name == NameCheck::foreign_unauthenticated) {
      add(findings, FindingId::client_srv_foreign_unauthenticated, scope,
          "the certificate names " + s.host + " but not " + report.domain + ", and " + s.host +
              " came from an unauthenticated source");
    } else if (p.name == NameCheck::mismatch) {
      add(findings, FindingId::client_cert_name, scope,
          "the certificate names neither " + report.domain + " nor " + s.host);
    }
    for (auto& f : probe_findings(r, scope)) findings.push_back(std::move(f));
  }
  sa.verdict = combine(verdicts);
  if (sa.probes.empty()) {
    sa.why = !sa.addresses.conclusive() ? "the address lookup failed" : "no address";
  } else {
    sa.why = sa.probes.front().report.result.detail;
  }
}

// What the DNS and the autoconfig files say about discovery itself.
void assess_discovery(const ClientReport& report, Findings& findings) {
  for (const auto& srv : report.discovery.srv) {
    const auto& a = srv.answer;
    if (!a.conclusive()) {
      add(findings, FindingId::client_srv_lookup_failed, domain_scope(),
          a.name + " SRV: " + std::string(dns::to_string(a.status)) + ", " +
              std::string(dns::to_string(a.security)) + (a.why.empty() ? "" : " " + a.why));
    } else if (a.status == dns::Status::answer && a.security != dns::Security::secure &&
               !srv.not_offered) {
      add(findings, FindingId::client_srv_insecure, domain_scope(),
          a.name + " SRV answer is " + std::string(dns::to_string(a.security)));
    }
  }
  for (const auto& ac : report.discovery.autoconfig) {
    const auto st = ac.fetch.status;
    if (ac.source == AutoconfigSource::plain_http) {
      if (st == FetchStatus::ok) {
        add(findings, FindingId::client_autoconfig_http, domain_scope(),
            ac.fetch.url + " answers 200 in clear (" + ac.fetch.content_type + ")");
      }
      continue;
    }
    const bool absent = st == FetchStatus::not_found || st == FetchStatus::no_address ||
                        st == FetchStatus::connect_failed;
    if (!absent && st != FetchStatus::ok) {
      add(findings, FindingId::client_autoconfig_fetch, domain_scope(),
          ac.fetch.url + ": " + std::string(to_string(st)) + ": " + ac.fetch.detail);
    } else if (st == FetchStatus::ok && !ac.config) {
      add(findings, FindingId::client_autoconfig_fetch, domain_scope(),
          ac.fetch.url + ": not a usable autoconfig file: " + ac.parse_error);
    }
  }
}

std::string leg_sentence(const std::string& leg, Verdict verdict) {
  switch (verdict) {
    case Verdict::enforced:
      return "Every " + leg + " server gives TLS with a certificate for an authenticated name.";
    case Verdict::opportunistic:
      return "The " + leg +
             " servers give TLS, but a certificate is untrusted or names a host "
             "nobody authenticated: an attacker on the path can impersonate them.";
    case Verdict::partial: return "Some " + leg + " servers give TLS, others none.";
    case Verdict::plaintext:
      return "The " + leg + " servers give no TLS: passwords and mail cross the network in clear.";
    case Verdict::broken: return "A " + leg + " server fails the TLS handshake.";
    case Verdict::no_mail: return "The " + leg + " service is not offered.";
    case Verdict::untested: return "Could not find out: no " + leg + " server answered usefully.";
  }
  return {};
}

LegAudit assess_leg(const ClientReport& report, Leg leg) {
  LegAudit out;
  out.leg = leg;
  std::vector<Verdict> verdicts;
  for (const auto& sa : report.servers) {
    if (sa.server.leg == leg) verdicts.push_back(sa.verdict);
  }
  bool bogus = false, failed = false, not_offered = false, offered_elsewhere = false;
  for (const auto& srv : report.discovery.srv) {
    if (srv.service.leg != leg) continue;
    bogus = bogus || srv.answer.security == dns::Security::bogus;
    failed = failed || !srv.answer.conclusive();
    not_offered = not_offered || srv.not_offered;
    offered_elsewhere = offered_elsewhere || (!srv.records.empty() && !srv.not_offered);
  }
  // An autoconfig file we could not get (DNS failure, timeout) may name a server for any leg.
  for (const auto& ac : report.discovery.autoconfig) {
    failed =
        failed ||
        (ac.source != AutoconfigSource::plain_http &&
         (ac.fetch.status == FetchStatus::dns_failed || ac.fetch.status == FetchStatus::timeout));
  }
  const std::string name(to_string(leg));
  if (bogus) {
    out.verdict = Verdict::broken;
    out.summary = "The " + name + " SRV answer fails DNSSEC validation: clients cannot trust it.";
  } else if (verdicts.empty() && not_offered && !offered_elsewhere) {
    out.verdict = Verdict::no_mail;
    out.summary = "SRV says " + name + " is not offered (target \".\").";
  } else if (verdicts.empty()) {
    out.verdict = Verdict::untested;
    out.nothing_published = !failed;
    out.summary = failed ? "Could not find out: a " + name +
                               " SRV lookup or an autoconfig "
                               "fetch failed."
                         : "No " + name + " server published (no SRV record, no autoconfig).";
  } else {
    out.verdict = combine(verdicts);
    out.summary = leg_sentence(name, out.verdict);
  }
  return out;
}

}  // namespace

void assess_client(ClientReport& report) {
  Findings findings;
  assess_discovery(report, findings);
  for (auto& sa : report.servers) assess_server(report, sa, findings);
  report.legs.clear();
  for (const Leg leg : {Leg::submission, Leg::imap, Leg::pop3})
    report.legs.push_back(assess_leg(report, leg));
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  });
  report.findings = std::move(findings);
}

// ---- the I/O ----

namespace {

asio::awaitable<void> probe_address(Engine& engine, asio::ip::tcp::endpoint endpoint,
                                    const ClientServer& server, ClientProbe& out,
                                    WaitGroup& group) {
  // SNI and the engine's own name check use the host the client connects to; the RFC 7817
  // decision (assess_client) also looks at the user's domain.
  out.report = co_await engine.probe(endpoint, server.host, server.mode, protocol_of(server.leg));
  group.done();
}

asio::awaitable<void> audit_server(Engine& engine, ServerAudit& sa, WaitGroup& parent) {
  if (!sa.server.plaintext) {  // a plain entry is a finding as it stands; nothing to probe
    sa.addresses = co_await engine.addresses(sa.server.host);
    const auto ex = co_await asio::this_coro::executor;
    WaitGroup group(ex);
    sa.probes.resize(sa.addresses.ips.size());
    group.add(sa.probes.size());
    for (std::size_t i = 0; i < sa.probes.size(); ++i) {
      boost::system::error_code ec;
      const auto ip = asio::ip::make_address(sa.addresses.ips[i], ec);
      asio::co_spawn(ex,
                     probe_address(engine, asio::ip::tcp::endpoint(ip, sa.server.port), sa.server,
                                   sa.probes[i], group),
                     asio::detached);
    }
    co_await group.wait();
  }
  parent.done();
}

}  // namespace

asio::awaitable<ClientReport> audit_client(Engine& engine, std::string domain,
                                           std::string address) {
  const auto started = std::chrono::steady_clock::now();
  ClientReport report;
  report.domain = domain;
  report.address = address;
  report.discovery = co_await discover_client_servers(engine, domain, address);
  report.servers.resize(report.discovery.servers.size());
  const auto ex = co_await asio::this_coro::executor;
  WaitGroup group(ex);
  group.add(report.servers.size());
  for (std::size_t i = 0; i < report.servers.size(); ++i) {
    report.servers[i].server = report.discovery.servers[i];
    asio::co_spawn(ex, audit_server(engine, report.servers[i], group), asio::detached);
  }
  co_await group.wait();
  assess_client(report);
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  co_return report;
}

}  // namespace intransit::check
