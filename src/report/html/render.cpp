// render.cpp — see render.hpp. One check document gives the domain page; several, or a scan,
// give the population page; traces, sink reports, outbound summaries, keys (and a check's keys
// member) and client documents add their sections.
#include "report/html/render.hpp"

#include "report/html/document.hpp"
#include "report/html/json_access.hpp"
#include "report/html/pages.hpp"

namespace intransit::report::html {
namespace {

std::string default_title(const Collection& c) {
  if (c.domains.size() == 1 && c.scans.empty())
    return "Mail to " + str(c.first_check, "domain") + ": protection in transit";
  if (!c.domains.empty() || !c.scans.empty())
    return "Mail protection in transit: " + std::to_string(c.domains.size()) + " domains";
  if (!c.traces.empty()) return "Mail protection in transit: the path of received mail";
  if (!c.sink_reports.empty()) return "Mail protection in transit: sending servers";
  if (!c.clients.empty()) return "Mail protection in transit: mail client legs";
  if (!c.keys.empty())
    return "Explicit encryption: keys for " + std::to_string(c.keys.size()) + " address(es)";
  return "Mail protection in transit";
}

}  // namespace

bool has_content(const Collection& c) {
  return !c.domains.empty() || !c.scans.empty() || !c.traces.empty() ||
         !c.trace_summaries.empty() || !c.sink_reports.empty() || !c.outbound.empty() ||
         !c.keys.empty() || !c.clients.empty();
}

std::string render_report(const Collection& c, const RenderOptions& options) {
  Writer w;
  w.reserve(4096 + c.domains.size() * 200);
  open_page(w, options.title.empty() ? default_title(c) : options.title, options.generator);
  if (c.domains.size() == 1 && c.scans.empty() && options.baseline == nullptr)
    domain_page(w, c.first_check);
  else if (!c.domains.empty() || !c.scans.empty())
    population_page(w, c, options.baseline);
  if (!c.traces.empty() || !c.trace_summaries.empty()) trace_page(w, c.traces, c.trace_summaries);
  if (!c.sink_reports.empty()) sink_page(w, c.sink_reports);
  if (!c.outbound.empty()) outbound_page(w, c.outbound);
  if (!c.keys.empty()) keys_page(w, c.keys);
  if (!c.clients.empty()) client_page(w, c.clients);
  close_page(w);
  return w.take();
}

}  // namespace intransit::report::html
