// client_discovery.hpp — which servers a mail client would use for a domain (issue 21):
// DNS SRV records (RFC 6186 §3, RFC 8314 §5.1: _submissions, _submission, _imaps, _imap,
// _pop3s, _pop3 under _tcp) with the DNSSEC status of each answer, and the autoconfig file in
// Thunderbird's format over HTTPS (https://autoconfig.DOMAIN/mail/config-v1.1.xml and
// https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml; certificate verified, no redirect
// followed, body capped, one deadline). Plain http is asked once too, only to REPORT that the
// domain serves its settings in clear; what it says is never used. The lookups and fetches run
// concurrently through the engine's resolver; the merge into one server list is pure.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

#include "check/https_get.hpp"
#include "dns/rdata.hpp"
#include "dns/resolver.hpp"
#include "policy/autoconfig.hpp"
#include "smtp/probe.hpp"

namespace intransit::check {

class Engine;

// The three legs a client has: sending (submission), reading over IMAP, reading over POP3.
enum class Leg : std::uint8_t { submission, imap, pop3 };
std::string_view to_string(Leg leg);
smtp::Protocol protocol_of(Leg leg);

// One SRV service label of RFC 6186 / RFC 8314 and what it means.
struct SrvService {
  std::string_view label;  // "_submissions._tcp"
  Leg leg;
  smtp::TlsMode mode;
};
inline constexpr SrvService kSrvServices[] = {
    {"_submissions._tcp", Leg::submission, smtp::TlsMode::implicit},
    {"_submission._tcp", Leg::submission, smtp::TlsMode::starttls},
    {"_imaps._tcp", Leg::imap, smtp::TlsMode::implicit},
    {"_imap._tcp", Leg::imap, smtp::TlsMode::starttls},
    {"_pop3s._tcp", Leg::pop3, smtp::TlsMode::implicit},
    {"_pop3._tcp", Leg::pop3, smtp::TlsMode::starttls},
};

struct SrvLookup {
  SrvService service;
  dns::Answer answer;             // status and security; rdata as received
  std::vector<dns::Srv> records;  // decoded, in order_srv order
  bool not_offered = false;       // the single record's target is "." (RFC 2782, RFC 6186 §3.4)
  std::string decode_error;       // a malformed record, if any
};

// RFC 2782: lowest priority first; within a priority, heavier weight first (a deterministic
// stand-in for the weighted random pick, so reports are stable), then by target and port.
std::vector<dns::Srv> order_srv(std::vector<dns::Srv> records);

enum class AutoconfigSource : std::uint8_t { autoconfig_host, well_known, plain_http };
std::string_view to_string(AutoconfigSource source);

struct AutoconfigLookup {
  AutoconfigSource source = AutoconfigSource::autoconfig_host;
  HttpsFetch fetch;
  std::optional<policy::Autoconfig> config;  // when the fetch gave a document that parses
  std::string parse_error;
};

// Where a server was named, and whether that source is authenticated.
enum class Source : std::uint8_t { srv, autoconfig_https, autoconfig_plain_http };
std::string_view to_string(Source source);  // "srv", "autoconfig-https", "autoconfig-plain-http"

struct Origin {
  Source source = Source::srv;
  std::string where;           // the SRV owner name or the URL
  bool authenticated = false;  // DNSSEC-secure SRV answer, or WebPKI-verified HTTPS
};

// One server a client would connect to, with every source that named it.
struct ClientServer {
  Leg leg = Leg::imap;
  std::string host;  // lower case, no trailing dot
  std::uint16_t port = 0;
  smtp::TlsMode mode = smtp::TlsMode::starttls;
  bool plaintext = false;  // autoconfig socketType plain: no TLS at all is configured
  std::vector<Origin> origins;
  bool authenticated_source() const;
};

struct Discovery {
  std::string domain;
  std::vector<SrvLookup> srv;                // in kSrvServices order
  std::vector<AutoconfigLookup> autoconfig;  // autoconfig host, well-known, plain http
  std::vector<ClientServer> servers;         // merged, per leg in discovery order
};

// The servers named by the SRV answers and the HTTPS autoconfig documents (never the plain-http
// one), deduplicated on (leg, host, port, mode, plaintext). %EMAILDOMAIN% in a hostname is the
// domain; a hostname that is not a domain name is dropped.
std::vector<ClientServer> merge_servers(const std::string& domain,
                                        const std::vector<SrvLookup>& srv,
                                        const std::vector<AutoconfigLookup>& autoconfig);

// `address` is the user's address (for the emailaddress= parameter; may be empty).
boost::asio::awaitable<Discovery> discover_client_servers(Engine& engine, std::string domain,
                                                          std::string address);

}  // namespace intransit::check
