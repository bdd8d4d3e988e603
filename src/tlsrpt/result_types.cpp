// result_types.cpp — see result_types.hpp. Meanings follow RFC 8460 §4.3; causes and remedies are
// what mail admins meet in practice (RFC 8461 §3.3 for the MTA-STS fetch rules, RFC 7672 for DANE).
#include "tlsrpt/result_types.hpp"

#include "core/text.hpp"

namespace intransit::tlsrpt {

const std::array<ResultTypeInfo, kResultTypes> kResultTypeTable{{
    {ResultType::starttls_not_supported, "starttls-not-supported", "RFC 8460 §4.3.1",
     "the receiving MX did not offer STARTTLS (or the sender could not see it)",
     "STARTTLS not enabled on that MX; a firewall or middlebox stripping STARTTLS from the EHLO "
     "reply; an MX listed that is not the real mail server",
     "enable STARTTLS on every MX the policy names; test with `intransit probe MX`; look for "
     "SMTP inspection on firewalls in front of the MX"},
    {ResultType::certificate_host_mismatch, "certificate-host-mismatch", "RFC 8460 §4.3.1",
     "the MX presented a certificate that does not name the MX host",
     "the certificate lists another name (a default or shared-hosting certificate); the MX "
     "record points at a name the certificate does not cover",
     "issue a certificate whose subjectAltName holds every MX name the sender connects to"},
    {ResultType::certificate_expired, "certificate-expired", "RFC 8460 §4.3.1",
     "the MX presented an expired certificate",
     "automatic renewal failed, or the MTA was not reloaded after renewal",
     "renew the certificate, reload the MTA, and monitor expiry"},
    {ResultType::certificate_not_trusted, "certificate-not-trusted", "RFC 8460 §4.3.1",
     "the MX certificate does not chain to a root the sender trusts",
     "a self-signed or private-CA certificate; the intermediate certificates are not sent",
     "use a certificate from a public CA and send the full chain (leaf plus intermediates)"},
    {ResultType::validation_failure, "validation-failure", "RFC 8460 §4.3.1",
     "a general failure to validate the TLS session or certificate, for a reason not listed "
     "elsewhere",
     "TLS version or cipher mismatch, a broken handshake, a certificate the sender cannot parse",
     "read the failure-reason-code and additional-information; probe the MX with `intransit "
     "probe --sweep`"},
    {ResultType::tlsa_invalid, "tlsa-invalid", "RFC 8460 §4.3.2",
     "the TLSA records (DANE) did not match the MX certificate, or were malformed",
     "a certificate or key was replaced without publishing the new TLSA record first",
     "publish TLSA for the new key before rolling it (RFC 7671 §8); check with `intransit "
     "check`"},
    {ResultType::dnssec_invalid, "dnssec-invalid", "RFC 8460 §4.3.2",
     "DNSSEC validation of the MX or TLSA records failed (bogus answers)",
     "expired RRSIGs, a DS record at the parent that no longer matches the zone's keys",
     "fix the signing (re-sign, roll the DS at the registrar) and check with a validating "
     "resolver"},
    {ResultType::dane_required, "dane-required", "RFC 8460 §4.3.2",
     "the sender requires DANE for this domain but found no usable TLSA records",
     "TLSA records removed or unsigned while the sender is configured to insist on DANE",
     "publish valid TLSA records in a signed zone, or ask the sender to drop the requirement"},
    {ResultType::sts_policy_fetch_error, "sts-policy-fetch-error", "RFC 8460 §4.3.2",
     "the sender could not fetch the MTA-STS policy over HTTPS",
     "usually a redirect (RFC 8461 §3.3 forbids following them), a wrong path (must be "
     "/.well-known/mta-sts.txt on host mta-sts.DOMAIN), or a web firewall or CDN blocking "
     "non-browser clients; also DNS for mta-sts.DOMAIN missing, or the web server down",
     "serve the policy directly with status 200 and Content-Type text/plain at "
     "https://mta-sts.DOMAIN/.well-known/mta-sts.txt, no redirect, and let non-browser user "
     "agents through"},
    {ResultType::sts_policy_invalid, "sts-policy-invalid", "RFC 8460 §4.3.2",
     "the MTA-STS policy was fetched but could not be parsed or is not valid",
     "a syntax error (missing version: STSv1, a bad mode or max_age), a wrong line ending, an "
     "HTML error page served with status 200",
     "check the policy file with `intransit check DOMAIN`; bump the id in the _mta-sts TXT "
     "record after fixing it"},
    {ResultType::sts_webpki_invalid, "sts-webpki-invalid", "RFC 8460 §4.3.2",
     "the HTTPS certificate of the MTA-STS policy host could not be validated",
     "the certificate of mta-sts.DOMAIN is expired, self-signed, or does not name mta-sts.DOMAIN",
     "give mta-sts.DOMAIN a valid public certificate for exactly that name"},
}};

const ResultTypeInfo& info(ResultType type) {
  return kResultTypeTable[static_cast<std::size_t>(type)];
}

std::optional<ResultType> result_type_from_word(std::string_view word) {
  for (const auto& entry : kResultTypeTable) {
    if (text::equals_lower(word, entry.word)) return entry.type;
  }
  return std::nullopt;
}

}  // namespace intransit::tlsrpt
