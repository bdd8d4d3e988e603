// finding.cpp — see finding.hpp. One row per finding id: severity, RFC section, remedy.
#include "check/finding.hpp"

#include <array>

namespace intransit::check {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "?";
}

namespace {

struct Entry {
  std::string_view id;
  Severity severity;
  std::string_view rfc;
  std::string_view remedy;
};

constexpr std::array kCatalogue{
    // DNS
    Entry{"dns.mx-lookup-failed", Severity::high, "RFC 5321 §5.1",
          "The MX lookup did not complete; check the domain's nameservers answer (SERVFAIL or "
          "timeout)."},
    Entry{"dns.bogus", Severity::critical, "RFC 4035 §5.5",
          "DNSSEC validation fails: fix the signatures or the DS in the parent zone; validating "
          "senders cannot deliver."},
    Entry{"dns.unsigned", Severity::info, "RFC 7672 §2.2",
          "Sign the zone with DNSSEC (and publish DS) so that DANE can protect mail to it."},
    Entry{"dns.no-network", Severity::high, "RFC 4035 §4.3",
          "No nameserver answered at all: check this machine's network connection and that DNS "
          "(UDP and TCP port 53) may leave it, or give --resolver a resolver it can reach."},
    Entry{"dns.malformed-record", Severity::medium, "RFC 1035 §3.3",
          "A record's data does not decode; fix the record in the zone."},
    Entry{"mx.null-with-others", Severity::high, "RFC 7505 §3",
          "A null MX must be the only MX record: remove it, or remove the other MX records."},
    Entry{"mx.cname", Severity::low, "RFC 2181 §10.3",
          "Point the MX record at the host's own name, not at an alias (CNAME)."},
    Entry{"mx.no-address", Severity::high, "RFC 5321 §5.1",
          "Give the MX host an A or AAAA record, or remove the MX record."},
    Entry{"mx.address-lookup-failed", Severity::high, "RFC 5321 §5.1",
          "The MX host's address lookup did not complete; check its zone's nameservers."},
    Entry{"mx.not-probed", Severity::info, "-",
          "More MX hosts or addresses than intransit probes per domain; the rest were not tested."},
    Entry{"mx.implicit", Severity::info, "RFC 5321 §5.1",
          "No MX record: mail goes to the domain's own address. Publish an MX record (or a null MX "
          "if it takes no mail)."},
    Entry{"mx.untested", Severity::medium, "-",
          "Some MX addresses could not be tested (see their outcome); the verdict rests on the "
          "others."},
    // SMTP and TLS on an MX address (from the probe)
    Entry{"starttls.missing", Severity::high, "RFC 3207 §4",
          "Enable STARTTLS on this server (Postfix: smtpd_tls_security_level = may, with a "
          "certificate)."},
    Entry{"starttls.refused", Severity::high, "RFC 3207 §4",
          "The server offers STARTTLS but refuses it; check its TLS certificate and key "
          "configuration."},
    Entry{"tls.handshake-failed", Severity::high, "RFC 8446 §6",
          "STARTTLS is offered but the TLS handshake fails; senders fall back to plaintext. Check "
          "the server's TLS setup."},
    Entry{"tls.obsolete-version", Severity::medium, "RFC 8996 §4, §5",
          "Disable TLS 1.0 and 1.1 and offer TLS 1.2 and 1.3."},
    Entry{"tls.no-forward-secrecy", Severity::medium, "RFC 9325 §4.1, §6.3",
          "Prefer ECDHE/DHE key exchange (or TLS 1.3) so recorded traffic cannot be decrypted "
          "later."},
    Entry{"tls.suite-phase-out", Severity::low, "RFC 9325 §4.1",
          "Stop offering suites with static RSA key exchange or 3DES (NCSC-NL phase-out); keep "
          "ECDHE with AES-GCM or ChaCha20-Poly1305."},
    Entry{"tls.suite-insufficient", Severity::medium, "RFC 9325 §4.1",
          "Disable NULL, export, RC4, DES, anonymous and other insufficient suites (NCSC-NL "
          "insufficient)."},
    Entry{"cert.expired", Severity::medium, "RFC 5280 §4.1.2.5",
          "Renew the certificate; MTA-STS and verifying senders refuse an expired one."},
    Entry{"cert.not-yet-valid", Severity::medium, "RFC 5280 §4.1.2.5",
          "The certificate is not valid yet; check its dates and the server's clock."},
    Entry{"cert.self-signed", Severity::medium, "RFC 8461 §4.2",
          "Use a certificate from a public CA (or publish DANE-EE TLSA records for it)."},
    Entry{"cert.untrusted", Severity::medium, "RFC 8461 §4.2",
          "Serve a certificate that chains to a public CA, with its intermediates."},
    Entry{"cert.chain-too-long", Severity::medium, "RFC 5280 §6.1",
          "Serve the leaf and its intermediates only: verifiers stop after a few certificates "
          "(Postfix after 9), so this chain is refused."},
    Entry{"cert.name-mismatch", Severity::medium, "RFC 9525 §6.3",
          "Serve a certificate whose names include the MX host name."},
    Entry{"smtp.plaintext-after-starttls", Severity::high, "RFC 3207 §4.2",
          "The server sent bytes after its 220 to STARTTLS (possible injection, CVE-2011-0411); "
          "check for a middlebox."},
    Entry{"smtp.requiretls", Severity::info, "RFC 8689 §2",
          "The server advertises REQUIRETLS after STARTTLS."},
    // DANE
    Entry{"dane.tlsa-mismatch", Severity::critical, "RFC 7672 §2.2",
          "No TLSA record matches the certificate this MX presents: update the TLSA records "
          "(publish the new key before switching)."},
    Entry{"dane.starttls-missing", Severity::critical, "RFC 7672 §2.2",
          "TLSA records are published but this address offers no working TLS: DANE senders will "
          "not deliver."},
    Entry{"dane.tlsa-insecure", Severity::low, "RFC 7672 §2.2",
          "TLSA records in an unsigned zone are ignored by senders; sign the zone (and publish DS) "
          "to make DANE work."},
    Entry{"dane.tlsa-lookup-failed", Severity::high, "RFC 7672 §2.2",
          "The TLSA lookup failed in a signed zone; DANE senders treat the MX as unusable. Fix the "
          "zone's nameservers."},
    Entry{"dane.tlsa-unusable", Severity::medium, "RFC 7672 §2.2, §3.1.3",
          "None of the TLSA records is usable for SMTP; publish DANE-EE(3) or DANE-TA(2) records."},
    Entry{"dane.pkix-usage", Severity::low, "RFC 7672 §3.1.3",
          "PKIX-TA(0)/PKIX-EE(1) TLSA records are not for SMTP; use DANE-EE(3) or DANE-TA(2)."},
    Entry{"dane.single-record", Severity::info, "RFC 7671 §8.1",
          "Only one TLSA record: publish the next key's record too before rolling the key over."},
    Entry{"dane.cname-expanded", Severity::info, "RFC 7672 §2.2.2",
          "The MX host is an alias: DANE senders use the TLSA records at its expanded name first, "
          "then at the original name."},
    Entry{"dane.matched", Severity::info, "RFC 7672 §3",
          "The presented certificate matched a TLSA record."},
    // MTA-STS
    Entry{"mtasts.none", Severity::info, "RFC 8461 §3",
          "No MTA-STS policy: publish _mta-sts TXT and a policy at "
          "https://mta-sts.<domain>/.well-known/mta-sts.txt."},
    Entry{"mtasts.record-invalid", Severity::high, "RFC 8461 §3.1",
          "Fix the _mta-sts TXT record: exactly one \"v=STSv1; id=...\" with an id of 1-32 letters "
          "and digits."},
    Entry{"mtasts.record-lookup-failed", Severity::medium, "RFC 8461 §3.1",
          "The _mta-sts TXT lookup did not complete; check the zone's nameservers."},
    Entry{"mtasts.policy-fetch", Severity::high, "RFC 8461 §3.3",
          "Serve the policy at https://mta-sts.<domain>/.well-known/mta-sts.txt: 200, text/plain, "
          "valid certificate, no redirect, under 64 KiB."},
    Entry{"mtasts.policy-invalid", Severity::high, "RFC 8461 §3.2",
          "Fix the policy file's syntax (version: STSv1, mode, max_age, mx lines)."},
    Entry{"mtasts.testing", Severity::info, "RFC 8461 §5",
          "The policy is in testing mode: senders report failures but still deliver. Switch to "
          "enforce when reports are clean."},
    Entry{"mtasts.mode-none", Severity::info, "RFC 8461 §5",
          "The policy's mode is none: MTA-STS is switched off for this domain."},
    Entry{"mtasts.mx-mismatch", Severity::critical, "RFC 8461 §4.1",
          "Add an mx: line to the policy that matches this MX host (or fix the MX record)."},
    Entry{"mtasts.cert-invalid", Severity::critical, "RFC 8461 §4.2",
          "Serve a certificate valid for the MX host name from a public CA; enforce-mode senders "
          "refuse this one."},
    Entry{"mtasts.starttls-missing", Severity::critical, "RFC 8461 §4.2",
          "Offer working STARTTLS on this MX; enforce-mode senders will not deliver without it."},
    Entry{"mtasts.max-age-short", Severity::low, "RFC 8461 §3.2",
          "Use a max_age of weeks (e.g. 604800 or more) so that cached policies protect against "
          "downgrade."},
    // TLS-RPT
    Entry{"tlsrpt.missing", Severity::low, "RFC 8460 §3",
          "Publish _smtp._tls TXT \"v=TLSRPTv1; rua=mailto:...\" to hear when senders cannot reach "
          "you securely."},
    Entry{"tlsrpt.lookup-failed", Severity::low, "RFC 8460 §3",
          "The _smtp._tls TXT lookup did not complete; check the zone's nameservers."},
    Entry{"tlsrpt.invalid", Severity::low, "RFC 8460 §3",
          "Fix the _smtp._tls TXT record: exactly one v=TLSRPTv1 record with mailto: or https: rua "
          "URIs."},
};

const Entry* find(std::string_view id) {
  for (const auto& e : kCatalogue) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

}  // namespace

bool catalogued(std::string_view id) {
  return find(id) != nullptr;
}

Finding make_finding(std::string_view id, std::string scope, std::string evidence,
                     std::optional<Severity> severity) {
  Finding f;
  f.id = std::string(id);
  f.scope = std::move(scope);
  f.evidence = std::move(evidence);
  if (const Entry* e = find(id)) {
    f.severity = e->severity;
    f.rfc = std::string(e->rfc);
    f.remedy = std::string(e->remedy);
  } else {
    f.severity = Severity::medium;
  }
  if (severity) f.severity = *severity;
  return f;
}

}  // namespace intransit::check
