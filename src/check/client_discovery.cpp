// client_discovery.cpp — see client_discovery.hpp. Nine requests at once (six SRV lookups, three
// autoconfig GETs), each with its own deadline; the wait group ends when all have.
#include "check/client_discovery.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>

#include "check/audit.hpp"
#include "check/engine.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "core/wait_group.hpp"

namespace intransit::check {
namespace asio = boost::asio;

std::string_view to_string(Leg leg) {
  switch (leg) {
    case Leg::submission: return "submission";
    case Leg::imap: return "imap";
    case Leg::pop3: return "pop3";
  }
  return "?";
}

smtp::Protocol protocol_of(Leg leg) {
  switch (leg) {
    case Leg::submission: return smtp::Protocol::submission;
    case Leg::imap: return smtp::Protocol::imap;
    case Leg::pop3: return smtp::Protocol::pop3;
  }
  return smtp::Protocol::smtp;
}

std::string_view to_string(AutoconfigSource source) {
  switch (source) {
    case AutoconfigSource::autoconfig_host: return "autoconfig-host";
    case AutoconfigSource::well_known: return "well-known";
    case AutoconfigSource::plain_http: return "plain-http";
  }
  return "?";
}

std::string_view to_string(Source source) {
  switch (source) {
    case Source::srv: return "srv";
    case Source::autoconfig_https: return "autoconfig-https";
    case Source::autoconfig_plain_http: return "autoconfig-plain-http";
  }
  return "?";
}

bool ClientServer::authenticated_source() const {
  return std::any_of(origins.begin(), origins.end(),
                     [](const Origin& o) { return o.authenticated; });
}

std::vector<dns::Srv> order_srv(std::vector<dns::Srv> records) {
  std::stable_sort(records.begin(), records.end(), [](const dns::Srv& a, const dns::Srv& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.target != b.target) return a.target < b.target;
    return a.port < b.port;
  });
  return records;
}

namespace {

// Adds `s` to `out`, or its origin to the same server already there.
void add_server(std::vector<ClientServer>& out, ClientServer s) {
  for (auto& have : out) {
    if (have.leg == s.leg && have.host == s.host && have.port == s.port && have.mode == s.mode &&
        have.plaintext == s.plaintext) {
      have.origins.insert(have.origins.end(), s.origins.begin(), s.origins.end());
      return;
    }
  }
  if (out.size() < limits::kAutoconfigServers) out.push_back(std::move(s));
}

std::optional<Leg> leg_of(const policy::AutoconfigServer& s) {
  if (s.type == "imap") return Leg::imap;
  if (s.type == "pop3") return Leg::pop3;
  if (s.type == "smtp") return Leg::submission;
  return std::nullopt;
}

// %EMAILDOMAIN% is the one placeholder a hostname may carry (Thunderbird's format).
std::optional<std::string> hostname_for(std::string hostname, const std::string& domain) {
  const std::string placeholder = "%emaildomain%";  // the parser lower-cased it
  for (auto at = hostname.find(placeholder); at != std::string::npos;
       at = hostname.find(placeholder, at + domain.size())) {
    hostname.replace(at, placeholder.size(), domain);
  }
  return normalise_domain(hostname);
}

asio::awaitable<void> lookup_srv(Engine& engine, std::string domain, SrvService service,
                                 SrvLookup& out, WaitGroup& group) {
  out.service = service;
  out.answer = co_await engine.lookup(std::string(service.label) + "." + domain, dns::RrType::srv);
  if (out.answer.status == dns::Status::answer && out.answer.security != dns::Security::bogus) {
    std::vector<dns::Srv> records;
    for (const auto& rd : out.answer.rdata) {
      std::string error;
      if (auto srv = dns::decode_srv(rd, error)) {
        records.push_back(std::move(*srv));
      } else if (out.decode_error.empty()) {
        out.decode_error = error;
      }
    }
    out.records = order_srv(std::move(records));
    out.not_offered = out.records.size() == 1 && out.records.front().target == ".";
  }
  group.done();
}

asio::awaitable<void> fetch_autoconfig(Engine& engine, HttpsRequest request,
                                       AutoconfigSource source, AutoconfigLookup& out,
                                       WaitGroup& group) {
  out.source = source;
  out.fetch = co_await engine.fetch(std::move(request));
  if (out.fetch.status == FetchStatus::ok) {
    out.config = policy::parse_autoconfig(out.fetch.body, out.parse_error);
  }
  group.done();
}

HttpsRequest autoconfig_request(std::string host, std::string path, bool tls) {
  HttpsRequest r;
  r.host = std::move(host);
  r.path = std::move(path);
  r.content_types = {"text/xml", "application/xml"};
  r.body_cap = limits::kAutoconfigBytes;
  r.deadline = limits::kAutoconfigFetchDeadline;
  r.tls = tls;
  r.port = tls ? 443 : 80;  // the engine's https_port replaces 443 (the lab's, a test's)
  r.noun = "autoconfig";
  r.redirect_rule = "redirects are not followed (a client's settings must come from the domain)";
  r.type_rule = "an autoconfig file is text/xml or application/xml";
  return r;
}

}  // namespace

std::vector<ClientServer> merge_servers(const std::string& domain,
                                        const std::vector<SrvLookup>& srv,
                                        const std::vector<AutoconfigLookup>& autoconfig) {
  std::vector<ClientServer> out;
  for (const auto& lookup : srv) {
    if (lookup.not_offered) continue;
    for (const auto& record : lookup.records) {
      const auto host = normalise_domain(record.target);
      if (!host || *host == "." || record.port == 0) continue;
      ClientServer s;
      s.leg = lookup.service.leg;
      s.mode = lookup.service.mode;
      s.host = *host;
      s.port = record.port;
      s.origins.push_back(
          {Source::srv, lookup.answer.name, lookup.answer.security == dns::Security::secure});
      add_server(out, std::move(s));
    }
  }
  for (const auto& lookup : autoconfig) {
    if (lookup.source == AutoconfigSource::plain_http || !lookup.config) continue;
    for (const auto& entry : lookup.config->servers) {
      const auto leg = leg_of(entry);
      auto host = hostname_for(entry.hostname, domain);
      if (!leg || !host) continue;
      ClientServer s;
      s.leg = *leg;
      s.host = std::move(*host);
      s.port = entry.port;
      s.mode = entry.socket == policy::SocketType::ssl ? smtp::TlsMode::implicit
                                                       : smtp::TlsMode::starttls;
      s.plaintext = entry.socket == policy::SocketType::plain;
      // The fetch succeeded only with a PKIX-valid certificate for the autoconfig host.
      s.origins.push_back({Source::autoconfig_https, lookup.fetch.url, true});
      add_server(out, std::move(s));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ClientServer& a, const ClientServer& b) { return a.leg < b.leg; });
  return out;
}

asio::awaitable<Discovery> discover_client_servers(Engine& engine, std::string domain,
                                                   std::string address) {
  Discovery d;
  d.domain = domain;
  d.srv.resize(std::size(kSrvServices));
  d.autoconfig.resize(3);
  const auto ex = co_await asio::this_coro::executor;
  WaitGroup group(ex);
  group.add(d.srv.size() + d.autoconfig.size());
  for (std::size_t i = 0; i < d.srv.size(); ++i) {
    asio::co_spawn(ex, lookup_srv(engine, domain, kSrvServices[i], d.srv[i], group),
                   asio::detached);
  }
  const std::string query = address.empty() ? "" : "?emailaddress=" + text::percent_encode(address);
  asio::co_spawn(
      ex,
      fetch_autoconfig(
          engine, autoconfig_request("autoconfig." + domain, "/mail/config-v1.1.xml" + query, true),
          AutoconfigSource::autoconfig_host, d.autoconfig[0], group),
      asio::detached);
  asio::co_spawn(
      ex,
      fetch_autoconfig(
          engine, autoconfig_request(domain, "/.well-known/autoconfig/mail/config-v1.1.xml", true),
          AutoconfigSource::well_known, d.autoconfig[1], group),
      asio::detached);
  asio::co_spawn(ex,
                 fetch_autoconfig(engine,
                                  autoconfig_request("autoconfig." + domain,
                                                     "/mail/config-v1.1.xml" + query, false),
                                  AutoconfigSource::plain_http, d.autoconfig[2], group),
                 asio::detached);
  co_await group.wait();
  d.servers = merge_servers(domain, d.srv, d.autoconfig);
  co_return d;
}

}  // namespace intransit::check
