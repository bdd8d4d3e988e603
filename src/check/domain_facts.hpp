// domain_facts.hpp — everything `check` learnt about one recipient domain, before judging it:
// the MX RRset (RFC 5321 §5.1, null MX RFC 7505), per MX host its addresses and TLSA records
// (RFC 7672), per address the probe, the MTA-STS record and policy fetch (RFC 8461) and the
// TLS-RPT record (RFC 8460). verdict.hpp turns these facts into the verdict and findings.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "check/addresses.hpp"
#include "check/policy_fetch.hpp"
#include "dns/rdata.hpp"
#include "dns/resolver.hpp"
#include "policy/mtasts.hpp"
#include "policy/tlsrpt.hpp"
#include "smtp/probe.hpp"
#include "smtp/sweep.hpp"

namespace intransit::check {

struct MxFacts {
  std::string host;
  std::uint16_t preference = 0;
  bool implicit = false;  // no MX record: the domain itself (RFC 5321 §5.1)
  bool probed = true;     // false when over the per-domain cap
  HostAddresses addresses;
  dns::Answer tlsa_answer;  // _25._tcp.<tlsa_base> TLSA: the answer DANE uses
  // The TLSA base domain (RFC 7672 §2.2.2): the CNAME-expanded name when the host is an alias
  // and the chain is secure and has TLSA records there; the MX host name otherwise.
  std::string tlsa_base;
  std::optional<dns::Answer> tlsa_expanded_answer;  // _25._tcp.<canonical name>, when asked
  std::vector<dns::Tlsa> tlsa;                      // decoded records
  std::string tlsa_error;                           // a malformed TLSA record
  bool dane_applies = false;  // MX, addresses and TLSA DNSSEC-secure with records (RFC 7672 §2.2)
  std::vector<smtp::ProbeResult> probes;  // one per address, in addresses.ips order
  std::vector<smtp::SweepResult> sweeps;  // with --sweep, one per address
};

struct StsFacts {
  dns::Answer txt;
  std::optional<policy::StsRecord> record;
  std::string record_error;  // several records, or a malformed one
  std::optional<PolicyFetch> fetch;
  std::optional<policy::StsPolicy> policy;
  std::string policy_error;
};

struct TlsRptFacts {
  dns::Answer txt;
  std::optional<policy::TlsRptRecord> record;
  std::string error;
};

struct DomainFacts {
  std::string domain;
  dns::Answer mx_answer;
  bool null_mx = false;
  std::vector<std::string> mx_decode_errors;
  std::vector<MxFacts> mx;  // by preference; the implicit MX when there is no MX record
  std::optional<HostAddresses> implicit_lookup;  // the domain's own A/AAAA when there is no MX
  StsFacts mta_sts;
  TlsRptFacts tls_rpt;
  std::chrono::milliseconds elapsed{0};
  // Set when no nameserver answered the run's first lookup at all (RELIABILITY item 58): why,
  // with advice about this machine. Nothing else was looked up.
  std::string no_network;
};

}  // namespace intransit::check
