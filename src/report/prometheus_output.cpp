// prometheus_output.cpp — see prometheus_output.hpp. Each family is written once with its HELP
// and TYPE lines and every domain's samples under it, as the exposition format requires.
#include "report/prometheus_output.hpp"

#include <fmt/format.h>

#include <array>
#include <functional>

#include "core/utf8.hpp"
#include "report/check_digest.hpp"

namespace intransit::report {
namespace {

constexpr std::array<const char*, 7> kVerdicts = {
    "enforced", "opportunistic", "partial", "plaintext", "broken", "no-mail", "untested"};
constexpr std::array<const char*, 4> kDnssec = {"secure", "insecure", "bogus", "unknown"};
constexpr std::array<const char*, 4> kStsModes = {"enforce", "testing", "none", "absent"};
constexpr std::array<const char*, 2> kMechanisms = {"dane", "mta-sts"};

struct Family {
  const char* name;
  const char* help;
  std::function<void(const CheckDigest&, std::string&)> samples;
};

std::string labels(const CheckDigest& d) {
  return fmt::format("domain=\"{}\"", prometheus_label_value(d.domain));
}

void state_set(std::string& out, const char* name, const CheckDigest& d, const char* label_name,
               const auto& states, const std::string& current) {
  for (const char* s : states) {
    out += fmt::format("{}{{{},{}=\"{}\"}} {}\n", name, labels(d), label_name, s,
                       current == s ? 1 : 0);
  }
}

// `measured_at` is read when a sample is written: the caller points it at the current document's.
std::vector<Family> families(const std::int64_t& measured_at) {
  return {
      {"intransit_domain_verdict", "The domain's verdict: 1 for the current one, 0 for the others.",
       [](const CheckDigest& d, std::string& out) {
         state_set(out, "intransit_domain_verdict", d, "verdict", kVerdicts, d.verdict);
       }},
      {"intransit_domain_enforced_by", "1 when the domain is enforced by this mechanism.",
       [](const CheckDigest& d, std::string& out) {
         for (const char* m : kMechanisms) {
           const bool on =
               std::find(d.enforced_by.begin(), d.enforced_by.end(), m) != d.enforced_by.end();
           out += fmt::format("intransit_domain_enforced_by{{{},mechanism=\"{}\"}} {}\n", labels(d),
                              m, on ? 1 : 0);
         }
       }},
      {"intransit_domain_dnssec", "DNSSEC status of the domain's MX answer (state set).",
       [](const CheckDigest& d, std::string& out) {
         state_set(out, "intransit_domain_dnssec", d, "status", kDnssec, d.dnssec);
       }},
      {"intransit_domain_mta_sts_mode",
       "The MTA-STS policy mode; absent when no policy (state set).",
       [](const CheckDigest& d, std::string& out) {
         state_set(out, "intransit_domain_mta_sts_mode", d, "mode", kStsModes, d.mta_sts_mode);
       }},
      {"intransit_domain_mx_hosts", "MX hosts of the domain.",
       [](const CheckDigest& d, std::string& out) {
         out += fmt::format("intransit_domain_mx_hosts{{{}}} {}\n", labels(d), d.mx_hosts);
       }},
      {"intransit_domain_mx_hosts_dane", "MX hosts with usable DNSSEC-signed TLSA records.",
       [](const CheckDigest& d, std::string& out) {
         out += fmt::format("intransit_domain_mx_hosts_dane{{{}}} {}\n", labels(d), d.mx_with_dane);
       }},
      {"intransit_domain_addresses",
       "MX addresses by what the probe found (tls, plaintext, untested).",
       [](const CheckDigest& d, std::string& out) {
         const std::array<std::pair<const char*, std::int64_t>, 3> states = {
             {{"tls", d.tls}, {"plaintext", d.plaintext}, {"untested", d.untested}}};
         for (const auto& [state, n] : states) {
           out += fmt::format("intransit_domain_addresses{{{},state=\"{}\"}} {}\n", labels(d),
                              state, n);
         }
       }},
      {"intransit_domain_findings", "Findings by severity.",
       [](const CheckDigest& d, std::string& out) {
         for (std::size_t i = 0; i < kSeverityWords.size(); ++i) {
           out += fmt::format("intransit_domain_findings{{{},severity=\"{}\"}} {}\n", labels(d),
                              kSeverityWords[i], d.findings_by_severity[i]);
         }
       }},
      {"intransit_certificate_expiry_timestamp_seconds",
       "When each MX address's leaf certificate expires (notAfter, seconds since the epoch).",
       [](const CheckDigest& d, std::string& out) {
         for (const auto& c : d.certificates) {
           out += fmt::format(
               "intransit_certificate_expiry_timestamp_seconds{{{},mx=\"{}\",address=\"{}\"}} {}\n",
               labels(d), prometheus_label_value(c.mx), prometheus_label_value(c.address),
               c.not_after);
         }
       }},
      {"intransit_check_duration_seconds", "How long the domain's check took.",
       [](const CheckDigest& d, std::string& out) {
         out += fmt::format("intransit_check_duration_seconds{{{}}} {:.3f}\n", labels(d),
                            d.elapsed_seconds);
       }},
      {"intransit_check_timestamp_seconds", "When the domain was last checked.",
       [&measured_at](const CheckDigest& d, std::string& out) {
         out += fmt::format("intransit_check_timestamp_seconds{{{}}} {}\n", labels(d), measured_at);
       }},
  };
}

}  // namespace

std::string prometheus_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  std::size_t i = 0;
  while (i < value.size()) {
    const auto c = static_cast<unsigned char>(value[i]);
    const std::size_t n = text::utf8_sequence_length(value, i);
    if (n == 0) {  // not valid UTF-8 here
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(value, i, n);
    }
    i += n;
  }
  return out;
}

std::string prometheus_output(const std::vector<nlohmann::json>& check_docs,
                              std::int64_t measured_at) {
  return prometheus_output(check_docs, std::vector<std::int64_t>(check_docs.size(), measured_at));
}

std::string prometheus_output(const std::vector<nlohmann::json>& check_docs,
                              const std::vector<std::int64_t>& measured_at) {
  std::vector<CheckDigest> digests;
  digests.reserve(check_docs.size());
  for (const auto& doc : check_docs) digests.push_back(digest_check(doc));
  std::string out;
  std::int64_t current = 0;
  for (const auto& family : families(current)) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", family.name, family.help, family.name);
    for (std::size_t i = 0; i < digests.size(); ++i) {
      current = i < measured_at.size() ? measured_at[i] : 0;
      family.samples(digests[i], out);
    }
  }
  return out;
}

}  // namespace intransit::report
