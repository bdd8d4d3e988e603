// fuzz_report_row.cpp — fuzz target for FastRowReader (report/html/fast_row.hpp, issue 17), the
// simdjson reading of a scan's check lines. Properties: a line it takes is one nlohmann accepts
// too, as an intransit.check/1 object, and its row equals domain_row() of nlohmann's tree; the
// strings it keeps are valid UTF-8 (they reach the page).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/text.hpp"
#include "fuzz_check.hpp"
#include "report/html/fast_row.hpp"
#include "report/html/input.hpp"

namespace {

bool same(const intransit::report::html::DomainRow& a,
          const intransit::report::html::DomainRow& b) {
  return a.domain == b.domain && a.verdict == b.verdict && a.untested_reason == b.untested_reason &&
         a.dane == b.dane && a.mta_sts == b.mta_sts && a.tls_rpt == b.tls_rpt &&
         a.operators == b.operators && a.tls_versions == b.tls_versions &&
         a.cert_problems == b.cert_problems && a.findings == b.findings && a.mx_hosts == b.mx_hosts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static intransit::report::html::FastRowReader fast;
  const std::string line(reinterpret_cast<const char*>(data), size);
  const auto row = fast.check_row(line);
  if (!row) return 0;
  std::optional<nlohmann::json> tree;
  try {
    tree = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
  }
  FUZZ_CHECK(tree.has_value());
  FUZZ_CHECK(tree->is_object() && tree->value("schema", nlohmann::json()) == "intransit.check/1");
  FUZZ_CHECK(same(*row, intransit::report::html::domain_row(*tree)));
  FUZZ_CHECK(intransit::text::is_valid_utf8(row->domain));
  return 0;
}
