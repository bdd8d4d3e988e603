// finding_id.cpp — see finding_id.hpp. The catalogue: one row per FindingId, in enum order (a
// static_assert keeps it so), with the id's text, severity, scope kinds, RFC section and remedy.
#include "core/finding_id.hpp"

#include <array>
#include <cstddef>

namespace intransit {
namespace {

constexpr std::uint8_t kDomain = static_cast<std::uint8_t>(ScopeKind::domain);
constexpr std::uint8_t kMx = static_cast<std::uint8_t>(ScopeKind::mx);
constexpr std::uint8_t kIp = static_cast<std::uint8_t>(ScopeKind::ip);

struct Row {
  FindingId id;
  std::string_view text;
  Severity severity;
  std::uint8_t scopes;   // ScopeKind bits
  std::string_view rfc;  // empty: no RFC section applies
  std::string_view remedy;
};

constexpr std::array kCatalogue{
    // DNS
    Row{FindingId::dns_mx_lookup_failed, "dns.mx-lookup-failed", Severity::high, kDomain,
        "RFC 5321 §5.1",
        "The MX lookup did not complete; check the domain's nameservers answer (SERVFAIL or "
        "timeout)."},
    Row{FindingId::dns_bogus, "dns.bogus", Severity::critical, kDomain | kMx, "RFC 4035 §5.5",
        "DNSSEC validation fails: fix the signatures or the DS in the parent zone; validating "
        "senders cannot deliver."},
    Row{FindingId::dns_unsigned, "dns.unsigned", Severity::info, kDomain, "RFC 7672 §2.2",
        "Sign the zone with DNSSEC (and publish DS) so that DANE can protect mail to it."},
    Row{FindingId::dns_no_network, "dns.no-network", Severity::high, kDomain, "RFC 4035 §4.3",
        "No nameserver answered at all: check this machine's network connection and that DNS "
        "(UDP and TCP port 53) may leave it, or give --resolver a resolver it can reach."},
    Row{FindingId::dns_malformed_record, "dns.malformed-record", Severity::medium, kDomain | kMx,
        "RFC 1035 §3.3", "A record's data does not decode; fix the record in the zone."},
    Row{FindingId::mx_null_with_others, "mx.null-with-others", Severity::high, kDomain,
        "RFC 7505 §3",
        "A null MX must be the only MX record: remove it, or remove the other MX records."},
    Row{FindingId::mx_cname, "mx.cname", Severity::low, kMx, "RFC 2181 §10.3",
        "Point the MX record at the host's own name, not at an alias (CNAME)."},
    Row{FindingId::mx_no_address, "mx.no-address", Severity::high, kMx, "RFC 5321 §5.1",
        "Give the MX host an A or AAAA record, or remove the MX record."},
    Row{FindingId::mx_address_lookup_failed, "mx.address-lookup-failed", Severity::high,
        kDomain | kMx, "RFC 5321 §5.1",
        "The MX host's address lookup did not complete; check its zone's nameservers."},
    Row{FindingId::mx_not_probed, "mx.not-probed", Severity::info, kMx, "",
        "More MX hosts or addresses than intransit probes per domain; the rest were not tested."},
    Row{FindingId::mx_implicit, "mx.implicit", Severity::info, kDomain, "RFC 5321 §5.1",
        "No MX record: mail goes to the domain's own address. Publish an MX record (or a null MX "
        "if it takes no mail)."},
    Row{FindingId::mx_untested, "mx.untested", Severity::medium, kIp, "",
        "Some MX addresses could not be tested (see their outcome); the verdict rests on the "
        "others."},
    // SMTP and TLS on an MX address (from the probe)
    Row{FindingId::starttls_missing, "starttls.missing", Severity::high, kIp, "RFC 3207 §4",
        "Enable STARTTLS on this server (Postfix: smtpd_tls_security_level = may, with a "
        "certificate)."},
    Row{FindingId::starttls_refused, "starttls.refused", Severity::high, kIp, "RFC 3207 §4",
        "The server offers STARTTLS but refuses it; check its TLS certificate and key "
        "configuration."},
    Row{FindingId::tls_handshake_failed, "tls.handshake-failed", Severity::high, kIp, "RFC 8446 §6",
        "STARTTLS is offered but the TLS handshake fails; senders fall back to plaintext. Check "
        "the server's TLS setup."},
    Row{FindingId::tls_obsolete_version, "tls.obsolete-version", Severity::medium, kIp,
        "RFC 8996 §4, §5", "Disable TLS 1.0 and 1.1 and offer TLS 1.2 and 1.3."},
    Row{FindingId::tls_no_forward_secrecy, "tls.no-forward-secrecy", Severity::medium, kIp,
        "RFC 9325 §4.1, §6.3",
        "Prefer ECDHE/DHE key exchange (or TLS 1.3) so recorded traffic cannot be decrypted "
        "later."},
    Row{FindingId::tls_suite_phase_out, "tls.suite-phase-out", Severity::low, kIp, "RFC 9325 §4.1",
        "Stop offering suites with static RSA key exchange or 3DES (NCSC-NL phase-out); keep "
        "ECDHE with AES-GCM or ChaCha20-Poly1305."},
    Row{FindingId::tls_suite_insufficient, "tls.suite-insufficient", Severity::medium, kIp,
        "RFC 9325 §4.1",
        "Disable NULL, export, RC4, DES, anonymous and other insufficient suites (NCSC-NL "
        "insufficient)."},
    Row{FindingId::cert_expired, "cert.expired", Severity::medium, kIp, "RFC 5280 §4.1.2.5",
        "Renew the certificate; MTA-STS and verifying senders refuse an expired one."},
    Row{FindingId::cert_not_yet_valid, "cert.not-yet-valid", Severity::medium, kIp,
        "RFC 5280 §4.1.2.5",
        "The certificate is not valid yet; check its dates and the server's clock."},
    Row{FindingId::cert_self_signed, "cert.self-signed", Severity::medium, kIp, "RFC 8461 §4.2",
        "Use a certificate from a public CA (or publish DANE-EE TLSA records for it)."},
    Row{FindingId::cert_untrusted, "cert.untrusted", Severity::medium, kIp, "RFC 8461 §4.2",
        "Serve a certificate that chains to a public CA, with its intermediates."},
    Row{FindingId::cert_chain_too_long, "cert.chain-too-long", Severity::medium, kIp,
        "RFC 5280 §6.1",
        "Serve the leaf and its intermediates only: verifiers stop after a few certificates "
        "(Postfix after 9), so this chain is refused."},
    Row{FindingId::cert_name_mismatch, "cert.name-mismatch", Severity::medium, kIp, "RFC 9525 §6.3",
        "Serve a certificate whose names include the MX host name."},
    Row{FindingId::smtp_plaintext_after_starttls, "smtp.plaintext-after-starttls", Severity::high,
        kIp, "RFC 3207 §4.2",
        "The server sent bytes after its 220 to STARTTLS (possible injection, CVE-2011-0411); "
        "check for a middlebox."},
    Row{FindingId::smtp_requiretls, "smtp.requiretls", Severity::info, kIp, "RFC 8689 §2",
        "The server advertises REQUIRETLS after STARTTLS."},
    // The dialogue's three hostile-server findings had no catalogue entry before issue 15, so
    // they report medium with no RFC section and no remedy; writing them one changes the JSON.
    Row{FindingId::smtp_inconsistent_reply_codes, "smtp.inconsistent-reply-codes", Severity::medium,
        kIp, "", ""},
    Row{FindingId::smtp_bare_lf_in_reply, "smtp.bare-lf-in-reply", Severity::medium, kIp, "", ""},
    Row{FindingId::smtp_unsolicited_data, "smtp.unsolicited-data", Severity::medium, kIp, "", ""},
    Row{FindingId::client_cleartext_auth, "client.cleartext-auth", Severity::high, kIp,
        "RFC 8314 §3.3, §4.1",
        "A password can be sent before TLS: advertise LOGINDISABLED (IMAP), drop USER and SASL "
        "PLAIN/LOGIN before STLS (POP3) or AUTH before STARTTLS (submission); Dovecot: "
        "disable_plaintext_auth = yes."},
    Row{FindingId::client_preauth, "client.preauth", Severity::high, kIp, "RFC 3501 §7.1.4",
        "The IMAP greeting is PREAUTH: the session is authenticated in plaintext and STARTTLS "
        "can no longer be issued. Do not pre-authenticate on network ports."},
    Row{FindingId::client_capabilities_changed, "client.capabilities-changed", Severity::info, kIp,
        "RFC 3501 §6.2.1",
        "The capabilities after TLS differ from those before (expected for AUTH and "
        "LOGINDISABLED); nothing to do unless the difference is unexpected."},
    Row{FindingId::client_implicit_tls_preferred, "client.implicit-tls-preferred", Severity::info,
        kIp, "RFC 8314 §3",
        "Offer implicit TLS (IMAP 993, POP3 995, submission 465) and have clients use it in "
        "preference to STARTTLS."},
    Row{FindingId::client_srv_insecure, "client.srv-insecure", Severity::medium, kDomain,
        "RFC 6186 §6",
        "Sign the zone with DNSSEC: an unsigned SRV answer can be forged, and a client may then "
        "only accept certificates for the domain itself (RFC 7817 §3)."},
    Row{FindingId::client_srv_lookup_failed, "client.srv-lookup-failed", Severity::medium, kDomain,
        "RFC 4035 §5.5",
        "An SRV lookup failed (SERVFAIL, timeout or DNSSEC bogus): check the nameservers and the "
        "zone's signatures."},
    Row{FindingId::client_autoconfig_http, "client.autoconfig-http", Severity::high, kDomain,
        "RFC 8314 §5.1",
        "The autoconfig file is served over plain http, where anyone on the path can rewrite the "
        "servers a client is told to use: serve it over HTTPS only (redirect http to nothing)."},
    Row{FindingId::client_autoconfig_fetch, "client.autoconfig-fetch", Severity::low, kDomain, "",
        "The HTTPS autoconfig file could not be used (certificate, redirect, media type, size or "
        "XML): serve config-v1.1.xml with 200, text/xml, a valid certificate and no redirect."},
    Row{FindingId::client_socket_plain, "client.socket-plain", Severity::high, kDomain,
        "RFC 8314 §3",
        "The autoconfig file tells clients to connect without TLS (socketType plain): list only "
        "SSL (implicit TLS) or STARTTLS servers."},
    Row{FindingId::client_cert_name, "client.cert-name", Severity::high, kIp, "RFC 7817 §3",
        "The certificate names neither the mail domain nor the server host: issue one that "
        "carries the domain or the host name clients are given."},
    Row{FindingId::client_srv_foreign_unauthenticated, "client.srv-foreign-unauthenticated",
        Severity::high, kIp, "RFC 7817 §3",
        "The certificate names only the SRV target, which comes from an unsigned SRV answer: "
        "add the mail domain to the certificate or sign the zone with DNSSEC (RFC 6186 §6)."},
    // DANE
    Row{FindingId::dane_tlsa_mismatch, "dane.tlsa-mismatch", Severity::critical, kIp,
        "RFC 7672 §2.2",
        "No TLSA record matches the certificate this MX presents: update the TLSA records "
        "(publish the new key before switching)."},
    Row{FindingId::dane_starttls_missing, "dane.starttls-missing", Severity::critical, kIp,
        "RFC 7672 §2.2",
        "TLSA records are published but this address offers no working TLS: DANE senders will "
        "not deliver."},
    Row{FindingId::dane_tlsa_insecure, "dane.tlsa-insecure", Severity::low, kMx, "RFC 7672 §2.2",
        "TLSA records in an unsigned zone are ignored by senders; sign the zone (and publish DS) "
        "to make DANE work."},
    Row{FindingId::dane_tlsa_lookup_failed, "dane.tlsa-lookup-failed", Severity::high, kMx,
        "RFC 7672 §2.2",
        "The TLSA lookup failed in a signed zone; DANE senders treat the MX as unusable. Fix the "
        "zone's nameservers."},
    Row{FindingId::dane_tlsa_unusable, "dane.tlsa-unusable", Severity::medium, kMx,
        "RFC 7672 §2.2, §3.1.3",
        "None of the TLSA records is usable for SMTP; publish DANE-EE(3) or DANE-TA(2) records."},
    Row{FindingId::dane_pkix_usage, "dane.pkix-usage", Severity::low, kMx, "RFC 7672 §3.1.3",
        "PKIX-TA(0)/PKIX-EE(1) TLSA records are not for SMTP; use DANE-EE(3) or DANE-TA(2)."},
    Row{FindingId::dane_single_record, "dane.single-record", Severity::info, kMx, "RFC 7671 §8.1",
        "Only one TLSA record: publish the next key's record too before rolling the key over."},
    Row{FindingId::dane_cname_expanded, "dane.cname-expanded", Severity::info, kMx,
        "RFC 7672 §2.2.2",
        "The MX host is an alias: DANE senders use the TLSA records at its expanded name first, "
        "then at the original name."},
    Row{FindingId::dane_matched, "dane.matched", Severity::info, kIp, "RFC 7672 §3",
        "The presented certificate matched a TLSA record."},
    // MTA-STS
    Row{FindingId::mtasts_none, "mtasts.none", Severity::info, kDomain, "RFC 8461 §3",
        "No MTA-STS policy: publish _mta-sts TXT and a policy at "
        "https://mta-sts.<domain>/.well-known/mta-sts.txt."},
    Row{FindingId::mtasts_record_invalid, "mtasts.record-invalid", Severity::high, kDomain,
        "RFC 8461 §3.1",
        "Fix the _mta-sts TXT record: exactly one \"v=STSv1; id=...\" with an id of 1-32 letters "
        "and digits."},
    Row{FindingId::mtasts_record_lookup_failed, "mtasts.record-lookup-failed", Severity::medium,
        kDomain, "RFC 8461 §3.1",
        "The _mta-sts TXT lookup did not complete; check the zone's nameservers."},
    Row{FindingId::mtasts_policy_fetch, "mtasts.policy-fetch", Severity::high, kDomain,
        "RFC 8461 §3.3",
        "Serve the policy at https://mta-sts.<domain>/.well-known/mta-sts.txt: 200, text/plain, "
        "valid certificate, no redirect, under 64 KiB."},
    Row{FindingId::mtasts_policy_invalid, "mtasts.policy-invalid", Severity::high, kDomain,
        "RFC 8461 §3.2", "Fix the policy file's syntax (version: STSv1, mode, max_age, mx lines)."},
    Row{FindingId::mtasts_testing, "mtasts.testing", Severity::info, kDomain, "RFC 8461 §5",
        "The policy is in testing mode: senders report failures but still deliver. Switch to "
        "enforce when reports are clean."},
    Row{FindingId::mtasts_mode_none, "mtasts.mode-none", Severity::info, kDomain, "RFC 8461 §5",
        "The policy's mode is none: MTA-STS is switched off for this domain."},
    Row{FindingId::mtasts_mx_mismatch, "mtasts.mx-mismatch", Severity::critical, kMx,
        "RFC 8461 §4.1",
        "Add an mx: line to the policy that matches this MX host (or fix the MX record)."},
    Row{FindingId::mtasts_cert_invalid, "mtasts.cert-invalid", Severity::critical, kIp,
        "RFC 8461 §4.2",
        "Serve a certificate valid for the MX host name from a public CA; enforce-mode senders "
        "refuse this one."},
    Row{FindingId::mtasts_starttls_missing, "mtasts.starttls-missing", Severity::critical, kIp,
        "RFC 8461 §4.2",
        "Offer working STARTTLS on this MX; enforce-mode senders will not deliver without it."},
    Row{FindingId::mtasts_max_age_short, "mtasts.max-age-short", Severity::low, kDomain,
        "RFC 8461 §3.2",
        "Use a max_age of weeks (e.g. 604800 or more) so that cached policies protect against "
        "downgrade."},
    // TLS-RPT
    Row{FindingId::tlsrpt_missing, "tlsrpt.missing", Severity::low, kDomain, "RFC 8460 §3",
        "Publish _smtp._tls TXT \"v=TLSRPTv1; rua=mailto:...\" to hear when senders cannot reach "
        "you securely."},
    Row{FindingId::tlsrpt_lookup_failed, "tlsrpt.lookup-failed", Severity::low, kDomain,
        "RFC 8460 §3", "The _smtp._tls TXT lookup did not complete; check the zone's nameservers."},
    Row{FindingId::tlsrpt_invalid, "tlsrpt.invalid", Severity::low, kDomain, "RFC 8460 §3",
        "Fix the _smtp._tls TXT record: exactly one v=TLSRPTv1 record with mailto: or https: rua "
        "URIs."},
    // Explicit encryption (`keys`, issue 21)
    Row{FindingId::keys_lookup_failed, "keys.lookup-failed", Severity::high, kDomain,
        "RFC 4035 §4.3",
        "A key lookup (WKD over HTTPS, OPENPGPKEY or SMIMEA in DNS) did not complete: whether "
        "the address has a key is unknown. Check the nameservers and the openpgpkey host."},
    Row{FindingId::keys_unsigned_dns, "keys.unsigned-dns", Severity::medium, kDomain, "RFC 7929 §5",
        "The key record is in an unsigned zone: anyone on the path can replace it. Sign the "
        "zone with DNSSEC."},
    Row{FindingId::keys_unparsable, "keys.unparsable", Severity::high, kDomain, "RFC 4880 §11.1",
        "The published key data is not a readable key: publish the binary transferable public "
        "key (gpg --export ADDRESS), not armored text or an HTML page."},
    Row{FindingId::keys_expired, "keys.expired", Severity::high, kDomain, "RFC 4880 §5.2.3.6",
        "The published key has expired: extend its expiry (gpg --quick-set-expire) and publish "
        "it again."},
    Row{FindingId::keys_revoked, "keys.revoked", Severity::high, kDomain, "RFC 4880 §5.2.1",
        "The published key is revoked: publish the key that replaced it, or remove the record."},
    Row{FindingId::keys_no_encryption_subkey, "keys.no-encryption-subkey", Severity::high, kDomain,
        "RFC 4880 §5.2.3.21",
        "No valid key in the published key may encrypt: add an encryption subkey (gpg "
        "--quick-add-key FPR cv25519 encr) and publish it again."},
    Row{FindingId::keys_uid_mismatch, "keys.uid-mismatch", Severity::high, kDomain, "RFC 7929 §5",
        "The published key has no valid user ID with this address: add one (gpg --quick-add-uid) "
        "or publish the right key under this address."},
    Row{FindingId::keys_smimea_unusable, "keys.smimea-unusable", Severity::medium, kDomain,
        "RFC 8162 §3",
        "The SMIMEA record gives no certificate a sender can encrypt to: publish usage 3, "
        "selector 0, matching 0 with a current certificate naming the address and allowing "
        "key encipherment or agreement."},
    Row{FindingId::keys_wkd_wildcard, "keys.wkd-wildcard", Severity::medium, kDomain, "",
        "openpgpkey.DOMAIN resolves only through a wildcard record, so senders use the advanced "
        "WKD method there and never try the direct one: serve WKD on that host or exclude it "
        "from the wildcard."},
    Row{FindingId::keys_wkd_policy_missing, "keys.wkd-policy-missing", Severity::low, kDomain, "",
        "The Web Key Directory has no policy file: publish an (empty) file named policy next to "
        "hu/; clients may take a missing one as no WKD."},
};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kCatalogue.size(); ++i) {
    if (static_cast<std::size_t>(kCatalogue[i].id) != i) return false;
  }
  return true;
}
static_assert(in_enum_order(), "kCatalogue rows must follow FindingId's order, one row per id");
static_assert(kCatalogue.size() == static_cast<std::size_t>(FindingId::keys_wkd_policy_missing) + 1,
              "every FindingId needs a catalogue row");

constexpr bool texts_unique() {
  for (std::size_t i = 0; i < kCatalogue.size(); ++i) {
    for (std::size_t j = i + 1; j < kCatalogue.size(); ++j) {
      if (kCatalogue[i].text == kCatalogue[j].text) return false;
    }
  }
  return true;
}
static_assert(texts_unique(), "two finding ids with the same text");

const Row& row(FindingId id) {
  return kCatalogue.at(static_cast<std::size_t>(id));
}

}  // namespace

std::string_view to_string(FindingId id) {
  return row(id).text;
}

std::optional<FindingId> finding_id_from_string(std::string_view text) {
  for (const auto& r : kCatalogue) {
    if (r.text == text) return r.id;
  }
  return std::nullopt;
}

Severity default_severity(FindingId id) {
  return row(id).severity;
}
std::string_view rfc_section(FindingId id) {
  return row(id).rfc;
}
std::string_view remedy(FindingId id) {
  return row(id).remedy;
}

bool scope_allowed(FindingId id, ScopeKind kind) {
  return (row(id).scopes & static_cast<std::uint8_t>(kind)) != 0;
}

std::optional<ScopeKind> scope_kind_of(std::string_view scope) {
  if (scope == "domain") return ScopeKind::domain;
  if (scope.starts_with("mx:") && scope.size() > 3) return ScopeKind::mx;
  if (scope.starts_with("ip:") && scope.find('/') != std::string_view::npos) return ScopeKind::ip;
  return std::nullopt;
}

std::size_t finding_id_count() {
  return kCatalogue.size();
}

}  // namespace intransit
