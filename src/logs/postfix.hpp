// postfix.hpp — Postfix smtp(8)/lmtp(8) client lines: the delivery line of each recipient
//   "4AbC12: to=<u@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=0.4, ..., status=sent
//   (...)"
// joined with the line the same process logged when it set up TLS for that connection
//   "Verified TLS connection established to mx.example.org[192.0.2.1]:25: TLSv1.3 with cipher ..."
// (Postfix TLS_README "Client-side TLS activity logging"; smtp_tls_loglevel >= 1). The trust word
// is Postfix's: Verified (chain and name), Trusted (chain only), Untrusted, Anonymous.
// A TLS line binds to the first message delivered after it; a later message of the same process
// is a new connection (Postfix does not reuse TLS connections unless it logs "reused").
#pragma once

#include <functional>

#include "logs/delivery.hpp"
#include "logs/pending_joins.hpp"
#include "logs/syslog_line.hpp"

namespace intransit::logs {

using EmitDelivery = std::function<void(Delivery&)>;

// What a line was to a reader.
enum class LineUse : std::uint8_t { delivery, tls, ignored, unparsed };

class PostfixReader {
 public:
  explicit PostfixReader(std::size_t max_pending);
  // `tls_logged`: this MTA writes TLS lines, so a delivery without one was plaintext.
  LineUse feed(const SyslogLine& line, std::string_view raw, bool tls_logged,
               const EmitDelivery& emit);
  std::size_t evicted() const { return pending_.evicted(); }
  std::size_t pending() const { return pending_.size(); }

 private:
  struct TlsState {
    std::string relay;  // "host[addr]:port" exactly as logged
    std::string trust, version, cipher, line, queue_id;
  };
  LineUse feed_tls(const SyslogLine& line, std::string_view raw);
  // `colon`: where the message's ": to=<" starts (feed() found it already).
  LineUse feed_delivery(const SyslogLine& line, std::string_view raw, bool tls_logged,
                        const EmitDelivery& emit, std::size_t colon);
  PendingJoins<TlsState> pending_;
  std::string key_;
};

// True when `message` is a Postfix "TLS connection established" line (cheap pre-scan test).
bool is_postfix_tls_line(std::string_view message);

}  // namespace intransit::logs
