// finding.cpp — see finding.hpp. The catalogue itself is core/finding_id.cpp.
#include "check/finding.hpp"

namespace intransit::check {

Finding make_finding(FindingId id, std::string scope, std::string evidence,
                     std::optional<Severity> severity) {
  Finding f;
  f.id = id;
  f.severity = severity.value_or(default_severity(id));
  f.scope = std::move(scope);
  f.evidence = std::move(evidence);
  return f;
}

void add(Findings& out, FindingId id, std::string scope, std::string evidence,
         std::optional<Severity> severity) {
  out.push_back(make_finding(id, std::move(scope), std::move(evidence), severity));
}

std::string domain_scope() {
  return "domain";
}
std::string mx_scope(std::string_view host) {
  return "mx:" + std::string(host);
}
std::string ip_scope(std::string_view host, std::string_view address) {
  return "ip:" + std::string(host) + "/" + std::string(address);
}

}  // namespace intransit::check
