// autoconfig.cpp — see autoconfig.hpp. libexpat drives callbacks; a small state keeps the
// element path and the fields of the server being read. Any DOCTYPE stops the parse: the format
// has no DTD, and refusing it closes external entities and entity expansion in one rule.
#include "policy/autoconfig.hpp"

#include <expat.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "core/limits.hpp"
#include "core/text.hpp"

namespace intransit::policy {

std::string_view to_string(SocketType type) {
  switch (type) {
    case SocketType::ssl: return "SSL";
    case SocketType::starttls: return "STARTTLS";
    case SocketType::plain: return "plain";
  }
  return "?";
}

namespace {

struct ParserFree {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};
using ParserPtr = std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree>;

// The fields of one <incomingServer>/<outgoingServer> as read, before they are judged.
struct RawServer {
  bool incoming = true;
  std::string type, hostname, port, socket;
};

struct State {
  XML_Parser parser = nullptr;
  std::vector<std::string> path;  // element names from the root
  std::string text;               // character data of the current leaf
  bool text_too_long = false;
  std::optional<RawServer> server;
  Autoconfig out;
  std::string error;  // set when the parse is stopped by a rule of ours

  void stop(std::string why) {
    if (error.empty()) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

std::string trimmed_lower(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return text::lower(std::string(s.substr(b, e - b + 1)));
}

// Judges a finished server: a client would use it only with a known type, a host, a port in
// range and a known socketType; anything else is a note, not a guess.
void finish_server(State& st, const RawServer& raw) {
  const std::string what = std::string(raw.incoming ? "incomingServer" : "outgoingServer") + " '" +
                           text::printable(raw.hostname) + "'";
  if (st.out.servers.size() >= limits::kAutoconfigServers) {
    st.out.notes.push_back(what + " ignored: over " + std::to_string(limits::kAutoconfigServers) +
                           " servers");
    return;
  }
  AutoconfigServer s;
  s.incoming = raw.incoming;
  s.type = trimmed_lower(raw.type);
  const bool type_ok = raw.incoming ? (s.type == "imap" || s.type == "pop3") : s.type == "smtp";
  if (!type_ok) {
    st.out.notes.push_back(what + " skipped: type '" + text::printable(s.type) + "' not used here");
    return;
  }
  s.hostname = trimmed_lower(raw.hostname);
  if (s.hostname.empty() || s.hostname.size() > 253) {
    st.out.notes.push_back(what + " skipped: no usable hostname");
    return;
  }
  const std::string port = trimmed_lower(raw.port);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
      value > 65535) {
    st.out.notes.push_back(what + " skipped: port '" + text::printable(port) + "' is not 1-65535");
    return;
  }
  s.port = static_cast<std::uint16_t>(value);
  const std::string socket = trimmed_lower(raw.socket);
  if (socket == "ssl" || socket == "tls") {  // "TLS" is an older spelling of implicit TLS
    s.socket = SocketType::ssl;
  } else if (socket == "starttls") {
    s.socket = SocketType::starttls;
  } else if (socket == "plain") {
    s.socket = SocketType::plain;
  } else {
    st.out.notes.push_back(what + " skipped: socketType '" + text::printable(socket) +
                           "' is not SSL, STARTTLS or plain");
    return;
  }
  st.out.servers.push_back(std::move(s));
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& st = *static_cast<State*>(data);
  if (st.path.size() >= limits::kAutoconfigDepth) {
    st.stop("elements nested deeper than " + std::to_string(limits::kAutoconfigDepth));
    return;
  }
  const std::string element(name);
  if (st.path.empty() && element != "clientConfig") {
    st.stop("the root element is '" + text::printable(element) + "', not clientConfig");
    return;
  }
  st.path.push_back(element);
  st.text.clear();
  st.text_too_long = false;
  const bool in_provider = st.path.size() == 3 && st.path[1] == "emailProvider";
  if (in_provider && (element == "incomingServer" || element == "outgoingServer")) {
    RawServer raw;
    raw.incoming = element == "incomingServer";
    for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
      if (std::string_view(attributes[i]) == "type") raw.type = attributes[i + 1];
    }
    if (raw.type.size() > limits::kAutoconfigFieldBytes) raw.type.clear();
    st.server = std::move(raw);
  }
}

void XMLCALL on_text(void* data, const XML_Char* s, int len) {
  auto& st = *static_cast<State*>(data);
  if (st.text.size() + static_cast<std::size_t>(len) > limits::kAutoconfigFieldBytes) {
    st.text_too_long = true;  // the field is unusable; keep reading the document
    return;
  }
  st.text.append(s, static_cast<std::size_t>(len));
}

void XMLCALL on_end(void* data, const XML_Char* name) {
  auto& st = *static_cast<State*>(data);
  const std::string element(name);
  const std::string value = st.text_too_long ? std::string{} : st.text;
  st.text.clear();
  st.text_too_long = false;
  if (st.path.size() == 3 && st.path[1] == "emailProvider" && element == "domain") {
    const std::string d = trimmed_lower(value);
    if (!d.empty() && st.out.domains.size() < limits::kAutoconfigServers) {
      st.out.domains.push_back(text::printable(d));
    }
  }
  if (st.server && st.path.size() == 4) {
    if (element == "hostname") st.server->hostname = value;
    if (element == "port") st.server->port = value;
    if (element == "socketType") st.server->socket = value;
  }
  if (st.server && st.path.size() == 3) {
    finish_server(st, *st.server);
    st.server.reset();
  }
  if (!st.path.empty()) st.path.pop_back();
}

void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<State*>(data)->stop("a DOCTYPE: refused (the format has none; no DTD is read)");
}

void XMLCALL on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                       const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<State*>(data)->stop("an entity declaration: refused");
}

}  // namespace

std::optional<Autoconfig> parse_autoconfig(std::string_view xml, std::string& error) {
  error.clear();
  if (xml.size() > limits::kAutoconfigBytes) {
    error = "document over " + std::to_string(limits::kAutoconfigBytes) + " bytes";
    return std::nullopt;
  }
  ParserPtr parser(XML_ParserCreate(nullptr));
  if (!parser) {
    error = "out of memory creating the XML parser";
    return std::nullopt;
  }
  State st;
  st.parser = parser.get();
  XML_SetUserData(parser.get(), &st);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
  XML_SetEntityDeclHandler(parser.get(), on_entity);
  // Never read an external entity or DTD, whatever the document says.
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  const auto status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (!st.error.empty()) {
    error = st.error;
    return std::nullopt;
  }
  if (status != XML_STATUS_OK) {
    error = "not well-formed XML at line " +
            std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
            XML_ErrorString(XML_GetErrorCode(parser.get()));
    return std::nullopt;
  }
  if (st.out.servers.empty() && st.out.notes.empty()) {
    error = "no incomingServer or outgoingServer in emailProvider";
    return std::nullopt;
  }
  return std::move(st.out);
}

}  // namespace intransit::policy
