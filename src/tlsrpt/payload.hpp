// payload.hpp — the bytes of a report file or MIME part to the report's JSON text: gzip
// (RFC 1952, told by its magic bytes, never by a name; RFC 8460 §5.3 application/tlsrpt+gzip)
// is inflated with zlib up to limits::kReportBytes and a ratio cap, so a gzip bomb is refused
// after a bounded amount of work. Anything else is taken as JSON as it is. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/report.hpp"

namespace intransit::tlsrpt {

bool is_gzip(std::string_view bytes);

struct Payload {
  std::string json;
  bool gzip = false;
  std::vector<Note> notes;  // tolerances met while decoding (trailing bytes after gzip)
};

std::optional<Payload> decode_payload(std::string_view bytes, std::string& error);

}  // namespace intransit::tlsrpt
