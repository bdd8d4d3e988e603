// records.cpp — see records.hpp: the text forms of a session's TLS outcome, as stored and
// reported.
#include "sink/records.hpp"

namespace intransit::sink {

std::string_view to_string(TlsOutcome outcome) {
  switch (outcome) {
    case TlsOutcome::none: return "none";
    case TlsOutcome::ok: return "ok";
    case TlsOutcome::refused: return "refused";
    case TlsOutcome::failed: return "failed";
  }
  return "none";
}

TlsOutcome tls_outcome_from_string(std::string_view name) {
  if (name == "ok") return TlsOutcome::ok;
  if (name == "refused") return TlsOutcome::refused;
  if (name == "failed") return TlsOutcome::failed;
  return TlsOutcome::none;
}

}  // namespace intransit::sink
