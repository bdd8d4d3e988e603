// generate.cpp — see generate.hpp. Sessions are delivery attempts that reached a server (a relay
// address was logged and the log says how the transfer was protected); the counts and
// failure-details follow RFC 8460 §4.4, grouped by result type, receiving MX and address.
#include "tlsrpt/generate.hpp"

#include <zlib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "tlsrpt/datetime.hpp"

namespace intransit::tlsrpt {

namespace {

constexpr std::int64_t kDay = 86'400;

bool in_day(const logs::Delivery& d, std::int64_t day) {
  return d.time_known && d.time >= day && d.time < day + kDay;
}

}  // namespace

std::optional<std::string> session_failure(const logs::Delivery& d, PolicyType type) {
  if (d.relay_address.empty() || d.protection == logs::Protection::unknown) return std::string();
  switch (d.protection) {
    case logs::Protection::verified: return std::nullopt;
    case logs::Protection::plaintext: return std::string("starttls-not-supported");
    case logs::Protection::encrypted_unverified:
      if (type == PolicyType::no_policy_found) return std::nullopt;  // no policy asks for more
      if (type == PolicyType::tlsa) return std::string("validation-failure");
      // Postfix: Trusted = a trusted chain whose names do not match; Untrusted = no trusted chain.
      if (d.tls_trust == "Trusted") return std::string("certificate-host-mismatch");
      if (d.tls_trust == "Untrusted") return std::string("certificate-not-trusted");
      return std::string("validation-failure");
    case logs::Protection::unknown: break;
  }
  return std::string();
}

std::string report_file_name(std::string_view submitter, std::string_view domain,
                             std::int64_t begin, std::int64_t end, std::string_view unique) {
  std::string name = std::string(submitter) + "!" + std::string(domain) + "!" +
                     std::to_string(begin) + "!" + std::to_string(end);
  if (!unique.empty()) name += "!" + std::string(unique);
  return name + ".json.gz";
}

std::string gzip_bytes(std::string_view bytes) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

namespace {

using json = nlohmann::json;

struct Counts {
  std::uint64_t successful = 0, failed = 0;
  // (result-type, receiving-mx-hostname, receiving-ip) -> sessions
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> failures;
};

std::string_view policy_word(PolicyType type) {
  return type == PolicyType::other ? "no-policy-found" : to_string(type);
}

GeneratedReport build(const std::string& domain, const DomainPolicy& policy, const Counts& c,
                      const GenerateOptions& o) {
  GeneratedReport g;
  g.domain = domain;
  g.rua = policy.rua;
  g.successful = c.successful;
  g.failed = c.failed;
  const std::int64_t end = o.day + kDay - 1;
  g.report_id =
      format_datetime(o.day).substr(0, 10) + "." + domain + "." + o.unique + "@" + o.submitter;
  json details = json::array();
  for (const auto& [key, n] : c.failures) {
    const auto& [word, mx, ip] = key;
    json f = {{"result-type", word}, {"failed-session-count", n}};
    if (!mx.empty()) f["receiving-mx-hostname"] = mx;
    if (!ip.empty()) f["receiving-ip"] = ip;
    details.push_back(f);
  }
  json pol = {{"policy-type", policy_word(policy.type)},
              {"policy-string", policy.policy_string},
              {"policy-domain", domain}};
  if (!policy.mx_host.empty()) pol["mx-host"] = policy.mx_host;
  json doc = {
      {"organization-name", o.organization},
      {"date-range",
       {{"start-datetime", format_datetime(o.day)}, {"end-datetime", format_datetime(end)}}},
      {"contact-info", o.contact},
      {"report-id", g.report_id},
      {"policies", json::array({{{"policy", pol},
                                 {"summary",
                                  {{"total-successful-session-count", c.successful},
                                   {"total-failure-session-count", c.failed}}},
                                 {"failure-details", details}}})}};
  g.json = doc.dump(2) + "\n";
  g.gzip = gzip_bytes(g.json);
  g.file_name = report_file_name(o.submitter, domain, o.day, end, o.unique);
  return g;
}

}  // namespace

std::vector<GeneratedReport> generate_reports(const std::vector<logs::Delivery>& deliveries,
                                              const std::map<std::string, DomainPolicy>& policies,
                                              const GenerateOptions& options) {
  std::map<std::string, Counts> counts;
  for (const auto& d : deliveries) {
    if (!in_day(d, options.day)) continue;
    const auto p = policies.find(d.recipient_domain);
    if (p == policies.end() || p->second.rua.empty()) continue;
    const auto failure = session_failure(d, p->second.type);
    if (failure && failure->empty()) continue;  // no session took place
    auto& c = counts[d.recipient_domain];
    if (!failure) {
      ++c.successful;
      continue;
    }
    ++c.failed;
    ++c.failures[{*failure, d.relay_host, d.relay_address}];
  }
  std::vector<GeneratedReport> out;
  for (const auto& [domain, c] : counts)
    out.push_back(build(domain, policies.at(domain), c, options));
  return out;
}

}  // namespace intransit::tlsrpt
