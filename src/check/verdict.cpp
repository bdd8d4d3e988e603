// verdict.cpp — see verdict.hpp. The order of the rules is the order of DESIGN.md §3's table
// read bottom-up: a failing policy (broken) outranks everything, then "could not find out",
// then enforcement, then what plain STARTTLS gives.
#include "check/verdict.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/outcome.hpp"
#include "tls/rating.hpp"

namespace intransit::check {

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::enforced: return "enforced";
    case Verdict::opportunistic: return "opportunistic";
    case Verdict::partial: return "partial";
    case Verdict::plaintext: return "plaintext";
    case Verdict::broken: return "broken";
    case Verdict::no_mail: return "no-mail";
    case Verdict::untested: return "untested";
  }
  return "?";
}

AddressState address_state(const smtp::ProbeResult& p) {
  switch (p.outcome) {
    case ProbeOutcome::ok: return p.tls ? AddressState::tls : AddressState::plaintext;
    // A sender that meets these falls back to plaintext (or gives up, if it insists on TLS).
    case ProbeOutcome::no_starttls:
    case ProbeOutcome::starttls_refused:
    case ProbeOutcome::tls_handshake_failed: return AddressState::plaintext;
    default: return AddressState::untested;
  }
}

namespace {

std::string answer_words(const dns::Answer& a) {
  std::string s = std::string(dns::to_string(a.type)) + " " + a.name + ": " +
                  std::string(dns::to_string(a.status));
  if (a.security == dns::Security::bogus) s += ", DNSSEC bogus";
  if (!a.why.empty()) s += " (" + a.why + ")";
  return s;
}

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

// What the certificate check saw: trust, name, the leaf and its expiry.
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

// Evidence for a probe finding, from the probe's own facts.
std::string probe_evidence(const smtp::ProbeResult& p, std::string_view id) {
  if (id.rfind("cert.", 0) == 0 && p.tls) return certificate_evidence(*p.tls);
  if (id.rfind("tls.", 0) == 0 && p.tls) return p.tls->version + " " + p.tls->cipher;
  return std::string(to_string(p.outcome)) + ": " + p.detail;
}

class Judge {
 public:
  explicit Judge(const DomainFacts& f) : f_(f) {}

  Assessment run() {
    if (!f_.no_network.empty()) {
      no_network();
      return finish();
    }
    domain_records();
    if (!mx_rrset()) return finish();
    for (const auto& mx : f_.mx) host(mx);
    mta_sts();
    decide();
    return finish();
  }

 private:
  void add(std::string_view id, std::string scope, std::string evidence,
           std::optional<Severity> sev = std::nullopt) {
    a_.findings.push_back(make_finding(id, std::move(scope), std::move(evidence), sev));
  }

  void set(Verdict v, std::string summary) {
    a_.verdict = v;
    a_.summary = std::move(summary);
  }

  // RELIABILITY item 58: this machine reached no nameserver, so nothing is known about the
  // domain and its nameservers are not to blame.
  void no_network() {
    add("dns.no-network", "domain", f_.no_network);
    a_.untested_reason = "no-network";
    set(Verdict::untested,
        "Could not check " + f_.domain + ": this machine got no answer from any nameserver (" +
            f_.no_network +
            "). Check its network connection and that DNS (UDP and TCP port 53) may leave it, "
            "or use --resolver with a resolver it can reach.");
  }

  // TLS-RPT and the MTA-STS record: domain-wide, independent of the MX hosts. A failed lookup
  // is reported even when the MX lookup failed too (issue 14 item 12).
  void domain_records() {
    if (!f_.mta_sts.txt.conclusive()) {
      add("mtasts.record-lookup-failed", "domain", answer_words(f_.mta_sts.txt));
    }
    const auto& r = f_.tls_rpt;
    if (!r.txt.conclusive()) {
      add("tlsrpt.lookup-failed", "domain", answer_words(r.txt));
    } else if (!r.error.empty()) {
      add("tlsrpt.invalid", "domain", r.error);
    } else if (!r.record) {
      add("tlsrpt.missing", "domain", "no v=TLSRPTv1 TXT record at _smtp._tls." + f_.domain);
    }
  }

  // The MX RRset. False when it settles the verdict by itself.
  bool mx_rrset() {
    const auto& mx = f_.mx_answer;
    if (mx.security == dns::Security::bogus) {
      add("dns.bogus", "domain", answer_words(mx));
      set(Verdict::broken, "Mail to " + f_.domain +
                               " cannot be delivered by validating senders: its MX records fail "
                               "DNSSEC validation (" +
                               mx.why + ").");
      return false;
    }
    if (!mx.conclusive()) {
      add("dns.mx-lookup-failed", "domain", answer_words(mx));
      a_.untested_reason = "dns-failure";
      set(Verdict::untested, "Could not find out whether mail to " + f_.domain +
                                 " is protected: the MX lookup failed (" +
                                 std::string(dns::to_string(mx.status)) + ").");
      return false;
    }
    if (mx.status == dns::Status::nxdomain) {
      set(Verdict::no_mail,
          f_.domain + " does not exist in the DNS (NXDOMAIN): it receives no mail.");
      return false;
    }
    for (const auto& e : f_.mx_decode_errors) add("dns.malformed-record", "domain", "MX: " + e);
    if (mx.security == dns::Security::insecure)
      add("dns.unsigned", "domain", "the MX answer for " + f_.domain + " is not DNSSEC-signed");
    if (f_.null_mx && f_.mx.empty()) {
      set(Verdict::no_mail, f_.domain + " accepts no mail: it publishes a null MX (RFC 7505).");
      return false;
    }
    if (f_.null_mx)
      add("mx.null-with-others", "domain",
          "MX 0 . published together with " + std::to_string(f_.mx.size()) + " other MX record(s)");
    if (f_.implicit_lookup) {
      const auto& h = *f_.implicit_lookup;
      if (h.ips.empty() && !h.conclusive()) {
        add("mx.address-lookup-failed", "domain", answer_words(h.a.conclusive() ? h.aaaa : h.a));
        a_.untested_reason = "dns-failure";
        set(Verdict::untested,
            "Could not find out whether mail to " + f_.domain +
                " is protected: it has no MX record and its address lookup failed.");
        return false;
      }
      if (f_.mx.empty()) {
        set(Verdict::no_mail, f_.domain + " has no MX record and no address: it receives no mail.");
        return false;
      }
      add("mx.implicit", "domain",
          "no MX record; mail goes to " + f_.domain + " itself (" + h.ips.front() + ")");
    }
    return true;
  }

  void host(const MxFacts& mx) {
    const std::string scope = "mx:" + mx.host;
    if (!mx.probed) {
      add("mx.not-probed", scope,
          "more than " + std::to_string(limits::kMxHostsProbed) +
              " MX hosts; this one was not tested");
      return;
    }
    ++hosts_;
    const auto& h = mx.addresses;
    if (!h.canonical_name().empty() && !mx.implicit)
      add("mx.cname", scope, mx.host + " is an alias for " + h.canonical_name());
    if (!h.decode_error.empty()) add("dns.malformed-record", scope, h.decode_error);
    if (h.a.security == dns::Security::bogus || h.aaaa.security == dns::Security::bogus) {
      add("dns.bogus", scope, answer_words(h.a.security == dns::Security::bogus ? h.a : h.aaaa));
      bogus_ = true;
    }
    if (h.ips.empty()) {
      if (!h.conclusive()) {
        add("mx.address-lookup-failed", scope, answer_words(h.a.conclusive() ? h.aaaa : h.a));
        dns_failed_ = true;
      } else {
        add("mx.no-address", scope, mx.host + " has no A or AAAA record");
        ++hosts_without_address_;
      }
    }
    if (h.dropped > 0)
      add("mx.not-probed", scope, std::to_string(h.dropped) + " more addresses were not tested");
    dane_host(mx);
    for (std::size_t i = 0; i < mx.probes.size(); ++i) {
      address(mx, mx.probes[i]);
      if (i < mx.sweeps.size())
        swept(mx.probes[i], mx.sweeps[i], "ip:" + mx.host + "/" + mx.probes[i].address);
    }
  }

  // With --sweep: versions the server accepts beyond the one a probe negotiates (a server that
  // picks TLS 1.3 for us may still accept TLS 1.0 from an old or downgraded sender).
  void swept(const smtp::ProbeResult& p, const smtp::SweepResult& sweep, const std::string& scope) {
    std::string obsolete;
    for (const auto& v : sweep.versions) {
      if ((v.version == "TLSv1.0" || v.version == "TLSv1.1") && v.supported.value_or(false)) {
        obsolete += (obsolete.empty() ? "" : ", ") + v.version;
      }
    }
    const bool already =
        std::find(p.findings.begin(), p.findings.end(), "tls.obsolete-version") != p.findings.end();
    if (!obsolete.empty() && !already)
      add("tls.obsolete-version", scope, "accepts " + obsolete + " (sweep)");
    suites(sweep, tls::Rating::insufficient, "tls.suite-insufficient", scope);
    suites(sweep, tls::Rating::phase_out, "tls.suite-phase-out", scope);
  }

  // The sweep's suite ratings as findings (issue 14 item 15), not only as JSON: the suites the
  // server accepts with `rating`, per version.
  void suites(const smtp::SweepResult& sweep, tls::Rating rating, std::string_view id,
              const std::string& scope) {
    std::string found;
    for (const auto& v : sweep.versions) {
      std::string names;
      for (const auto& c : v.ciphers) {
        if (c.rating == rating) names += (names.empty() ? "" : ", ") + c.name;
      }
      if (!names.empty()) found += (found.empty() ? "" : "; ") + v.version + ": " + names;
    }
    if (!found.empty()) add(id, scope, "accepts " + found + " (sweep)");
  }

  void dane_host(const MxFacts& mx) {
    const std::string scope = "mx:" + mx.host;
    const auto& t = mx.tlsa_answer;
    const bool mx_secure = f_.mx_answer.security == dns::Security::secure;
    if (t.security == dns::Security::bogus) {
      add("dns.bogus", scope, answer_words(t));
      bogus_ = true;
      return;
    }
    if (!t.conclusive()) {
      if (mx_secure && (mx.addresses.secure() || !mx.addresses.canonical_name().empty())) {
        add("dane.tlsa-lookup-failed", scope, answer_words(t));
        dane_unknown_ = true;
      }
      return;
    }
    if (!mx.tlsa_error.empty()) add("dns.malformed-record", scope, "TLSA: " + mx.tlsa_error);
    if (mx.tlsa.empty()) return;
    if (!mx.dane_applies) {
      std::string why = t.security != dns::Security::secure
                            ? "the TLSA records are not DNSSEC-signed"
                        : !mx_secure ? "the MX records are not DNSSEC-signed"
                                     : "the MX host's addresses are not DNSSEC-signed";
      add("dane.tlsa-insecure", scope,
          why + " (" + std::to_string(mx.tlsa.size()) + " TLSA record(s) at _25._tcp." +
              tlsa_base(mx) + ")");
      return;
    }
    ++dane_hosts_;
    if (tlsa_base(mx) != mx.host) {
      add("dane.cname-expanded", scope,
          "TLSA records at _25._tcp." + tlsa_base(mx) + " (" + mx.host + " is an alias for " +
              tlsa_base(mx) + ")");
    }
    const auto pkix = std::count_if(mx.tlsa.begin(), mx.tlsa.end(),
                                    [](const dns::Tlsa& r) { return r.usage < 2; });
    if (pkix > 0)
      add("dane.pkix-usage", scope, std::to_string(pkix) + " TLSA record(s) with usage 0 or 1");
    if (mx.tlsa.size() == 1)
      add("dane.single-record", scope, "only " + mx.tlsa.front().to_string());
  }

  static const std::string& tlsa_base(const MxFacts& mx) {
    return mx.tlsa_base.empty() ? mx.host : mx.tlsa_base;
  }

  void address(const MxFacts& mx, const smtp::ProbeResult& p) {
    const std::string scope = "ip:" + mx.host + "/" + p.address;
    ++a_.addresses;
    const AddressState state = address_state(p);
    switch (state) {
      case AddressState::tls: ++a_.addresses_tls; break;
      case AddressState::plaintext: ++a_.addresses_plaintext; break;
      case AddressState::untested:
        ++a_.addresses_untested;
        untested_outcomes_.push_back(p.outcome);
        add("mx.untested", scope, std::string(to_string(p.outcome)) + ": " + p.detail);
        break;
    }
    if (p.outcome == ProbeOutcome::tls_handshake_failed)
      add("tls.handshake-failed", scope, p.detail);
    for (const auto& id : p.findings) add(id, scope, probe_evidence(p, id));
    if (p.capabilities_tls && p.capabilities_tls->has("REQUIRETLS"))
      add("smtp.requiretls", scope, "REQUIRETLS in the EHLO reply after STARTTLS");
    if (!mx.dane_applies || state == AddressState::untested) return;
    if (state == AddressState::plaintext) {
      add("dane.starttls-missing", scope, std::string(to_string(p.outcome)) + ": " + p.detail);
      dane_failed_ = true;
      return;
    }
    if (!p.tls->dane) {
      if (!dane_unusable_noted_.count(mx.host)) {
        add("dane.tlsa-unusable", "mx:" + mx.host, p.tls->dane_error);
        dane_unusable_noted_.insert(mx.host);
      }
      dane_unusable_ = true;
      return;
    }
    if (p.tls->dane->matched) {
      ++dane_matched_;
      add("dane.matched", scope,
          "TLSA " + p.tls->dane->matched_record + " matched at depth " +
              std::to_string(p.tls->dane->matched_depth));
    } else {
      add("dane.tlsa-mismatch", scope,
          p.tls->dane->error + " (" + std::to_string(p.tls->dane->usable_records) +
              " usable TLSA record(s))");
      dane_failed_ = true;
    }
  }

  void mta_sts() {
    const auto& s = f_.mta_sts;
    if (!s.txt.conclusive()) return;  // domain_records() reported it
    if (!s.record_error.empty()) {
      add("mtasts.record-invalid", "domain", s.record_error);
      return;
    }
    if (!s.record) {
      add("mtasts.none", "domain", "no v=STSv1 TXT record at _mta-sts." + f_.domain);
      return;
    }
    if (s.fetch && s.fetch->status != FetchStatus::ok) {
      add("mtasts.policy-fetch", "domain",
          s.fetch->url + ": " + std::string(to_string(s.fetch->status)) + ": " + s.fetch->detail);
      return;
    }
    if (!s.policy) {
      add("mtasts.policy-invalid", "domain", s.policy_error);
      return;
    }
    const auto& policy = *s.policy;
    if (policy.mode == policy::StsMode::none) {
      add("mtasts.mode-none", "domain", "mode: none");
      return;
    }
    if (policy.mode == policy::StsMode::testing) add("mtasts.testing", "domain", "mode: testing");
    if (policy.max_age < 86400)
      add("mtasts.max-age-short", "domain", "max_age: " + std::to_string(policy.max_age));
    const bool enforce = policy.mode == policy::StsMode::enforce;
    const auto sev = enforce ? Severity::critical : Severity::low;
    bool failed = false;
    std::size_t valid = 0;
    for (const auto& mx : f_.mx) {
      if (!mx.probed) continue;
      const bool match = std::any_of(
          policy.mx.begin(), policy.mx.end(),
          [&](const std::string& pattern) { return policy::mx_matches(pattern, mx.host); });
      if (!match) {
        std::string patterns;
        for (const auto& p : policy.mx) patterns += (patterns.empty() ? "" : ", ") + p;
        add("mtasts.mx-mismatch", "mx:" + mx.host,
            mx.host + " matches none of the policy's mx patterns (" + patterns + ")", sev);
        failed = true;
      }
      for (const auto& p : mx.probes) {
        const std::string scope = "ip:" + mx.host + "/" + p.address;
        const auto state = address_state(p);
        if (state == AddressState::plaintext) {
          add("mtasts.starttls-missing", scope, std::string(to_string(p.outcome)) + ": " + p.detail,
              sev);
          failed = true;
        } else if (state == AddressState::tls) {
          const auto& v = p.tls->verification;
          if (v.trusted && v.name_matches.value_or(false)) {
            ++valid;
          } else {
            add("mtasts.cert-invalid", scope, certificate_evidence(*p.tls), sev);
            failed = true;
          }
        }
      }
    }
    if (enforce) {
      sts_failed_ = failed;
      sts_enforced_ = !failed && valid > 0;
    }
  }

  void decide() {
    const bool dane_enforced = dane_hosts_ > 0 && dane_hosts_ == hosts_ && !dane_failed_ &&
                               !dane_unusable_ && dane_matched_ > 0;
    const std::size_t tested = a_.addresses_tls + a_.addresses_plaintext;
    const std::string& d = f_.domain;
    if (bogus_) {
      set(Verdict::broken, "Mail to " + d +
                               " cannot be delivered by validating senders: DNSSEC validation "
                               "fails for its mail hosts.");
      return;
    }
    if (dane_failed_) {
      set(Verdict::broken, "Mail to " + d +
                               " will be deferred by DANE-aware senders: a mail server does not "
                               "match its published TLSA records.");
      return;
    }
    if (sts_failed_ && !dane_enforced) {
      set(Verdict::broken, "Mail to " + d +
                               " will be refused by MTA-STS senders: its enforce policy does not "
                               "hold on every mail server.");
      return;
    }
    if (tested == 0) {
      if (hosts_without_address_ == hosts_ && !dns_failed_) {
        set(Verdict::no_mail,
            "Mail to " + d + " cannot be delivered: none of its MX hosts has an address.");
        return;
      }
      a_.untested_reason = dns_failed_ ? "dns-failure" : untested_reason();
      set(Verdict::untested, "Could not find out whether mail to " + d +
                                 " is protected: " + reason_words(a_.untested_reason) + ".");
      return;
    }
    if (dane_unknown_) {
      a_.untested_reason = "dns-failure";
      set(Verdict::untested, "Could not find out whether mail to " + d +
                                 " is protected: a TLSA lookup in its signed zone failed.");
      return;
    }
    if (dane_enforced) a_.enforced_by.emplace_back("dane");
    if (sts_enforced_) a_.enforced_by.emplace_back("mta-sts");
    if (!a_.enforced_by.empty()) {
      std::string by = a_.enforced_by.size() == 2 ? "DANE and MTA-STS"
                       : dane_enforced            ? "DANE"
                                                  : "MTA-STS";
      set(Verdict::enforced,
          "Mail to " + d + " is protected: senders that check " + by +
              " must use authenticated TLS, and every mail server tested passes.");
      return;
    }
    if (a_.addresses_plaintext == 0 && dane_unusable_ && dane_hosts_ == hosts_) {
      // RFC 7672 §2.2: with a secure TLSA RRset whose records are all unusable, a DANE sender
      // still insists on TLS (unauthenticated), so stripping STARTTLS gets no plaintext from it.
      set(Verdict::opportunistic,
          "Mail to " + d +
              " is encrypted but not authenticated: DANE senders insist on TLS (its TLSA records "
              "are unusable), so an attacker cannot strip it for them, but can impersonate the "
              "server; other senders can be stripped to plaintext.");
    } else if (a_.addresses_plaintext == 0) {
      set(Verdict::opportunistic, "Mail to " + d +
                                      " is encrypted but not authenticated: an attacker on the "
                                      "path can strip STARTTLS and read it.");
    } else if (a_.addresses_tls == 0) {
      set(Verdict::plaintext,
          "Mail to " + d + " travels in plaintext: anyone on the path can read it.");
    } else {
      set(Verdict::partial, "Mail to " + d + " is encrypted only on some of its mail servers: " +
                                std::to_string(a_.addresses_plaintext) + " of " +
                                std::to_string(tested) + " addresses take mail in plaintext.");
    }
  }

  std::string untested_reason() const {
    const auto all = [&](auto pred) {
      return std::all_of(untested_outcomes_.begin(), untested_outcomes_.end(), pred);
    };
    if (untested_outcomes_.empty()) return "no-address-tested";
    if (all([](ProbeOutcome o) { return o == ProbeOutcome::rate_limited; })) return "rate-limited";
    if (all([](ProbeOutcome o) { return o == ProbeOutcome::rejected; })) return "rejected";
    if (all([](ProbeOutcome o) {
          return o == ProbeOutcome::connect_refused || o == ProbeOutcome::connect_timeout ||
                 o == ProbeOutcome::connect_failed;
        }))
      return "unreachable";
    if (all([](ProbeOutcome o) {
          return o == ProbeOutcome::banner_timeout || o == ProbeOutcome::reply_deadline;
        }))
      return "tarpit";
    return "protocol-error";
  }

  static std::string reason_words(const std::string& reason) {
    if (reason == "dns-failure") return "DNS lookups failed (SERVFAIL or timeout)";
    if (reason == "unreachable") return "no mail server could be reached on port 25";
    if (reason == "rate-limited") return "the mail servers answered 421 (busy or rate-limiting us)";
    if (reason == "rejected") return "the mail servers refused to talk to us";
    if (reason == "tarpit") return "the mail servers did not answer in time";
    return "the mail servers' answers could not be understood";
  }

  // One finding per id and scope, with how often it was seen (issue 14 item 24): a server that
  // sends bare LFs in every reply is one finding, not three.
  void merge_repeats() {
    std::map<std::pair<std::string, std::string>, std::size_t> first;
    std::vector<Finding> kept;
    for (auto& f : a_.findings) {
      const auto [it, fresh] = first.try_emplace({f.id, f.scope}, kept.size());
      if (fresh) {
        kept.push_back(std::move(f));
      } else {
        kept[it->second].count += f.count;
      }
    }
    a_.findings = std::move(kept);
  }

  Assessment finish() {
    merge_repeats();
    std::stable_sort(a_.findings.begin(), a_.findings.end(),
                     [](const Finding& x, const Finding& y) { return x.severity > y.severity; });
    return std::move(a_);
  }

  const DomainFacts& f_;
  Assessment a_;
  std::size_t hosts_ = 0;
  std::size_t hosts_without_address_ = 0;
  std::size_t dane_hosts_ = 0;
  std::size_t dane_matched_ = 0;
  bool dane_failed_ = false;
  bool dane_unusable_ = false;
  bool dane_unknown_ = false;
  bool dns_failed_ = false;
  bool bogus_ = false;
  bool sts_failed_ = false;
  bool sts_enforced_ = false;
  std::set<std::string> dane_unusable_noted_;
  std::vector<ProbeOutcome> untested_outcomes_;
};

}  // namespace

std::vector<Finding> probe_findings(const smtp::ProbeResult& probe, const std::string& scope) {
  std::vector<Finding> out;
  for (const auto& id : probe.findings)
    out.push_back(make_finding(id, scope, probe_evidence(probe, id)));
  return out;
}

Assessment assess(const DomainFacts& facts) {
  return Judge(facts).run();
}

}  // namespace intransit::check
