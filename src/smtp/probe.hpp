// probe.hpp — one SMTP server, in depth: connect, banner, EHLO, STARTTLS (RFC 3207) or implicit
// TLS (RFC 8314, port 465), TLS handshake with SNI, certificate facts and verification, EHLO
// again after TLS (RFC 3207 §4.2: only the post-TLS list counts), QUIT without waiting long.
// Runs as a C++20 coroutine on Boost.Asio. Every phase has a deadline from one table (STYLE.md
// habit 4) and the whole probe has one more, so a 1-byte-per-second drip cannot hold it; every
// probe ends in exactly one ProbeOutcome. Bytes a server sends after its 220 to STARTTLS are
// discarded before the handshake and reported (CVE-2011-0411, RELIABILITY.md item 13).
// The same Session speaks IMAP (RFC 9051/3501: CAPABILITY, STARTTLS, LOGOUT) and POP3 (RFC 1939,
// RFC 2449 CAPA, RFC 2595 STLS, QUIT) through small per-protocol dialect steps; submission
// (RFC 6409) is the SMTP dialogue plus the cleartext-auth check (RFC 8314 §3.3).
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/finding_id.hpp"
#include "core/limits.hpp"
#include "core/outcome.hpp"
#include "dns/rdata.hpp"
#include "smtp/ehlo.hpp"
#include "smtp/transport.hpp"
#include "tls/certificate.hpp"
#include "tls/client_context.hpp"
#include "tls/dane.hpp"
#include "tls/trust_store.hpp"

namespace intransit::smtp {

// The dialogue's phases, in order; the table in probe.cpp gives each its deadline and words.
enum class Phase : std::uint8_t { connect, banner, ehlo, starttls, tls_handshake, ehlo_tls, quit };
std::string_view to_string(Phase phase);

// Defaults and their reasons are in core/limits.hpp.
struct PhaseDeadlines {
  std::chrono::milliseconds connect = limits::kConnectDeadline;
  std::chrono::milliseconds banner = limits::kBannerDeadline;
  std::chrono::milliseconds command = limits::kCommandDeadline;  // EHLO, STARTTLS
  std::chrono::milliseconds handshake = limits::kHandshakeDeadline;
  std::chrono::milliseconds quit = limits::kQuitDeadline;
  std::chrono::milliseconds total = limits::kProbeDeadline;  // whole probe
};

enum class TlsMode : std::uint8_t { starttls, implicit };

// Which dialogue: SMTP relay (port 25), message submission (RFC 6409), IMAP or POP3.
enum class Protocol : std::uint8_t { smtp, submission, imap, pop3 };
// The CLI/JSON name of a protocol in a TLS mode: "smtp", "submissions", "imaps", "pop3", ...
// (smtp has no implicit-TLS name of its own: "smtp" in both modes).
std::string_view protocol_name(Protocol protocol, TlsMode mode);
struct ProtocolChoice {
  Protocol protocol;
  TlsMode mode;
};
// The inverse of protocol_name; nullopt for an unknown name.
std::optional<ProtocolChoice> protocol_from_name(std::string_view name);
// The protocol a port implies (25 smtp, 587 submission, 465 submissions, 143 imap, 993 imaps,
// 110 pop3, 995 pop3s, anything else smtp).
ProtocolChoice protocol_for_port(unsigned short port);

struct ProbeOptions {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string server_name;  // MX name: SNI and certificate name check; empty for none
  std::string helo_name = "intransit.invalid";  // what we say in EHLO (identifies the probe)
  TlsMode mode = TlsMode::starttls;
  Protocol protocol = Protocol::smtp;
  std::string ca_file;  // empty: system trust store
  tls::TlsOffer offer;
  // Shared across probes when set (a run loads its trust anchors once, a scan builds one
  // context per offer); built from ca_file / offer when null.
  std::shared_ptr<const tls::TrustStore> trust;
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  PhaseDeadlines deadlines;
  // DANE (RFC 7672): the MX's TLSA records from a DNSSEC-secure lookup, checked by OpenSSL
  // during the handshake with the TLSA base domain (the MX host name) for names. Empty: none.
  std::vector<dns::Tlsa> tlsa;
  std::string tlsa_base;
  std::vector<std::string> tlsa_names;  // more DANE-TA reference identifiers (RFC 7672 §3.2.2)
};

struct TlsFacts {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // OpenSSL name, e.g. "TLS_AES_256_GCM_SHA384"
  std::string group;    // key-exchange group, e.g. "X25519"
  int key_exchange_bits = 0;
  bool forward_secrecy = false;
  std::vector<tls::CertificateFacts> chain;  // as sent, leaf first
  tls::Verification verification;
  std::optional<tls::DaneVerification> dane;  // when TLSA records were given
  std::string dane_error;  // why DANE could not even be attempted (no usable record)
};

struct TranscriptLine {
  char direction;    // 'S' server, 'C' client, '*' note
  std::string text;  // sanitised (core/text.hpp)
};

struct ProbeResult {
  std::string address;  // "127.0.0.1:25", "[::1]:25"
  std::string server_name;
  Protocol protocol = Protocol::smtp;
  TlsMode mode = TlsMode::starttls;
  ProbeOutcome outcome = ProbeOutcome::ok;
  Phase phase = Phase::connect;  // where the dialogue ended
  std::string detail;            // human words for the outcome ("while waiting for the 220 banner")
  std::string banner;
  int last_code = 0;
  std::optional<Capabilities> capabilities;      // before TLS
  std::optional<Capabilities> capabilities_tls;  // after TLS (the ones that count)
  bool starttls_offered = false;
  std::optional<TlsFacts> tls;
  std::vector<FindingId> findings;  // e.g. FindingId::smtp_plaintext_after_starttls
  std::vector<TranscriptLine> transcript;
  std::size_t transcript_dropped = 0;
  std::size_t bytes_read = 0;
  std::chrono::milliseconds elapsed{0};
};

// On a TCP socket with a steady-clock watchdog.
boost::asio::awaitable<ProbeResult> probe(ProbeOptions options);
// The same dialogue over any transport and deadline source (transport.hpp): the seam the tests
// use to run it against a scripted peer without sockets or wall time. options.tls_context is
// not used (the transport brings its TLS session).
boost::asio::awaitable<ProbeResult> probe(ProbeOptions options, Transport& transport,
                                          DeadlineSource& deadline);

}  // namespace intransit::smtp
