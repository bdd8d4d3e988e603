// domain_row.hpp — the facts the population page needs from one intransit.check/1 document,
// kept compact so that a 100,000-domain scan fits in memory without its JSON (the transcripts
// and certificate chains are dropped as each line is read).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/html/vocabulary.hpp"

namespace intransit::report::html {

struct DomainRow {
  std::string domain;
  Verdict verdict = Verdict::untested;
  std::string untested_reason;
  bool dane = false;                      // DANE applies to an MX (TLSA under DNSSEC) or enforces
  std::string mta_sts;                    // policy mode, "" when no policy was published or fetched
  bool tls_rpt = false;                   // a valid TLS-RPT record
  std::vector<std::string> operators;     // registered domains of the MX hosts (unique)
  std::vector<std::string> tls_versions;  // versions negotiated on some address (unique)
  std::vector<std::string> cert_problems;  // certificate problems on some address (unique)
  std::vector<std::string> findings;       // finding ids (unique), all scopes
  int mx_hosts = 0;
};

// The registered domain of a host name, approximated by its last two labels (no Public Suffix
// List: "mx1.mail.example.co.uk" gives "co.uk"; the page says so).
std::string registered_domain(std::string_view host);
// Extracts the row from a check document (missing or mistyped fields are left at defaults).
DomainRow domain_row(const nlohmann::json& check);

}  // namespace intransit::report::html
