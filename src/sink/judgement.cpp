// judgement.cpp — see judgement.hpp. The rules, one per weakness:
//  - no-starttls, starttls-refused, handshake-fails, tls10-only (when TLS failed): a message
//    accepted without TLS is a plaintext fallback (RFC 3207 §4 leaves it to the client; RFC 8461
//    and RFC 7672 exist because opportunistic clients do it);
//  - self-signed, expired, wrong-name: a message accepted over TLS means the certificate was not
//    checked (RFC 8461 §4.2 and RFC 7672 §3 define what checking is);
//  - dane-mismatch / mtasts-mismatch: accepted means the policy was not honoured (RFC 7672 §2.2,
//    RFC 8461 §5) — or the sender does not use DANE / MTA-STS at all;
//  - requiretls: REQUIRETLS on MAIL FROM (RFC 8689 §4.1);
//  - any scenario: a command before the greeting (RFC 5321 §3.1, RELIABILITY item 39).
#include "sink/judgement.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sink/scenario.hpp"

namespace intransit::sink {
namespace {

bool delivered_without_tls(const ScenarioOutcome& s) {
  return s.delivered_plaintext > 0;
}
bool delivered_with_tls(const ScenarioOutcome& s) {
  return s.delivered_tls > 0;
}
bool tried(const ScenarioOutcome* s) {
  return s != nullptr && !s->attempts.empty();
}
bool tls_completed(const ScenarioOutcome& s) {
  return std::any_of(s.attempts.begin(), s.attempts.end(),
                     [](const Attempt& a) { return a.tls == TlsOutcome::ok; });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

class Judge {
 public:
  explicit Judge(SenderJudgement& j) : j_(j) {
    for (auto& s : j_.scenarios) by_name_[s.scenario] = &s;
  }

  void run() {
    plaintext_rules();
    certificate_rules();
    policy_rule(SinkScenario::dane_mismatch, BehaviourId::ignores_dane, BehaviourId::honours_dane,
                "DANE",
                "delivered although the published TLSA records do not match the certificate "
                "(ignores DANE, or does not use it)");
    policy_rule(SinkScenario::mtasts_mismatch, BehaviourId::ignores_mta_sts,
                BehaviourId::honours_mta_sts, "MTA-STS",
                "delivered although the MTA-STS policy does not list this MX (ignores MTA-STS, or "
                "does not use it)");
    requiretls_rule();
    tls_version_rule();
    baseline_rule();
    pregreet_rule();
    std::stable_sort(
        j_.behaviours.begin(), j_.behaviours.end(),
        [](const Behaviour& a, const Behaviour& b) { return a.severity > b.severity; });
    verdict();
  }

 private:
  const ScenarioOutcome* get(SinkScenario scenario) const {
    const auto it = by_name_.find(std::string(to_string(scenario)));
    return it == by_name_.end() ? nullptr : it->second;
  }
  void add(BehaviourId id, std::string text, std::vector<std::string> scenarios) {
    j_.behaviours.push_back({id, severity_of(id), std::move(text), std::move(scenarios)});
  }

  // What "not delivering in plaintext" on a plaintext scenario means, in words.
  static std::string_view held_words(SinkScenario scenario) {
    switch (scenario) {
      case SinkScenario::no_starttls: return "STARTTLS is not offered";
      case SinkScenario::starttls_refused: return "STARTTLS is refused";
      default: return "the TLS handshake fails";
    }
  }

  void plaintext_rules() {
    std::vector<std::string> fell_back;
    std::vector<std::string> held;
    std::vector<std::string> when;
    for (const auto scenario : {SinkScenario::no_starttls, SinkScenario::starttls_refused,
                                SinkScenario::handshake_fails}) {
      const auto* s = get(scenario);
      if (!tried(s)) continue;
      if (delivered_without_tls(*s)) {
        fell_back.emplace_back(to_string(scenario));
      } else {
        held.emplace_back(to_string(scenario));
        when.emplace_back(held_words(scenario));
      }
    }
    if (!fell_back.empty()) {
      add(BehaviourId::plaintext_fallback,
          "delivers in plaintext when STARTTLS is missing or stripped: an attacker on the path "
          "reads the mail",
          fell_back);
    }
    if (!held.empty())
      add(BehaviourId::refuses_plaintext, "does not deliver in plaintext when " + join(when), held);
  }

  void certificate_rules() {
    std::vector<std::string> accepted;
    std::vector<std::string> refused;
    for (const auto scenario :
         {SinkScenario::self_signed, SinkScenario::expired, SinkScenario::wrong_name}) {
      const auto* s = get(scenario);
      if (!tried(s)) continue;
      if (delivered_with_tls(*s)) {
        accepted.emplace_back(to_string(scenario));
      } else if (tls_completed(*s) || !delivered_without_tls(*s)) {
        refused.emplace_back(to_string(scenario));
      }
    }
    if (!accepted.empty()) {
      add(BehaviourId::accepts_any_certificate,
          "accepts any certificate: an attacker can impersonate the receiver (delivered over TLS "
          "with a " +
              join(accepted) + " certificate)",
          accepted);
    }
    if (!refused.empty())
      add(BehaviourId::checks_certificates,
          "refused to deliver to a " + join(refused) + " certificate", refused);
  }

  void policy_rule(SinkScenario scenario, BehaviourId ignores, BehaviourId honours,
                   std::string_view name, std::string ignored_text) {
    const auto* s = get(scenario);
    if (!tried(s)) return;
    const std::string evidence(to_string(scenario));
    if (delivered_with_tls(*s) || delivered_without_tls(*s)) {
      add(ignores, std::move(ignored_text), {evidence});
    } else {
      add(honours,
          "honours " + std::string(name) + ": refused the server that its records do not vouch for",
          {evidence});
    }
  }

  void requiretls_rule() {
    std::vector<std::string> with;
    for (const auto& s : j_.scenarios) {
      for (const auto& a : s.attempts) {
        if (a.requiretls && std::find(with.begin(), with.end(), s.scenario) == with.end())
          with.push_back(s.scenario);
      }
    }
    if (!with.empty()) {
      add(BehaviourId::uses_requiretls, "uses REQUIRETLS (RFC 8689) when the receiver offers it",
          with);
      return;
    }
    const auto* s = get(SinkScenario::requiretls);
    if (tried(s) && (delivered_with_tls(*s) || delivered_without_tls(*s))) {
      add(BehaviourId::no_requiretls,
          "does not use REQUIRETLS although it was offered (expected unless the message asked for "
          "it)",
          {std::string(to_string(SinkScenario::requiretls))});
    }
  }

  void tls_version_rule() {
    const auto* s = get(SinkScenario::tls10_only);
    if (!tried(s)) return;
    const std::string evidence(to_string(SinkScenario::tls10_only));
    if (delivered_with_tls(*s)) {
      add(BehaviourId::accepts_tls10, "still negotiates TLS 1.0, which RFC 8996 deprecates",
          {evidence});
    } else if (delivered_without_tls(*s)) {
      add(BehaviourId::plaintext_fallback,
          "delivers in plaintext when the receiver offers only TLS 1.0: an attacker on the path "
          "reads the mail",
          {evidence});
    } else {
      add(BehaviourId::refuses_tls10, "refuses TLS 1.0 and does not fall back to plaintext",
          {evidence});
    }
  }

  void baseline_rule() {
    const auto* s = get(SinkScenario::valid);
    if (!tried(s)) return;
    const std::string evidence(to_string(SinkScenario::valid));
    if (delivered_with_tls(*s)) {
      std::set<std::string> versions;
      for (const auto& a : s->attempts) {
        if (a.tls == TlsOutcome::ok && a.delivered > 0)
          versions.insert(a.tls_version + " " + a.tls_cipher);
      }
      add(BehaviourId::uses_starttls,
          "uses STARTTLS when offered (" + join({versions.begin(), versions.end()}) + ")",
          {evidence});
    } else if (delivered_without_tls(*s)) {
      add(BehaviourId::ignores_starttls,
          "delivers in plaintext even when STARTTLS is offered: every message is readable on the "
          "path",
          {evidence});
    }
  }

  // Postfix's postscreen and similar pregreet tests reject such a sender as a bot: its mail is
  // refused by those receivers, whatever its TLS does.
  void pregreet_rule() {
    std::vector<std::string> where;
    for (const auto& s : j_.scenarios) {
      const bool early = std::any_of(s.attempts.begin(), s.attempts.end(),
                                     [](const Attempt& a) { return a.pregreet; });
      if (early) where.push_back(s.scenario);
    }
    if (where.empty()) return;
    add(BehaviourId::talks_before_greeting,
        "talks before the server's greeting (sent a command before the 220 banner was complete, "
        "against RFC 5321 "
        "§3.1): receivers with a pregreet test, such as Postfix's postscreen, refuse it as a spam "
        "bot",
        where);
  }

  void verdict() {
    const auto has = [&](BehaviourId id) {
      return std::any_of(j_.behaviours.begin(), j_.behaviours.end(),
                         [&](const Behaviour& b) { return b.id == id; });
    };
    if (has(BehaviourId::plaintext_fallback) || has(BehaviourId::ignores_starttls)) {
      j_.verdict = SenderVerdict::plaintext_fallback;
    } else if (has(BehaviourId::accepts_any_certificate)) {
      j_.verdict = SenderVerdict::accepts_any_certificate;
    } else if (has(BehaviourId::refuses_plaintext) && has(BehaviourId::checks_certificates)) {
      j_.verdict = SenderVerdict::verifies;
    } else {
      j_.verdict = SenderVerdict::untested;
    }
  }

  SenderJudgement& j_;
  std::map<std::string, ScenarioOutcome*> by_name_;
};

std::size_t scenario_rank(const std::string& name) {
  const auto s = sink_scenario_from_string(name);
  return s ? static_cast<std::size_t>(*s) : all_sink_scenarios().size();
}

}  // namespace

std::vector<SenderJudgement> judge_senders(const StoreContents& contents) {
  // Sessions, and deliveries whose session row is missing (the sink died before writing it).
  std::map<std::int64_t, const SessionRecord*> sessions;
  for (const auto& s : contents.sessions) sessions[s.id] = &s;
  std::map<std::string, std::map<std::string, std::map<std::int64_t, Attempt>>>
      attempts;  // client → scenario → session
  std::map<std::string, std::set<std::string>> ehlo;
  for (const auto& s : contents.sessions) {
    Attempt& a = attempts[s.client_ip][s.scenario][s.id];
    a.session = s.id;
    a.time = s.started;
    a.tls = s.tls;
    a.tls_version = s.tls_version;
    a.tls_cipher = s.tls_cipher;
    a.tls_error = s.tls_error;
    a.sni = s.sni;
    a.starttls_offered = s.starttls_offered;
    a.end_reason = s.end_reason;
    a.pregreet = s.pregreet;
    if (!s.ehlo.empty()) ehlo[s.client_ip].insert(s.ehlo);
  }
  for (const auto& d : contents.deliveries) {
    Attempt& a = attempts[d.client_ip][d.scenario][d.session_id];
    if (!sessions.contains(d.session_id) && a.session == 0) {
      a.session = d.session_id;
      a.time = d.time;
      a.tls = d.tls ? TlsOutcome::ok : TlsOutcome::none;
      a.tls_version = d.tls_version;
      a.tls_cipher = d.tls_cipher;
      a.end_reason = "unknown (no session record)";
    }
    (d.accepted ? a.delivered : a.rejected) += 1;
    a.requiretls = a.requiretls || d.requiretls;
    if (!d.ehlo.empty()) ehlo[d.client_ip].insert(d.ehlo);
  }

  std::vector<SenderJudgement> out;
  for (auto& [client, by_scenario] : attempts) {
    SenderJudgement j;
    j.client = client;
    j.ehlo_names.assign(ehlo[client].begin(), ehlo[client].end());
    for (auto& [scenario, by_session] : by_scenario) {
      ScenarioOutcome s;
      s.scenario = scenario;
      bool tls_broke_before = false;
      for (auto& [id, a] : by_session) {
        if (a.delivered > 0 && a.tls != TlsOutcome::ok && tls_broke_before)
          a.plaintext_retry = true;
        if ((a.tls == TlsOutcome::failed || a.tls == TlsOutcome::refused) && a.delivered == 0)
          tls_broke_before = true;
        (a.tls == TlsOutcome::ok ? s.delivered_tls : s.delivered_plaintext) += a.delivered;
        s.attempts.push_back(a);
      }
      j.scenarios.push_back(std::move(s));
    }
    std::sort(j.scenarios.begin(), j.scenarios.end(),
              [](const ScenarioOutcome& a, const ScenarioOutcome& b) {
                return scenario_rank(a.scenario) < scenario_rank(b.scenario);
              });
    Judge(j).run();
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace intransit::sink
