// client_report.cpp — see client_report.hpp.
#include "report/client_report.hpp"

#include <iomanip>

#include "report/probe_report.hpp"

namespace intransit::report {
using nlohmann::json;

namespace {

json answer_json(const dns::Answer& a) {
  json j = {{"name", a.name},
            {"type", dns::to_string(a.type)},
            {"status", dns::to_string(a.status)},
            {"dnssec", dns::to_string(a.security)}};
  if (!a.why.empty()) j["reason"] = a.why;
  if (!a.canonical_name.empty()) j["canonical_name"] = a.canonical_name;
  return j;
}

json nullable(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

json srv_json(const check::SrvLookup& l) {
  json records = json::array();
  for (const auto& r : l.records) {
    records.push_back(
        {{"priority", r.priority}, {"weight", r.weight}, {"port", r.port}, {"target", r.target}});
  }
  return {{"service", l.service.label},
          {"leg", check::to_string(l.service.leg)},
          {"tls_mode", l.service.mode == smtp::TlsMode::implicit ? "implicit" : "starttls"},
          {"dns", answer_json(l.answer)},
          {"records", records},
          {"not_offered", l.not_offered},
          {"decode_error", nullable(l.decode_error)}};
}

json autoconfig_json(const check::AutoconfigLookup& l) {
  json servers = json::array();
  json notes = json::array();
  if (l.config) {
    for (const auto& s : l.config->servers) {
      servers.push_back({{"direction", s.incoming ? "incoming" : "outgoing"},
                         {"type", s.type},
                         {"hostname", s.hostname},
                         {"port", s.port},
                         {"socket_type", policy::to_string(s.socket)}});
    }
    for (const auto& n : l.config->notes) notes.push_back(n);
  }
  return {{"source", check::to_string(l.source)},
          {"url", l.fetch.url},
          {"status", check::to_string(l.fetch.status)},
          {"detail", l.fetch.detail},
          {"http_status", l.fetch.http_status},
          {"content_type", l.fetch.content_type},
          {"address", nullable(l.fetch.address)},
          {"used", l.source != check::AutoconfigSource::plain_http && l.config.has_value()},
          {"parse_error", nullable(l.parse_error)},
          {"servers", servers},
          {"notes", notes},
          {"elapsed_ms", l.fetch.elapsed.count()}};
}

json probe_json(const check::ClientProbe& p) {
  const auto& r = p.report.result;
  return {{"address", r.address},
          {"outcome", to_string(r.outcome)},
          {"tls_version", r.tls ? json(r.tls->version) : json(nullptr)},
          {"certificate_trusted", r.tls ? json(r.tls->verification.trusted) : json(nullptr)},
          {"matches_domain", p.matches_domain},
          {"matches_host", p.matches_host},
          {"name_check", check::to_string(p.name)},
          {"verdict", check::to_string(p.verdict)},
          {"probe", probe_to_json(r)}};
}

json server_json(const check::ServerAudit& sa) {
  const auto& s = sa.server;
  json origins = json::array();
  for (const auto& o : s.origins) {
    origins.push_back({{"source", check::to_string(o.source)},
                       {"where", o.where},
                       {"authenticated", o.authenticated}});
  }
  json addresses = json::array();
  for (const auto& p : sa.probes) addresses.push_back(probe_json(p));
  return {{"leg", check::to_string(s.leg)},
          {"protocol", smtp::protocol_name(check::protocol_of(s.leg), s.mode)},
          {"host", s.host},
          {"port", s.port},
          {"tls_mode", s.plaintext                         ? "none"
                       : s.mode == smtp::TlsMode::implicit ? "implicit"
                                                           : "starttls"},
          {"origins", origins},
          {"authenticated_source", s.authenticated_source()},
          {"verdict", check::to_string(sa.verdict)},
          {"why", sa.why},
          {"addresses", addresses}};
}

// One sentence with every leg's verdict, the first thing text and JSON say.
std::string summary(const check::ClientReport& r) {
  std::string s = "Mail clients of " + r.domain + ":";
  for (const auto& l : r.legs) {
    s += " " + std::string(check::to_string(l.leg)) + " " +
         std::string(check::to_string(l.verdict)) +
         (l.nothing_published ? " (none published)" : "") + ";";
  }
  s.back() = '.';
  return s;
}

}  // namespace

json client_to_json(const check::ClientReport& r) {
  json legs = json::array();
  for (const auto& l : r.legs) {
    legs.push_back({{"leg", check::to_string(l.leg)},
                    {"verdict", check::to_string(l.verdict)},
                    {"summary", l.summary},
                    {"nothing_published", l.nothing_published}});
  }
  json srv = json::array();
  for (const auto& l : r.discovery.srv) srv.push_back(srv_json(l));
  json autoconfig = json::array();
  for (const auto& l : r.discovery.autoconfig) autoconfig.push_back(autoconfig_json(l));
  json servers = json::array();
  for (const auto& sa : r.servers) servers.push_back(server_json(sa));
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_to_json(f));
  return {{"schema", kClientSchema},
          {"domain", r.domain},
          {"address", nullable(r.address)},
          {"summary", summary(r)},
          {"legs", legs},
          {"servers", servers},
          {"srv", srv},
          {"autoconfig", autoconfig},
          {"findings", findings},
          {"elapsed_ms", r.elapsed.count()}};
}

namespace {

std::string origins_cell(const check::ClientServer& s) {
  std::string out;
  for (const auto& o : s.origins) {
    if (!out.empty()) out += ",";
    out += std::string(check::to_string(o.source)) + (o.authenticated ? "(auth)" : "(unauth)");
  }
  return out;
}

std::string probe_cell(const check::ClientProbe& p) {
  const auto& r = p.report.result;
  if (!r.tls)
    return std::string(to_string(r.outcome)) + "  " + std::string(check::to_string(p.verdict));
  return r.tls->version + (r.tls->verification.trusted ? "  cert trusted" : "  cert untrusted") +
         "  name " + std::string(check::to_string(p.name)) + "  " +
         std::string(check::to_string(p.verdict));
}

void write_servers(std::ostream& out, const check::ClientReport& r) {
  if (r.servers.empty()) return;
  out << "\n  " << std::left << std::setw(41) << "server" << std::setw(34) << "found by"
      << std::setw(22) << "address"
      << "result\n";
  for (const auto& sa : r.servers) {
    const auto& s = sa.server;
    const std::string name = std::string(smtp::protocol_name(check::protocol_of(s.leg), s.mode)) +
                             (s.plaintext ? "(plain)" : "") + " " + s.host + ":" +
                             std::to_string(s.port);
    if (sa.probes.empty()) {
      out << "  " << std::setw(40) << name << " " << std::setw(34) << origins_cell(s)
          << std::setw(22) << "-" << check::to_string(sa.verdict) << ": " << sa.why << "\n";
      continue;
    }
    for (std::size_t i = 0; i < sa.probes.size(); ++i) {
      out << "  " << std::setw(40) << (i == 0 ? name : "") << " " << std::setw(34)
          << (i == 0 ? origins_cell(s) : "") << std::setw(22) << sa.probes[i].report.result.address
          << probe_cell(sa.probes[i]) << "\n";
    }
  }
}

void write_discovery(std::ostream& out, const check::ClientReport& r) {
  out << "\n";
  for (const auto& l : r.discovery.srv) {
    out << "  SRV " << std::setw(20) << l.service.label << std::setw(10)
        << dns::to_string(l.answer.security);
    if (l.not_offered) {
      out << "\".\" (not offered)";
    } else if (!l.records.empty()) {
      for (const auto& x : l.records)
        out << x.priority << " " << x.weight << " " << x.port << " " << x.target << "  ";
    } else {
      out << dns::to_string(l.answer.status);
    }
    out << "\n";
  }
  for (const auto& a : r.discovery.autoconfig) {
    out << "  autoconfig " << a.fetch.url << ": " << check::to_string(a.fetch.status);
    if (a.config) out << " (" << a.config->servers.size() << " server(s))";
    if (!a.parse_error.empty()) out << " (" << a.parse_error << ")";
    out << "\n";
  }
}

}  // namespace

void write_client_text(std::ostream& out, const check::ClientReport& r, bool verbose) {
  out << summary(r) << "\n";
  for (const auto& l : r.legs) {
    out << "  " << std::left << std::setw(12) << check::to_string(l.leg) << std::setw(15)
        << check::to_string(l.verdict) << l.summary << "\n";
  }
  write_servers(out, r);
  write_discovery(out, r);
  std::size_t hidden = 0;
  bool header = false;
  for (const auto& x : r.findings) {
    if (x.severity == Severity::info && !verbose) {
      ++hidden;
      continue;
    }
    if (!header) out << "\nFindings:\n";
    header = true;
    out << "  [" << to_string(x.severity) << "] " << to_string(x.id) << "  " << x.scope << "\n"
        << "      " << x.evidence << "\n";
    if (!x.remedy().empty()) {
      out << "      fix: " << x.remedy();
      if (!x.rfc().empty()) out << " (" << x.rfc() << ")";
      out << "\n";
    }
  }
  if (hidden > 0) out << "\n  (" << hidden << " informational finding(s); -v shows them)\n";
  if (verbose) {
    for (const auto& sa : r.servers) {
      for (const auto& p : sa.probes) {
        out << "\n";
        write_probe_text(out, p.report.result, true, nullptr, false);
      }
    }
  }
}

}  // namespace intransit::report
