// sendmail.cpp — see sendmail.hpp. Formats from sendmail/deliver.c (markfailure/logdelivery:
// "to=%s, ... relay=%s [%s], dsn=%s, stat=%s") and sendmail/tls.c / sm_starttls
// ("STARTTLS=%s, relay=%.100s, version=%.16s, verify=%.16s, cipher=%.64s, bits=%d/%d").
#include "logs/sendmail.hpp"

#include "core/text.hpp"
#include "logs/fields.hpp"

namespace intransit::logs {

namespace {

Protection protection_of(std::string_view verify) {
  return (verify == "OK" || verify == "TRUSTED" || verify == "DANE_PASS")
             ? Protection::verified
             : Protection::encrypted_unverified;
}

Result result_of(std::string_view dsn, std::string_view stat) {
  if (!dsn.empty()) {
    if (dsn[0] == '2') return Result::sent;
    if (dsn[0] == '4') return Result::deferred;
    return Result::bounced;
  }
  if (stat.starts_with("Sent")) return Result::sent;
  if (stat.starts_with("Deferred")) return Result::deferred;
  return Result::bounced;
}

// "mx.example.org. [192.0.2.1]" or "[192.0.2.1]" or "mx.example.org." (no connection made).
void split_relay(std::string_view relay, std::string& name, std::string& addr) {
  const auto open = relay.find('[');
  const auto close = relay.find(']', open == std::string_view::npos ? 0 : open);
  auto name_part = relay.substr(0, open == std::string_view::npos ? relay.size() : open);
  while (!name_part.empty() && name_part.back() == ' ') name_part.remove_suffix(1);
  if (open != std::string_view::npos && close != std::string_view::npos) {
    addr.assign(relay.substr(open + 1, close - open - 1));
    if (addr.starts_with("IPv6:")) addr.erase(0, 5);
    if (name_part.empty()) name_part = relay.substr(0, close + 1);  // "[192.0.2.1]" names itself
  }
  name = text::lower(text::strip_trailing_dot(name_part));
}

}  // namespace

bool is_sendmail_program(std::string_view program) {
  return program == "sm-mta" || program == "sendmail" || program == "sm-msp-queue" ||
         program.starts_with("sm-mta");
}

bool is_sendmail_tls_line(std::string_view message) {
  return message.starts_with("STARTTLS=client, relay=");
}

SendmailReader::SendmailReader(std::size_t max_pending) : pending_(max_pending) {}

LineUse SendmailReader::feed(const SyslogLine& line, std::string_view raw, bool tls_logged,
                             const EmitDelivery& emit) {
  key_.assign(line.host);
  key_ += '\0';
  key_.append(line.pid);
  const auto msg = line.message;
  if (!is_sendmail_tls_line(msg)) return feed_delivery(line, raw, tls_logged, emit);
  TlsState st;
  std::string unused;
  split_relay(field(msg, "relay="), st.relay, unused);
  st.version = normalise_tls_version(field(msg, "version="));
  st.verify.assign(field(msg, "verify="));
  st.cipher.assign(field(msg, "cipher="));
  if (st.version.empty() || st.verify.empty())
    return LineUse::ignored;  // "STARTTLS=client, error: ..."
  st.line.assign(raw.substr(0, kEvidenceLineBytes));
  pending_.put(key_, std::move(st));
  return LineUse::tls;
}

LineUse SendmailReader::feed_delivery(const SyslogLine& line, std::string_view raw, bool tls_logged,
                                      const EmitDelivery& emit) {
  const auto msg = line.message;
  const auto colon = msg.find(": to=");
  if (colon == std::string_view::npos || !is_queue_id(msg.substr(0, colon)))
    return LineUse::ignored;
  const auto stat = field(msg, "stat=");
  const auto mailer = field(msg, "mailer=");
  const auto relay = field(msg, "relay=");
  if (stat.empty() || relay.empty()) return LineUse::ignored;
  if (mailer == "local" || mailer == "prog" || mailer == "*file*" || mailer == "*include*")
    return LineUse::ignored;
  std::string relay_name, relay_addr;
  split_relay(relay, relay_name, relay_addr);
  if (!relay_addr.empty() && is_local_handoff(relay_addr)) return LineUse::ignored;
  const auto* tls = pending_.find(key_);
  if (tls != nullptr && tls->relay != relay_name) tls = nullptr;
  // "to=<a@x>,<b@y>," — one delivery per recipient.
  const auto to_list = msg.substr(colon + 5, msg.find(", ", colon) == std::string_view::npos
                                                 ? std::string_view::npos
                                                 : msg.find(", ", colon) - colon - 5);
  const auto dsn = field(msg, "dsn=");
  bool any = false;
  std::size_t pos = 0;
  while (pos <= to_list.size()) {
    const auto comma = to_list.find(',', pos);
    const auto rcpt =
        to_list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? to_list.size() + 1 : comma + 1;
    Delivery d;
    d.recipient_domain = recipient_domain(rcpt);
    if (d.recipient_domain.empty()) continue;
    d.mta = Mta::sendmail;
    d.queue_id.assign(msg.substr(0, colon));
    d.host.assign(line.host);
    d.time = line.time.epoch;
    d.micros = line.time.micros;
    d.time_known = line.time.known;
    d.relay_host = relay_name;
    d.relay_address = relay_addr;
    d.result = result_of(dsn, stat);
    if (relay_addr.empty()) {
      d.protection = Protection::unknown;
    } else if (tls != nullptr) {
      d.protection = protection_of(tls->verify);
      d.tls_version = tls->version;
      d.tls_cipher = tls->cipher;
      d.tls_trust = "verify=" + tls->verify;
      add_evidence(d, tls->line);
    } else {
      d.protection = tls_logged ? Protection::plaintext : Protection::unknown;
    }
    add_evidence(d, raw);
    emit(d);
    any = true;
  }
  return any ? LineUse::delivery : LineUse::ignored;
}

}  // namespace intransit::logs
