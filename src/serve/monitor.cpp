// monitor.cpp — see monitor.hpp.
#include "serve/monitor.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <random>

#include "serve/alert_delivery.hpp"
#include "serve/alert_rules.hpp"
#include "smtp/submit.hpp"

namespace intransit::serve {
namespace asio = boost::asio;

namespace {

std::string mail_text(const Alert& a) {
  std::string t = "intransit serve: " + a.kind + " for " + a.domain + " (" + a.severity + ")\n\n";
  t += "Before: " + (a.before.empty() ? std::string("(nothing known)") : a.before) + "\n";
  t += "After:  " + a.after + "\n";
  t += "Why:    " + a.why + "\n";
  return t;
}

}  // namespace

Monitor::Monitor(asio::any_io_executor executor, Checker& checker, Store& store, Metrics& metrics,
                 MonitorOptions options)
    : executor_(executor),
      checker_(checker),
      store_(store),
      metrics_(metrics),
      options_(std::move(options)),
      timer_(executor) {}

void Monitor::start() {
  asio::co_spawn(executor_, loop(), [](const std::exception_ptr& e) {
    if (e) std::cerr << "intransit serve: the monitor stopped by an internal error\n";
  });
}

void Monitor::stop() {
  stopped_ = true;
  timer_.cancel();
}

void Monitor::wake() {
  timer_.cancel();
}

std::int64_t Monitor::next_time(std::int64_t now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> spread(0.9, 1.1);
  return now +
         std::max<std::int64_t>(
             1, static_cast<std::int64_t>(static_cast<double>(options_.interval) * spread(random)));
}

asio::awaitable<void> Monitor::loop() {
  while (!stopped_) {
    const auto now = unix_now();
    for (const auto& m : store_.monitored()) {
      if (in_progress_.size() >= options_.parallel) break;
      if (m.next_at > now || in_progress_.contains(m.domain)) continue;
      in_progress_.insert(m.domain);
      store_.set_next_check(m.domain, next_time(now));
      asio::co_spawn(
          executor_, check_one(m.domain), [this, d = m.domain](const std::exception_ptr& e) {
            in_progress_.erase(d);
            if (e) std::cerr << "intransit serve: a monitor check ended by an internal error\n";
          });
    }
    timer_.expires_after(options_.tick);
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// The alerts a new result raises. "Could not test" is judged against the check just before; every
// other change against the last check that did test, so a failed check in between (a restart, a
// network blip) neither hides a decline (enforced → untested → broken) nor invents a recovery.
std::vector<Alert> Monitor::alerts_for(const std::string& domain,
                                       const std::optional<StoredCheck>& previous,
                                       const nlohmann::json& now_doc, std::int64_t now) {
  const auto usable = [](const std::optional<StoredCheck>& c) {
    return c && c->document.is_object();
  };
  std::optional<StoredCheck> tested = previous;
  if (usable(previous) && previous->verdict == "untested") {
    tested.reset();
    for (const auto& h : store_.history(domain, 50)) {
      if (h.verdict == "untested" || h.id == previous->id) continue;
      tested = store_.check_by_id(h.id);
      break;
    }
  }
  auto alerts = compare_checks(usable(previous) ? &previous->document : nullptr, now_doc,
                               options_.cert_days, now, previous ? previous->measured_at : 0);
  if (!tested || tested->id == (previous ? previous->id : -1)) return alerts;
  std::erase_if(alerts, [](const Alert& a) { return a.kind != "untested"; });
  for (auto& a : compare_checks(usable(tested) ? &tested->document : nullptr, now_doc,
                                options_.cert_days, now, tested->measured_at)) {
    if (a.kind != "untested") alerts.push_back(std::move(a));
  }
  return alerts;
}

asio::awaitable<void> Monitor::check_one(std::string domain) {
  const auto previous = store_.latest_check(domain);
  const auto id = checker_.start(domain, true);
  if (!id) {  // the server is busy with other checks: try again soon
    store_.set_next_check(domain, unix_now() + 60);
    co_return;
  }
  const auto job = co_await checker_.wait(*id, std::chrono::minutes(10));
  if (!job || job->state != JobState::done || !job->result) co_return;
  const auto now = unix_now();
  for (const Alert& a : alerts_for(domain, previous, job->result->document, now)) {
    StoredAlert stored{0, a.domain, now, a.kind, a.severity, a.before, a.after, a.why, "pending"};
    const auto last = store_.last_alert_at(domain);
    const bool cooling = last && now - *last < options_.cooldown;
    stored.delivery = cooling ? "held back (cooldown)" : "pending";
    const auto alert_id = store_.add_alert(stored);  // committed before anything is sent
    if (cooling) {
      metrics_.count_alert(a.kind, false);
      continue;
    }
    const std::string delivery = co_await deliver(
        alert_to_json(a, now), "intransit: " + a.kind + " for " + a.domain, mail_text(a));
    store_.set_alert_delivery(alert_id, delivery);
    metrics_.count_alert(a.kind, delivery.find("failed") == std::string::npos);
  }
}

asio::awaitable<std::string> Monitor::deliver(const nlohmann::json& payload,
                                              const std::string& subject, const std::string& text) {
  std::string out;
  if (!options_.webhook.empty()) {
    const auto r = co_await post_webhook(
        options_.webhook, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        options_.webhook_ca_file, std::chrono::seconds(10));
    out += r.ok ? "webhook sent (" + r.detail + ")" : "webhook failed: " + r.detail;
  }
  if (!options_.mail_relay.empty() && !options_.mail_to.empty()) {
    const auto [host, port] = smtp::parse_relay(options_.mail_relay);
    const auto r = co_await send_alert_mail(host, port, options_.mail_from, options_.mail_to,
                                            subject, text, std::chrono::seconds(30));
    out += std::string(out.empty() ? "" : "; ") +
           (r.ok ? "mail sent (" + r.detail + ")" : "mail failed: " + r.detail);
  }
  co_return out.empty() ? std::string("not sent (no webhook or mail configured)") : out;
}

}  // namespace intransit::serve
