// probe_report.cpp — see probe_report.hpp. All strings that came from the server were sanitised
// by the probe (core/text.hpp), so the JSON is always valid UTF-8.
#include "report/probe_report.hpp"

#include "check/verdict.hpp"
#include "core/text.hpp"

namespace intransit::report {
namespace {

nlohmann::json caps_to_json(const smtp::Capabilities& caps) {
  nlohmann::json keywords = nlohmann::json::object();
  for (const auto& [keyword, params] : caps.keywords) {
    nlohmann::json p = nlohmann::json::array();
    for (const auto& param : params) p.push_back(text::printable(param));
    keywords[keyword] = std::move(p);
  }
  nlohmann::json malformed = nlohmann::json::array();
  for (const auto& line : caps.malformed) malformed.push_back(text::printable(line));
  return {{"server_name", text::printable(caps.server_name)},
          {"keywords", std::move(keywords)},
          {"malformed", std::move(malformed)},
          {"starttls", caps.has("STARTTLS")},
          {"requiretls", caps.has("REQUIRETLS")}};
}

nlohmann::json cert_to_json(const tls::CertificateFacts& c) {
  return {{"subject", c.subject},
          {"issuer", c.issuer},
          {"dns_names", c.dns_names},
          {"not_before", c.not_before},
          {"not_after", c.not_after},
          {"key_type", c.key_type},
          {"key_bits", c.key_bits},
          {"signature_algorithm", c.signature_algorithm},
          {"sha256_fingerprint", c.sha256_fingerprint},
          {"spki_sha256", c.spki_sha256},
          {"self_signed", c.self_signed}};
}

void add_sweep(nlohmann::json& j, const smtp::SweepResult& sweep) {
  nlohmann::json versions = nlohmann::json::object();
  nlohmann::json ratings = nlohmann::json::object();
  nlohmann::json ciphers = nlohmann::json::object();
  nlohmann::json order = nlohmann::json::object();
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& v : sweep.versions) {
    versions[v.version] = v.supported ? nlohmann::json(*v.supported) : nlohmann::json();
    ratings[v.version] = tls::to_string(tls::rate_version(v.version));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : v.ciphers)
      list.push_back({{"name", c.name}, {"rating", tls::to_string(c.rating)}});
    ciphers[v.version] = std::move(list);
    order[v.version] = v.server_order ? nlohmann::json(*v.server_order) : nlohmann::json();
    if (!v.error.empty()) errors[v.version] = v.error;
  }
  j["versions"] = std::move(versions);
  j["version_ratings"] = std::move(ratings);
  j["ciphers"] = std::move(ciphers);
  j["server_order"] = std::move(order);
  j["sweep_errors"] = std::move(errors);
  j["sweep_connections"] = sweep.connections();
  int deferrals = 0;
  for (const auto& v : sweep.versions) deferrals += v.deferrals;
  j["sweep_deferrals"] = deferrals;
}

// Every finding about this address, scoped like check's ("ip:<name>/<address>").
nlohmann::json findings_to_json(const smtp::ProbeResult& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : check::probe_findings(r, "ip:" + r.server_name + "/" + r.address))
    out.push_back(finding_to_json(f));
  return out;
}

}  // namespace

nlohmann::json finding_to_json(const check::Finding& f) {
  // No RFC section is null in the contract (issue 15 §3).
  const std::string_view rfc = f.rfc();
  return {{"id", to_string(f.id)},
          {"severity", to_string(f.severity)},
          {"scope", f.scope},
          {"evidence", f.evidence},
          {"rfc", rfc.empty() ? nlohmann::json() : nlohmann::json(rfc)},
          {"remedy", f.remedy()},
          {"count", f.count}};
}

// `dane` is null unless DANE applied: a contract field is present, never absent (issue 15 §3).
nlohmann::json probe_to_json(const smtp::ProbeResult& r, const smtp::SweepResult* sweep) {
  nlohmann::json j = {{"schema", kProbeSchema},
                      {"address", r.address},
                      {"protocol", smtp::protocol_name(r.protocol, r.mode)},
                      {"server_name", r.server_name},
                      {"outcome", to_string(r.outcome)},
                      {"phase", to_string(r.phase)},
                      {"detail", r.detail},
                      {"banner", r.banner},
                      {"starttls", r.starttls_offered},
                      {"elapsed_ms", r.elapsed.count()},
                      {"bytes_read", r.bytes_read},
                      {"findings", findings_to_json(r)},
                      {"dane", nullptr}};
  j["capabilities"] = r.capabilities ? caps_to_json(*r.capabilities) : nlohmann::json();
  j["capabilities_tls"] = r.capabilities_tls ? caps_to_json(*r.capabilities_tls) : nlohmann::json();
  if (r.tls) {
    const auto& t = *r.tls;
    nlohmann::json chain = nlohmann::json::array();
    for (const auto& c : t.chain) chain.push_back(cert_to_json(c));
    j["tls"] = {{"version", t.version},
                {"cipher", t.cipher},
                {"group", t.group},
                {"key_exchange_bits", t.key_exchange_bits},
                {"forward_secrecy", t.forward_secrecy}};
    j["certificate"] = {
        {"chain", std::move(chain)},
        {"trusted", t.verification.trusted},
        {"verify_error",
         t.verification.error.empty() ? nlohmann::json() : nlohmann::json(t.verification.error)},
        {"verify_error_depth", t.verification.error_depth},
        {"checked_name", t.verification.checked_name},
        {"name_matches", t.verification.name_matches ? nlohmann::json(*t.verification.name_matches)
                                                     : nlohmann::json()}};
    if (t.dane) {
      j["dane"] = {
          {"usable_records", t.dane->usable_records},
          {"matched", t.dane->matched},
          {"matched_record",
           t.dane->matched ? nlohmann::json(t.dane->matched_record) : nlohmann::json()},
          {"matched_depth", t.dane->matched_depth},
          {"error", t.dane->error.empty() ? nlohmann::json() : nlohmann::json(t.dane->error)}};
    } else if (!t.dane_error.empty()) {
      j["dane"] = {{"usable_records", 0},
                   {"matched", false},
                   {"matched_record", nullptr},
                   {"matched_depth", -1},
                   {"error", t.dane_error}};
    }
  } else {
    j["tls"] = nullptr;
    j["certificate"] = nullptr;
  }
  nlohmann::json transcript = nlohmann::json::array();
  for (const auto& line : r.transcript)
    transcript.push_back(std::string(1, line.direction) + ": " + line.text);
  j["transcript"] = std::move(transcript);
  j["transcript_dropped"] = r.transcript_dropped;
  if (sweep != nullptr) add_sweep(j, *sweep);
  return j;
}

namespace {

// What "no STARTTLS" costs, in the words of the leg the server serves.
std::string_view no_starttls_words(smtp::Protocol protocol) {
  switch (protocol) {
    case smtp::Protocol::smtp: return "NO STARTTLS: mail to this server travels in plaintext";
    case smtp::Protocol::submission:
      return "NO STARTTLS: submitted mail and the password travel in plaintext";
    case smtp::Protocol::imap:
    case smtp::Protocol::pop3:
      return "NO STARTTLS: the mailbox and the password travel in plaintext";
  }
  return "NO STARTTLS";
}

}  // namespace

std::string probe_summary(const smtp::ProbeResult& r) {
  std::string s = r.address;
  if (!r.server_name.empty()) s += " (" + r.server_name + ")";
  s += ": ";
  switch (r.outcome) {
    case ProbeOutcome::ok:
      if (r.tls) {
        const auto& v = r.tls->verification;
        s += "TLS " + r.tls->version + " " + r.tls->cipher + "; certificate ";
        s += v.trusted ? "trusted" : "NOT trusted (" + v.error + ")";
        if (v.name_matches) s += *v.name_matches ? ", name matches" : ", name does NOT match";
      }
      break;
    case ProbeOutcome::no_starttls: s += no_starttls_words(r.protocol); break;
    default: s += std::string(to_string(r.outcome)) + ": " + r.detail;
  }
  return s;
}

std::string clip_for_text(const std::string& s) {
  if (s.size() <= kTextField) return s;
  std::size_t cut = kTextField;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "... [" + std::to_string(s.size() - cut) + " more bytes]";
}

void write_probe_text(std::ostream& out, const smtp::ProbeResult& r, bool verbose,
                      const smtp::SweepResult* sweep, bool standalone) {
  out << probe_summary(r) << "\n";
  out << "  protocol     " << smtp::protocol_name(r.protocol, r.mode)
      << (r.mode == smtp::TlsMode::implicit ? " (implicit TLS)" : " (STARTTLS)") << "\n";
  out << "  outcome      " << to_string(r.outcome) << " (" << r.detail << ")\n";
  if (!r.banner.empty()) out << "  banner       " << r.banner << "\n";
  const auto* caps =
      r.capabilities_tls ? &*r.capabilities_tls : (r.capabilities ? &*r.capabilities : nullptr);
  if (caps != nullptr) {
    out << "  extensions   ";
    for (const auto& [keyword, params] : caps->keywords) out << keyword << " ";
    out << (r.capabilities_tls ? "(after TLS)" : "(before TLS)") << "\n";
  }
  if (r.tls) {
    const auto& t = *r.tls;
    out << "  tls          " << t.version << ", " << t.cipher;
    if (!t.group.empty()) out << ", " << t.group;
    out << (t.forward_secrecy ? ", forward secrecy" : ", NO forward secrecy") << "\n";
    if (!t.chain.empty()) {
      const auto& leaf = t.chain.front();
      // A self-issued certificate's issuer is its subject: print it once (issue 14 item 24).
      out << "  certificate  " << clip_for_text(leaf.subject) << ", issued by "
          << (leaf.issuer == leaf.subject ? std::string("itself") : clip_for_text(leaf.issuer))
          << "\n";
      out << "               valid " << leaf.not_before << " to " << leaf.not_after << ", "
          << leaf.key_type << " " << leaf.key_bits << " bits\n";
      out << "               names:";
      for (const auto& n : leaf.dns_names) out << " " << n;
      out << "\n";
    }
    out << "  verification "
        << (t.verification.trusted ? "trusted" : "not trusted: " + t.verification.error);
    if (t.verification.name_matches) {
      out << "; name " << t.verification.checked_name
          << (*t.verification.name_matches ? " matches" : " does not match");
    }
    out << "\n";
  }
  if (sweep != nullptr) {
    out << "  versions    ";
    for (const auto& v : sweep->versions) {
      out << " " << v.version << " " << (v.supported ? (*v.supported ? "yes" : "no") : "untested");
      if (v.supported && *v.supported) {
        out << " (" << tls::to_string(tls::rate_version(v.version)) << ")";
      }
      out << ";";
    }
    out << "  [" << sweep->connections() << " connections]\n";
    for (const auto& v : sweep->versions) {
      if (!v.error.empty()) {
        out << "  " << v.version << "      "
            << (v.ciphers.empty() ? "could not test: " : "INCOMPLETE, stopped by: ") << v.error
            << "\n";
      }
      if (v.ciphers.empty()) continue;
      out << "  " << v.version << "      ";
      if (v.server_order) out << (*v.server_order ? "server order: " : "client order: ");
      for (std::size_t i = 0; i < v.ciphers.size(); ++i) {
        out << (i ? ", " : "") << v.ciphers[i].name << " " << tls::to_string(v.ciphers[i].rating);
      }
      out << "\n";
    }
  }
  for (const auto f : r.findings) out << "  finding      " << to_string(f) << "\n";
  if (verbose) {
    out << "  transcript\n";
    for (const auto& line : r.transcript)
      out << "    " << line.direction << ": " << line.text << "\n";
    if (r.transcript_dropped > 0)
      out << "    (" << r.transcript_dropped << " more lines not kept)\n";
  }
  if (!standalone) return;
  out << "  not checked  " << (sweep != nullptr ? "" : "TLS version/cipher sweep (--sweep), ")
      << "DANE, MTA-STS (probe checks one server; check DOMAIN does the rest)\n";
}

}  // namespace intransit::report
