// scenario.hpp — the sink's test scenarios (issue 6): one weakness per listening socket, so that
// what a sending MTA did on each socket says how it treats that weakness. dane-mismatch and
// mtasts-mismatch behave like valid here; their weakness lives in DNS and in the policy (the
// TLSA records and the MTA-STS policy published for that scenario's MX name).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace intransit::sink {

enum class SinkScenario : std::uint8_t {
  valid,             // STARTTLS with the configured certificate: the baseline
  no_starttls,       // STARTTLS not offered (what a stripping attacker makes of any server)
  starttls_refused,  // STARTTLS offered, answered 454
  handshake_fails,   // 220 to STARTTLS, then a fatal handshake_failure alert
  self_signed,       // a self-signed certificate
  expired,           // an expired certificate
  wrong_name,        // the configured certificate, served under a name it does not cover
  tls10_only,        // only TLS 1.0 (with the ciphers of its time)
  requiretls,        // REQUIRETLS advertised after TLS (RFC 8689)
  dane_mismatch,     // valid TLS, but the published TLSA records do not match
  mtasts_mismatch,   // valid TLS, but the MTA-STS policy does not list this MX
};

std::string_view to_string(SinkScenario scenario);
std::optional<SinkScenario> sink_scenario_from_string(std::string_view name);
const std::vector<SinkScenario>& all_sink_scenarios();

bool offers_starttls(SinkScenario scenario);
// The certificate the scenario presents: the configured one, or one the sink makes.
enum class CertificateSource : std::uint8_t { configured, self_signed, expired };
CertificateSource certificate_source(SinkScenario scenario);

}  // namespace intransit::sink
