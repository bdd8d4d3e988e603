// autoconfig.hpp — the mail-client autoconfiguration file in Thunderbird's format
// ("config-v1.1.xml": clientConfig/emailProvider with incomingServer and outgoingServer, each
// with type, hostname, port and socketType). Pure: the HTTPS fetch lives in check/. Parsed with
// a real XML parser (libexpat) held to the hostile-input rules: no DTD at all (so no external
// entity and no entity expansion), the document, its depth, every text field and the server
// count bounded (core/limits.hpp). A server whose fields are unusable is skipped with a note,
// never repaired into something a client would not use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::policy {

// socketType: SSL (implicit TLS), STARTTLS, or plain (the password and mail travel in clear).
enum class SocketType : std::uint8_t { ssl, starttls, plain };
std::string_view to_string(SocketType type);  // "SSL", "STARTTLS", "plain"

struct AutoconfigServer {
  bool incoming = true;  // incomingServer (imap, pop3) or outgoingServer (smtp)
  std::string type;      // "imap", "pop3" or "smtp" (lower case)
  std::string hostname;  // lower case; may hold %EMAILDOMAIN% (the caller substitutes it)
  std::uint16_t port = 0;
  SocketType socket = SocketType::plain;
};

struct Autoconfig {
  std::vector<std::string> domains;  // <domain> entries (lower case)
  std::vector<AutoconfigServer> servers;
  std::vector<std::string> notes;  // servers skipped and why (printable text)
};

// nullopt with `error` when the document is not a well-formed clientConfig within the limits.
std::optional<Autoconfig> parse_autoconfig(std::string_view xml, std::string& error);

}  // namespace intransit::policy
