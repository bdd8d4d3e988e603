// pages.hpp — one function per page kind, each writing a <section> into the page (the frame is
// document.hpp's): a domain (check), a population (scan, or several checks), a message or
// mailbox (trace), a sending server (sink report), outbound deliveries, explicit encryption
// (keys, and the keys member of a check) and mail client legs (client).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "report/html/collection.hpp"
#include "report/html/writer.hpp"

namespace intransit::report::html {

void domain_page(Writer& w, const nlohmann::json& check);
// `baseline` may be null (no --baseline).
void population_page(Writer& w, const Collection& now, const Collection* baseline);
void trace_page(Writer& w, const std::vector<nlohmann::json>& messages,
                const std::vector<nlohmann::json>& summaries);
void sink_page(Writer& w, const std::vector<nlohmann::json>& reports);
void outbound_page(Writer& w, const std::vector<nlohmann::json>& documents);
// intransit.keys/1 objects (from `keys`, or the `keys` member of a check document).
void keys_page(Writer& w, const std::vector<nlohmann::json>& addresses);
void client_page(Writer& w, const std::vector<nlohmann::json>& reports);

// Shared pieces.
// "RFC 8461 §3.3" -> a link to that section at rfc-editor.org; other text as it is.
void rfc_link(Writer& w, std::string_view rfc);
// "✖ plaintext" with its tone.
void verdict_badge(Writer& w, Verdict v);
// A table of finding objects (id, severity, scope, evidence, remedy, rfc), worst first; "No
// findings." when there are none.
void findings_table(Writer& w, const nlohmann::json& findings);

}  // namespace intransit::report::html
