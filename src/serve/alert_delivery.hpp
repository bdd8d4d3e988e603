// alert_delivery.hpp — how `serve`'s monitor hands an alert to people: an HTTP(S) POST of the
// intransit.alert/1 JSON to a webhook, and a short plain-text mail through an SMTP relay
// (RFC 5321, STARTTLS per RFC 3207: always used when offered, required on request). Both are
// bounded in time (one deadline for the whole exchange) and in what they read back, and report
// failure as a sentence instead of throwing.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "check/http_url.hpp"

namespace intransit::serve {

struct DeliveryResult {
  bool ok = false;
  std::string detail;  // what happened, for the alert log ("HTTP 204", "250 2.0.0 Ok: queued")
};

// A webhook URL taken apart (check/http_url.hpp, shared with `tlsrpt generate`).
using WebhookUrl = check::HttpUrl;
inline std::optional<WebhookUrl> parse_webhook_url(const std::string& url) {
  return check::parse_http_url(url);
}

// POSTs `body` (application/json) to `url`; a 2xx answer is success. https verifies the server's
// certificate and name against `ca_file`, or the system's trust store when it is empty.
boost::asio::awaitable<DeliveryResult> post_webhook(const std::string& url, const std::string& body,
                                                    const std::string& ca_file,
                                                    std::chrono::steady_clock::duration deadline);

// Sends one mail through the relay at host:port from `from` to each of `to`. STARTTLS is used
// when the relay offers it; with `require_tls` the mail is not sent without it, and the relay's
// certificate is verified (against `ca_file`, or the system's trust store when empty).
boost::asio::awaitable<DeliveryResult> send_alert_mail(
    const std::string& host, unsigned short port, const std::string& from,
    const std::vector<std::string>& to, const std::string& subject, const std::string& body,
    std::chrono::steady_clock::duration deadline, bool require_tls = false,
    const std::string& ca_file = {});

// The RFC 5322 message: headers (CR and LF removed from their values), the text with every line
// ending in CRLF and dot-stuffed (RFC 5321 §4.5.2), invalid UTF-8 made printable; no final ".".
std::string alert_message(const std::string& from, const std::vector<std::string>& to,
                          const std::string& subject, const std::string& body, std::int64_t now);

}  // namespace intransit::serve
