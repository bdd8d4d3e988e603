// mailto.hpp — the address of a `mailto:` TLS-RPT rua (RFC 8460 §3, RFC 6068 §2): "mailto:" in
// any case, the address with its %XX escapes decoded, any "?hfields" ignored. Only an address an
// SMTP command can carry is given back (non-empty, at most 254 bytes, one '@' at least, no
// control bytes, spaces or angle brackets): the rua comes from a stranger's DNS. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace intransit::policy {

std::optional<std::string> mailto_address(std::string_view uri);

}  // namespace intransit::policy
