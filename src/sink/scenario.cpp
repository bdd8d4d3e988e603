// scenario.cpp — see scenario.hpp.
#include "sink/scenario.hpp"

#include <array>
#include <string_view>

namespace intransit::sink {
namespace {

struct Row {
  SinkScenario scenario;
  std::string_view name;
  bool starttls;
  CertificateSource certificate;
};
constexpr std::array<Row, 11> kRows{{
    {SinkScenario::valid, "valid", true, CertificateSource::configured},
    {SinkScenario::no_starttls, "no-starttls", false, CertificateSource::configured},
    {SinkScenario::starttls_refused, "starttls-refused", true, CertificateSource::configured},
    {SinkScenario::handshake_fails, "handshake-fails", true, CertificateSource::configured},
    {SinkScenario::self_signed, "self-signed", true, CertificateSource::self_signed},
    {SinkScenario::expired, "expired", true, CertificateSource::expired},
    {SinkScenario::wrong_name, "wrong-name", true, CertificateSource::configured},
    {SinkScenario::tls10_only, "tls10-only", true, CertificateSource::configured},
    {SinkScenario::requiretls, "requiretls", true, CertificateSource::configured},
    {SinkScenario::dane_mismatch, "dane-mismatch", true, CertificateSource::configured},
    {SinkScenario::mtasts_mismatch, "mtasts-mismatch", true, CertificateSource::configured},
}};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    if (static_cast<std::size_t>(kRows[i].scenario) != i) return false;
  }
  return kRows.size() == static_cast<std::size_t>(SinkScenario::mtasts_mismatch) + 1;
}
// row() indexes by the enum's value: the one catalogue must list every scenario in enum order.
static_assert(in_enum_order(), "kRows: one row per SinkScenario, in enum order");

const Row& row(SinkScenario s) {
  return kRows[static_cast<std::size_t>(s)];
}

}  // namespace

std::string_view to_string(SinkScenario scenario) {
  return row(scenario).name;
}

std::optional<SinkScenario> sink_scenario_from_string(std::string_view name) {
  for (const auto& r : kRows) {
    if (r.name == name) return r.scenario;
  }
  return std::nullopt;
}

const std::vector<SinkScenario>& all_sink_scenarios() {
  static const std::vector<SinkScenario> all = [] {
    std::vector<SinkScenario> v;
    for (const auto& r : kRows) v.push_back(r.scenario);
    return v;
  }();
  return all;
}

bool offers_starttls(SinkScenario scenario) {
  return row(scenario).starttls;
}
CertificateSource certificate_source(SinkScenario scenario) {
  return row(scenario).certificate;
}

}  // namespace intransit::sink
