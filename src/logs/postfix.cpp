// postfix.cpp — see postfix.hpp. Line formats: Postfix 3.7 smtp/smtp.c and tls/tls_client.c
// ("%s TLS connection %s to %s: %s with cipher %s (%d/%d bits)"), and the delivery record of
// global/log_adhoc.c ("to=<%s>, relay=%s, ... dsn=%s, status=%s (%s)").
#include "logs/postfix.hpp"

#include <array>

#include "core/text.hpp"
#include "logs/fields.hpp"

namespace intransit::logs {

namespace {

constexpr std::array<std::string_view, 4> kTrustWords{"Verified", "Trusted", "Untrusted",
                                                      "Anonymous"};

Protection protection_of(std::string_view trust) {
  return trust == "Verified" ? Protection::verified : Protection::encrypted_unverified;
}

// Is this program a Postfix delivery agent that talks to the network? smtp, lmtp, and master.cf
// services run by smtp(8) under another name (Debian's "relay").
bool is_postfix_program(std::string_view program) {
  if (program.starts_with("postfix/")) return true;  // nearly every line: no search
  return program.find('/') != std::string_view::npos &&
         program.find("postfix") != std::string_view::npos;
}

}  // namespace

bool is_postfix_tls_line(std::string_view message) {
  const auto word = first_word(message);
  bool trust = false;
  for (const auto w : kTrustWords) trust = trust || word == w;
  if (!trust) return false;
  const auto rest = message.substr(word.size());
  return rest.starts_with(" TLS connection established to ") ||
         rest.starts_with(" TLS connection reused to ");
}

PostfixReader::PostfixReader(std::size_t max_pending) : pending_(max_pending) {}

LineUse PostfixReader::feed(const SyslogLine& line, std::string_view raw, bool tls_logged,
                            const EmitDelivery& emit) {
  if (!is_postfix_program(line.program)) return LineUse::ignored;
  const bool tls = is_postfix_tls_line(line.message);
  // Most lines are smtpd, cleanup and qmgr lines: rejected before a join key is built.
  const auto colon = tls ? std::string_view::npos : line.message.find(": to=<");
  if (!tls && colon == std::string_view::npos) return LineUse::ignored;
  key_.assign(line.host);
  key_ += '\0';
  key_.append(line.program);
  key_ += '\0';
  key_.append(line.pid);
  if (tls) return feed_tls(line, raw);
  return feed_delivery(line, raw, tls_logged, emit, colon);
}

LineUse PostfixReader::feed_tls(const SyslogLine& line, std::string_view raw) {
  // "<Trust> TLS connection established to host[addr]:port: TLSv1.3 with cipher NAME (256/256
  // bits)"
  const auto msg = line.message;
  TlsState st;
  st.trust.assign(first_word(msg));
  const auto to = msg.find(" to ");
  const auto sep = msg.find(": ", to);
  if (to == std::string_view::npos || sep == std::string_view::npos) return LineUse::unparsed;
  st.relay.assign(msg.substr(to + 4, sep - to - 4));
  const auto rest = msg.substr(sep + 2);
  st.version = normalise_tls_version(first_word(rest));
  const auto with = rest.find(" with cipher ");
  if (with != std::string_view::npos) st.cipher.assign(first_word(rest.substr(with + 13)));
  st.line.assign(raw.substr(0, kEvidenceLineBytes));
  pending_.put(key_, std::move(st));
  return LineUse::tls;
}

LineUse PostfixReader::feed_delivery(const SyslogLine& line, std::string_view raw, bool tls_logged,
                                     const EmitDelivery& emit, std::size_t colon) {
  const auto msg = line.message;
  if (!is_queue_id(msg.substr(0, colon))) return LineUse::ignored;
  const auto to_start = colon + 6;
  const auto to_end = msg.find('>', to_start);
  // The fields after the recipient: text inside to=<...> cannot pose as one of them.
  const auto after_to = to_end == std::string_view::npos ? to_start : to_end;
  const auto relay = field(msg, "relay=", after_to);
  const auto status = field(msg, "status=", after_to);
  if (status.empty() || relay.empty()) return LineUse::ignored;
  const auto word = first_word(status);
  Delivery d;
  if (word == "sent") {
    d.result = Result::sent;
  } else if (word == "deferred") {
    d.result = Result::deferred;
  } else if (word == "bounced") {
    d.result = Result::bounced;
  } else {
    return LineUse::ignored;  // deliverable/undeliverable (address probes), expired, ...
  }
  const bool networked = split_host_addr_port(relay, d.relay_host, d.relay_address, d.relay_port);
  if (!networked && relay != "none") return LineUse::ignored;  // local, virtual, pipe, unix socket
  if (networked && is_local_handoff(d.relay_address)) return LineUse::ignored;
  if (to_end == std::string_view::npos) return LineUse::unparsed;
  d.recipient_domain = recipient_domain(msg.substr(to_start, to_end - to_start));
  d.queue_id.assign(msg.substr(0, colon));
  d.mta = Mta::postfix;
  d.host.assign(line.host);
  d.time = line.time.epoch;
  d.micros = line.time.micros;
  d.time_known = line.time.known;
  auto* tls = pending_.find(key_);
  if (tls != nullptr && !tls->queue_id.empty() && tls->queue_id != d.queue_id) {
    pending_.erase(key_);  // a later message of this process: a new connection
    tls = nullptr;
  }
  if (!networked) {
    d.protection = Protection::unknown;  // no connection was made
  } else if (tls != nullptr && tls->relay == relay) {
    tls->queue_id = d.queue_id;
    d.protection = protection_of(tls->trust);
    d.tls_version = tls->version;
    d.tls_cipher = tls->cipher;
    d.tls_trust = tls->trust;
    add_evidence(d, tls->line);
  } else {
    d.protection = tls_logged ? Protection::plaintext : Protection::unknown;
  }
  add_evidence(d, raw);
  emit(d);
  return LineUse::delivery;
}

}  // namespace intransit::logs
