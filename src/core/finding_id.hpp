// finding_id.hpp — the closed vocabulary of finding ids (DESIGN.md §3, issue 15 §2): one enum,
// one constexpr catalogue (finding_id.cpp) with per id its JSON text, severity, the scopes it may
// apply to, the RFC section behind it (or none) and a one-line remedy. An id that is not in the
// enum does not compile. The texts are the JSON contract's `findings[].id` values
// (docs/json-schema.md): change them only with a new schema version. In core because the probe
// (smtp/) raises ids and the audit (check/) explains them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/severity.hpp"

namespace intransit {

enum class FindingId : std::uint8_t {
  // DNS
  dns_mx_lookup_failed,
  dns_bogus,
  dns_unsigned,
  dns_no_network,
  dns_malformed_record,
  mx_null_with_others,
  mx_cname,
  mx_no_address,
  mx_address_lookup_failed,
  mx_not_probed,
  mx_implicit,
  mx_untested,
  // SMTP and TLS on an MX address (from the probe)
  starttls_missing,
  starttls_refused,
  tls_handshake_failed,
  tls_obsolete_version,
  tls_no_forward_secrecy,
  tls_suite_phase_out,
  tls_suite_insufficient,
  cert_expired,
  cert_not_yet_valid,
  cert_self_signed,
  cert_untrusted,
  cert_chain_too_long,
  cert_name_mismatch,
  smtp_plaintext_after_starttls,
  smtp_requiretls,
  smtp_inconsistent_reply_codes,
  smtp_bare_lf_in_reply,
  smtp_unsolicited_data,
  // Mail access and submission (IMAP, POP3, submission; from `probe --protocol`, never `check`)
  client_cleartext_auth,
  client_preauth,
  client_capabilities_changed,
  client_implicit_tls_preferred,
  // Mail-client discovery (SRV, autoconfig) and RFC 7817 names (from `client`, never `check`)
  client_srv_insecure,
  client_srv_lookup_failed,
  client_autoconfig_http,
  client_autoconfig_fetch,
  client_socket_plain,
  client_cert_name,
  client_srv_foreign_unauthenticated,
  // DANE
  dane_tlsa_mismatch,
  dane_starttls_missing,
  dane_tlsa_insecure,
  dane_tlsa_lookup_failed,
  dane_tlsa_unusable,
  dane_pkix_usage,
  dane_single_record,
  dane_cname_expanded,
  dane_matched,
  // MTA-STS
  mtasts_none,
  mtasts_record_invalid,
  mtasts_record_lookup_failed,
  mtasts_policy_fetch,
  mtasts_policy_invalid,
  mtasts_testing,
  mtasts_mode_none,
  mtasts_mx_mismatch,
  mtasts_cert_invalid,
  mtasts_starttls_missing,
  mtasts_max_age_short,
  // TLS-RPT
  tlsrpt_missing,
  tlsrpt_lookup_failed,
  tlsrpt_invalid,
  // Explicit encryption: `keys ADDRESS` (issue 21), scope "domain" (the address's domain)
  keys_lookup_failed,
  keys_unsigned_dns,
  keys_unparsable,
  keys_expired,
  keys_revoked,
  keys_no_encryption_subkey,
  keys_uid_mismatch,
  keys_smimea_unusable,
  keys_wkd_wildcard,
  keys_wkd_policy_missing,
};

// What a finding's scope names: the domain ("domain"), one MX host ("mx:<host>") or one
// address of it ("ip:<host>/<address>"). A catalogue row lists the kinds its id may have.
enum class ScopeKind : std::uint8_t { domain = 1, mx = 2, ip = 4 };

std::string_view to_string(FindingId id);
std::optional<FindingId> finding_id_from_string(std::string_view text);

// The catalogue's fixed parts of `id`.
Severity default_severity(FindingId id);
std::string_view rfc_section(FindingId id);  // "RFC 7672 §2.2"; empty when none applies
std::string_view remedy(FindingId id);
bool scope_allowed(FindingId id, ScopeKind kind);
// The kind a scope string names, or nothing when it has none of the three shapes.
std::optional<ScopeKind> scope_kind_of(std::string_view scope);

// Every id, in catalogue order (for tests and documentation).
std::size_t finding_id_count();

}  // namespace intransit
