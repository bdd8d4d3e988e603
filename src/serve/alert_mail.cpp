// alert_mail.cpp — the mail half of alert_delivery.hpp: the alert as a short plain-text RFC 5322
// message, handed to the relay by the one SMTP submission client (smtp/submit.hpp: EHLO,
// STARTTLS when offered, MAIL, RCPT, DATA, QUIT under one deadline).

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <random>

#include "core/text.hpp"
#include "serve/alert_delivery.hpp"
#include "smtp/submit.hpp"

namespace intransit::serve {
namespace asio = boost::asio;

namespace {

std::string header_value(std::string_view v) {
  std::string out;
  for (const char c : v)
    if (c != '\r' && c != '\n') out += c;
  return text::printable(out);
}

}  // namespace

std::string alert_message(const std::string& from, const std::vector<std::string>& to,
                          const std::string& subject, const std::string& body, std::int64_t now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::string to_list;
  for (const auto& t : to) to_list += (to_list.empty() ? "" : ", ") + header_value(t);
  const auto at = fmt::gmtime(static_cast<std::time_t>(now));
  const auto domain = from.substr(from.rfind('@') + 1);
  std::string m;
  m += "From: " + header_value(from) + "\r\n";
  m += "To: " + to_list + "\r\n";
  m += "Subject: " + header_value(subject) + "\r\n";
  m += fmt::format("Date: {:%a, %d %b %Y %H:%M:%S} +0000\r\n", at);
  m += fmt::format("Message-ID: <intransit.{:%Y%m%d%H%M%S}.{:016x}@{}>\r\n", at, random(),
                   header_value(domain));
  m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n";
  m += smtp::data_lines(text::is_valid_utf8(body) ? body : text::printable(body));
  return m;
}

asio::awaitable<DeliveryResult> send_alert_mail(const std::string& host, unsigned short port,
                                                const std::string& from,
                                                const std::vector<std::string>& to,
                                                const std::string& subject, const std::string& body,
                                                std::chrono::steady_clock::duration deadline,
                                                bool require_tls, const std::string& ca_file) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  smtp::Submission message{from, to, {}};
  if (smtp::plain_address(from)) message.data = alert_message(from, to, subject, body, now);
  smtp::RelayAddress relay{host, port};
  smtp::SubmitOptions options{deadline, require_tls, ca_file};
  const auto r = co_await smtp::submit(std::move(relay), std::move(message), std::move(options));
  co_return DeliveryResult{r.ok, r.detail};
}

}  // namespace intransit::serve
