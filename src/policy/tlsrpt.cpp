// tlsrpt.cpp — see tlsrpt.hpp. RFC 8460 §3 (tlsrpt-record ABNF).
#include "policy/tlsrpt.hpp"

#include "policy/text_fields.hpp"

namespace intransit::policy {
namespace {

// mailto: with something after it, or https:// with a host; no spaces or controls.
bool is_report_uri(std::string_view uri) {
  if (!is_vchar_value(uri) || uri.find(' ') != std::string_view::npos ||
      uri.find('\t') != std::string_view::npos) {
    return false;
  }
  const std::string l = lower(uri.substr(0, 8));
  if (l.rfind("mailto:", 0) == 0) return uri.size() > 7 && uri.find('@') != std::string_view::npos;
  if (l.rfind("https://", 0) == 0) return uri.size() > 8;
  return false;
}

}  // namespace

std::optional<TlsRptRecord> parse_tlsrpt_record(std::string_view txt, std::string& error) {
  error.clear();
  const auto fields = split_tag_list(txt, error);
  if (!fields) return std::nullopt;
  if (fields->empty() || (*fields)[0].name != "v" || (*fields)[0].value != "TLSRPTv1") {
    error = "record does not start with v=TLSRPTv1";
    return std::nullopt;
  }
  std::optional<TlsRptRecord> record;
  for (std::size_t i = 1; i < fields->size(); ++i) {
    const auto& f = (*fields)[i];
    if (!is_extension_name(f.name)) {
      error = "malformed field name";
      return std::nullopt;
    }
    if (f.name != "rua") continue;
    if (record) {
      error = "more than one rua";
      return std::nullopt;
    }
    TlsRptRecord r;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = f.value.find(',', start);
      const std::string_view uri = trim_wsp(f.value.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (!is_report_uri(uri)) {
        error = "rua URI '" + std::string(uri.substr(0, 64)) + "' is not mailto: or https:";
        return std::nullopt;
      }
      r.rua.emplace_back(uri);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    record = std::move(r);
  }
  if (!record) error = "no rua";
  return record;
}

std::optional<TlsRptRecord> select_tlsrpt_record(const std::vector<std::string>& txts,
                                                 std::string& error) {
  error.clear();
  const auto found = records_with_version(txts, "v=TLSRPTv1");
  if (found.size() > 1)
    error = std::to_string(found.size()) + " v=TLSRPTv1 records (exactly one is allowed)";
  if (found.size() != 1) return std::nullopt;
  return parse_tlsrpt_record(*found.front(), error);
}

}  // namespace intransit::policy
