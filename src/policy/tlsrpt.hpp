// tlsrpt.hpp — the TLS-RPT DNS record at `_smtp._tls.<domain>` (RFC 8460 §3): "v=TLSRPTv1;
// rua=mailto:...,https://...". Exactly one record must start with v=TLSRPTv1; each rua URI must
// be mailto: or https:. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::policy {

struct TlsRptRecord {
  std::vector<std::string> rua;  // mailto: and https: URIs, in order
};

std::optional<TlsRptRecord> parse_tlsrpt_record(std::string_view txt, std::string& error);

// Among a name's TXT strings: nullopt with `error` empty when none starts with v=TLSRPTv1;
// `error` set when several do, or the one that does is malformed.
std::optional<TlsRptRecord> select_tlsrpt_record(const std::vector<std::string>& txts,
                                                 std::string& error);

}  // namespace intransit::policy
