// sendmail.hpp — Sendmail 8.17 client lines: the STARTTLS line of a connection
//   "STARTTLS=client, relay=mx.example.org., version=TLSv1.3, verify=OK, cipher=..., bits=256/256"
// joined, by process and relay name, to the delivery lines that follow it
//   "0B2C0001012345: to=<u@example.org>, delay=..., mailer=esmtp, pri=..., relay=mx.example.org.
//   [192.0.2.1],
//    dsn=2.0.0, stat=Sent (...)"
// (Sendmail op.me §"Log levels" and "STARTTLS"; LogLevel >= 9 logs the STARTTLS line). Sendmail
// caches connections across messages, so a STARTTLS line holds for every later delivery of the
// same process to the same relay until another connection line replaces it.
// verify=OK (or TRUSTED, DANE_PASS) means the certificate was authenticated.
#pragma once

#include "logs/postfix.hpp"

namespace intransit::logs {

class SendmailReader {
 public:
  explicit SendmailReader(std::size_t max_pending);
  LineUse feed(const SyslogLine& line, std::string_view raw, bool tls_logged,
               const EmitDelivery& emit);
  std::size_t evicted() const { return pending_.evicted(); }

 private:
  struct TlsState {
    std::string relay;  // lower case, no trailing dot
    std::string verify, version, cipher, line;
  };
  LineUse feed_delivery(const SyslogLine& line, std::string_view raw, bool tls_logged,
                        const EmitDelivery& emit);
  PendingJoins<TlsState> pending_;
  std::string key_;
};

bool is_sendmail_program(std::string_view program);
bool is_sendmail_tls_line(std::string_view message);

}  // namespace intransit::logs
