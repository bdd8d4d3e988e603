// evidence.cpp — see evidence.hpp.
#include "check/evidence.hpp"

namespace intransit::check {
namespace {

// A server-chosen string (a certificate subject can be 10 kB) cut for evidence, with a marker
// that says how much was left out (issue 14 item 24); the full text stays in the JSON chain.
std::string clipped(const std::string& s) {
  constexpr std::size_t kEvidenceField = 200;
  if (s.size() <= kEvidenceField) return s;
  std::size_t cut = kEvidenceField;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;  // not inside a UTF-8 sequence
  return s.substr(0, cut) + "... [" + std::to_string(s.size() - cut) + " more bytes]";
}

}  // namespace

std::string answer_words(const dns::Answer& a) {
  std::string s = std::string(dns::to_string(a.type)) + " " + a.name + ": " +
                  std::string(dns::to_string(a.status));
  if (a.security == dns::Security::bogus) s += ", DNSSEC bogus";
  if (!a.why.empty()) s += " (" + a.why + ")";
  return s;
}

std::string certificate_evidence(const smtp::TlsFacts& tls) {
  const auto& v = tls.verification;
  std::string e = v.trusted ? "chain trusted" : "not trusted: " + v.error;
  if (v.name_matches.has_value())
    e +=
        *v.name_matches ? "; name matches" : "; name " + v.checked_name + " not in the certificate";
  if (!tls.chain.empty())
    e += "; leaf " + clipped(tls.chain.front().subject) + ", valid until " +
         tls.chain.front().not_after;
  if (tls.chain.size() > 1) e += "; " + std::to_string(tls.chain.size()) + " certificates sent";
  return e;
}

std::string outcome_evidence(const smtp::ProbeResult& p) {
  return std::string(to_string(p.outcome)) + ": " + p.detail;
}

std::string probe_evidence(const smtp::ProbeResult& p, FindingId id) {
  const std::string_view text = to_string(id);
  if (text.starts_with("cert.") && p.tls) return certificate_evidence(*p.tls);
  if (text.starts_with("tls.") && p.tls) return p.tls->version + " " + p.tls->cipher;
  return outcome_evidence(p);
}

}  // namespace intransit::check
