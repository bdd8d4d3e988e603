// exim.cpp — see exim.hpp. Field syntax from the Exim specification §52.15: values are single
// words except H= ("name [addr]:port"), and DN=/C= which are quoted with backslash escapes.
#include "logs/exim.hpp"

#include "core/text.hpp"

namespace intransit::logs {

namespace {

struct EximFields {
  std::string_view recipient, host, address_part, x, cv;
};

// Reads the space-separated words after the recipient; quoted values are skipped whole, so a
// remote server's reply text in C="..." cannot inject fields.
void read_fields(std::string_view s, EximFields& f) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && s[pos] == ' ') ++pos;
    const std::size_t start = pos;
    const auto eq = s.find('=', pos);
    const auto sp = s.find(' ', pos);
    if (eq != std::string_view::npos && (sp == std::string_view::npos || eq < sp) &&
        eq + 1 < s.size() && s[eq + 1] == '"') {
      pos = eq + 2;
      while (pos < s.size() && s[pos] != '"') pos += s[pos] == '\\' ? 2 : 1;
      pos = pos < s.size() ? pos + 1 : s.size();
      continue;
    }
    const std::size_t end = sp == std::string_view::npos ? s.size() : sp;
    const auto word = s.substr(start, end - start);
    pos = end;
    if (word.starts_with("H=")) {
      f.host = word.substr(2);
      // "H=name [addr]:port": the address is the next word.
      std::size_t next = pos;
      while (next < s.size() && s[next] == ' ') ++next;
      if (next < s.size() && s[next] == '[' && !f.host.starts_with("[")) {
        const auto nsp = s.find(' ', next);
        f.address_part = s.substr(next, (nsp == std::string_view::npos ? s.size() : nsp) - next);
        pos = nsp == std::string_view::npos ? s.size() : nsp;
      } else if (f.host.starts_with("[")) {
        f.address_part = f.host;
        f.host = {};
      }
    } else if (word.starts_with("X=")) {
      f.x = word.substr(2);
    } else if (word.starts_with("CV=")) {
      f.cv = word.substr(3);
    }
  }
}

bool is_exim_id(std::string_view id) {
  // 4.96 and earlier: 6-6-2 base 62 ("1kABCD-0001Ab-Cd"); 4.97 and later: 6-11-4.
  const bool old_form = id.size() == 16 && id[6] == '-' && id[13] == '-';
  const bool new_form = id.size() == 23 && id[6] == '-' && id[18] == '-';
  return old_form || new_form;
}

}  // namespace

bool looks_like_exim_mainlog(std::string_view raw) {
  return raw.size() > 20 && raw[4] == '-' && raw[7] == '-' && raw[10] == ' ' && raw[13] == ':' &&
         raw[16] == ':' && read_digits(raw, 0, 4) >= 0;
}

LineUse feed_exim_mainlog(std::string_view raw, const EmitDelivery& emit) {
  if (!looks_like_exim_mainlog(raw)) return LineUse::unparsed;
  // "YYYY-MM-DD HH:MM:SS[.mmm][ +zzzz] ": the time ends at the first space after the clock,
  // or after a zone word.
  std::size_t end = raw.find(' ', 19);
  if (end == std::string_view::npos) return LineUse::unparsed;
  if (end + 1 < raw.size() && (raw[end + 1] == '+' || raw[end + 1] == '-') &&
      read_digits(raw, end + 2, 4) >= 0) {
    end = raw.find(' ', end + 1);
    if (end == std::string_view::npos) return LineUse::unparsed;
  }
  std::string stamp(raw.substr(0, end));
  // parse_rfc3339 wants "+zz:zz" or "+zzzz" glued to the time.
  const auto zone = stamp.find(' ', 19);
  if (zone != std::string::npos) stamp.erase(zone, 1);
  auto time = parse_rfc3339(stamp);
  if (!time) return LineUse::unparsed;
  auto body = raw.substr(end + 1);
  if (body.starts_with("[")) {  // log_selector +pid
    const auto close = body.find("] ");
    if (close == std::string_view::npos) return LineUse::unparsed;
    body = body.substr(close + 2);
  }
  return feed_exim_body(body, raw, *time, {}, emit);
}

LineUse feed_exim_body(std::string_view body, std::string_view raw, const LogTime& time,
                       std::string_view host, const EmitDelivery& emit) {
  const auto sp = body.find(' ');
  if (sp == std::string_view::npos || !is_exim_id(body.substr(0, sp))) return LineUse::ignored;
  const auto rest = body.substr(sp + 1);
  if (rest.size() < 4 || rest[2] != ' ') return LineUse::ignored;
  const auto flag = rest.substr(0, 2);
  Delivery d;
  if (flag == "=>" || flag == "->") {
    d.result = Result::sent;
  } else if (flag == "==") {
    d.result = Result::deferred;
  } else if (flag == "**") {
    d.result = Result::bounced;
  } else {
    return LineUse::ignored;  // "<=" arrival, "*>" suppressed delivery, "Completed", ...
  }
  const auto after = rest.substr(3);
  const auto rsp = after.find(' ');
  EximFields f;
  f.recipient = after.substr(0, rsp);
  if (rsp != std::string_view::npos) read_fields(after.substr(rsp + 1), f);
  if (f.host.empty() && f.address_part.empty()) {
    // A local delivery (no H=) is not mail leaving the host; a deferral before any connection
    // ("retry time not reached") is still an attempt to a domain.
    if (d.result == Result::sent) return LineUse::ignored;
  } else {
    std::string scratch_host;
    const std::string joined = std::string(f.host) + std::string(f.address_part);
    split_host_addr_port(joined, scratch_host, d.relay_address, d.relay_port);
    d.relay_host = text::lower(text::strip_trailing_dot(f.host));
    if (is_local_handoff(d.relay_address)) return LineUse::ignored;
  }
  d.recipient_domain = recipient_domain(f.recipient);
  if (d.recipient_domain.empty()) return LineUse::ignored;
  d.mta = Mta::exim;
  d.queue_id.assign(body.substr(0, sp));
  d.host.assign(host);
  d.time = time.epoch;
  d.micros = time.micros;
  d.time_known = time.known;
  if (!f.x.empty()) {
    // X=TLS1.3:TLS_AES_256_GCM_SHA384:256 (OpenSSL) or X=TLS1.3:ECDHE_X25519__RSA...:256 (GnuTLS).
    const auto c1 = f.x.find(':');
    d.tls_version = normalise_tls_version(f.x.substr(0, c1));
    if (c1 != std::string_view::npos) {
      const auto c2 = f.x.rfind(':');
      d.tls_cipher.assign(f.x.substr(c1 + 1, c2 > c1 ? c2 - c1 - 1 : std::string_view::npos));
    }
    d.tls_trust = "CV=" + std::string(f.cv.empty() ? "unlogged" : f.cv);
    d.protection =
        (f.cv == "yes" || f.cv == "dane") ? Protection::verified : Protection::encrypted_unverified;
  } else if (d.relay_address.empty() || d.result != Result::sent) {
    d.protection = Protection::unknown;  // no connection, or Exim logs no X= on failures
  } else {
    d.protection = Protection::plaintext;
  }
  add_evidence(d, raw);
  emit(d);
  return LineUse::delivery;
}

}  // namespace intransit::logs
