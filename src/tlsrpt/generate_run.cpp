// generate_run.cpp — see generate_run.hpp. Domains are audited concurrently (the engine bounds
// how many at once); submissions go one after another. Every await goes into a local first
// (GCC 12, STYLE.md).
#include "tlsrpt/generate_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "check/http_url.hpp"
#include "core/text.hpp"
#include "logs/log_source.hpp"
#include "policy/mailto.hpp"
#include "smtp/submit.hpp"
#include "tlsrpt/report_mail.hpp"

namespace intransit::tlsrpt {
namespace asio = boost::asio;

DomainPolicy policy_from_facts(const check::DomainFacts& f, std::string& why_no_rua) {
  DomainPolicy p;
  if (f.tls_rpt.record) {
    p.rua = f.tls_rpt.record->rua;
  } else if (!f.tls_rpt.error.empty()) {
    why_no_rua = "its TLS-RPT record is unusable: " + f.tls_rpt.error;
  } else if (!f.tls_rpt.txt.conclusive()) {
    why_no_rua = "its TLS-RPT record could not be looked up (" +
                 std::string(dns::to_string(f.tls_rpt.txt.status)) + ")";
  } else {
    why_no_rua = "it publishes no TLS-RPT record (_smtp._tls." + f.domain + ")";
  }
  const auto& sts = f.mta_sts;
  if (sts.policy && sts.policy->mode != policy::StsMode::none && sts.fetch &&
      sts.fetch->status == check::FetchStatus::ok) {
    p.type = PolicyType::sts;
    std::string_view body = sts.fetch->body;
    while (!body.empty()) {  // RFC 8460 §4.2: the policy's lines, one string each
      const auto nl = body.find('\n');
      auto line = body.substr(0, nl);
      body = nl == std::string_view::npos ? std::string_view{} : body.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) p.policy_string.push_back(text::printable(line));
    }
    p.mx_host = sts.policy->mx;
    return p;
  }
  std::set<std::string> seen;
  for (const auto& mx : f.mx) {
    if (!mx.dane_applies) continue;
    for (const auto& t : mx.tlsa) {
      if (seen.insert(t.to_string()).second) p.policy_string.push_back(t.to_string());
    }
  }
  if (!p.policy_string.empty()) p.type = PolicyType::tlsa;
  return p;
}

std::string setup_problem(const GenerateSetup& s) {
  if (!smtp::plain_address(s.mail_from) || s.mail_from.find('@') == std::string::npos)
    return "--mail-from '" + text::printable(s.mail_from) + "' is not a usable address";
  if (!s.relay.empty() && smtp::parse_relay(s.relay).port == 0)
    return "--mail-relay '" + text::printable(s.relay) + "': the port is not a number in 1-65535";
  return {};
}

bool read_deliveries(const GenerateSetup& s, std::vector<logs::Delivery>& out,
                     GenerateResult& result) {
  const auto ctx = logs::TimeContext::at(s.now);
  logs::LogParser parser(ctx, logs::prescan_tls_logged(s.logs));
  const auto emit = [&](logs::Delivery& d) {
    if (!d.time_known || d.time < s.report.day || d.time >= s.report.day + 86'400) {
      ++result.outside_day;
      return;
    }
    d.lines.clear();  // the evidence is not needed in a report
    out.push_back(std::move(d));
  };
  bool any = false;
  for (const auto& path : logs::order_inputs(s.logs, ctx)) {
    std::string error;
    any = logs::read_input(path, parser, emit, error) || any;
    result.inputs.push_back({path, error});
  }
  result.lines = parser.stats();
  return any;
}

namespace {

// A coroutine's parameters live in its frame (a lambda's captures would not): hence a function.
asio::awaitable<void> audit_into(check::Engine& engine, std::string domain,
                                 check::DomainFacts& slot) {
  auto report = co_await engine.audit(std::move(domain));
  slot = std::move(report.facts);
}

asio::awaitable<Submitted> send_mail(check::Engine& engine, const GeneratedReport& r,
                                     const std::string& rua, const GenerateSetup& s) {
  Submitted out{rua, false, {}};
  const auto to = policy::mailto_address(rua);
  if (!to) {
    out.detail = "not a mailto: address an SMTP relay can take";
    co_return out;
  }
  if (s.relay.empty()) {
    out.detail = "not sent: no --mail-relay";
    co_return out;
  }
  const ReportMail mail{s.mail_from, *to, s.report.submitter, s.report.organization, s.now};
  smtp::Submission message{s.mail_from, {*to}, smtp::data_lines(report_message(r, mail))};
  smtp::SubmitOptions options{s.submit_deadline, s.require_tls, engine.options().ca_file};
  const auto sent =
      co_await smtp::submit(smtp::parse_relay(s.relay), std::move(message), std::move(options));
  out.ok = sent.ok;
  out.detail = sent.detail;
  co_return out;
}

asio::awaitable<Submitted> send_post(check::Engine& engine, const GeneratedReport& r,
                                     const std::string& rua, const GenerateSetup& s) {
  Submitted out{rua, false, {}};
  const auto url = check::parse_http_url(rua);
  if (!url || !url->tls) {
    out.detail = "not an https: URL (RFC 8460 §3 allows no plain http)";
    co_return out;
  }
  check::HttpsRequest request;
  request.host = url->host;
  request.path = url->target;
  request.port = static_cast<unsigned short>(std::stoi(url->port));
  request.port_from_url = true;
  request.post_body = r.gzip;
  request.post_type = "application/tlsrpt+gzip";  // RFC 8460 §5.4
  request.content_types = {};
  request.deadline = std::chrono::duration_cast<std::chrono::milliseconds>(s.submit_deadline);
  request.noun = "answer";
  const auto posted = co_await engine.fetch(std::move(request));
  out.ok = posted.status == check::FetchStatus::ok;
  out.detail = posted.detail;
  co_return out;
}

asio::awaitable<void> submit_all(check::Engine& engine, const GenerateSetup& s, DomainOutcome& d) {
  for (const auto& rua : d.report->rua) {
    const bool https = rua.size() >= 8 && text::lower(rua.substr(0, 8)) == "https://";
    Submitted sent;
    if (https)
      sent = co_await send_post(engine, *d.report, rua, s);
    else
      sent = co_await send_mail(engine, *d.report, rua, s);
    d.submitted.push_back(std::move(sent));
  }
}

// Writes the gzip'd report next to a temporary name, then renames it: a reader of --out never
// sees half a report.
void write_report(const std::string& dir, DomainOutcome& d) {
  const auto path = std::filesystem::path(dir) / d.report->file_name;
  const auto partial = path.string() + ".part";
  {
    std::ofstream f(partial, std::ios::binary | std::ios::trunc);
    f.write(d.report->gzip.data(), static_cast<std::streamsize>(d.report->gzip.size()));
    f.close();
    if (!f) {
      d.write_error = "cannot write " + partial;
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    d.write_error = "cannot rename " + partial + ": " + ec.message();
    return;
  }
  d.path = path.string();
}

}  // namespace

asio::awaitable<void> generate_and_send(check::Engine& engine, const GenerateSetup& s,
                                        std::vector<logs::Delivery> deliveries,
                                        GenerateResult& result) {
  std::map<std::string, std::uint64_t> per_domain;
  for (const auto& d : deliveries) {
    if (!d.recipient_domain.empty()) ++per_domain[d.recipient_domain];
  }
  std::vector<std::string> domains;
  for (const auto& [name, n] : per_domain) domains.push_back(name);
  // Every audit at once (the engine lets max_audits_in_flight run); wait for all of them.
  std::vector<check::DomainFacts> facts(domains.size());
  const auto executor = co_await asio::this_coro::executor;
  auto pending = std::make_shared<std::size_t>(domains.size());
  asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < domains.size(); ++i) {
    asio::co_spawn(executor, audit_into(engine, domains[i], facts[i]),
                   [pending, &all_done](std::exception_ptr) {
                     if (--*pending == 0) all_done.cancel();
                   });
  }
  if (!domains.empty()) {
    boost::system::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  std::map<std::string, DomainPolicy> policies;
  std::map<std::string, std::string> why;
  for (std::size_t i = 0; i < domains.size(); ++i)
    policies[domains[i]] = policy_from_facts(facts[i], why[domains[i]]);
  auto reports = generate_reports(deliveries, policies, s.report);
  for (const auto& name : domains) {
    DomainOutcome d;
    d.domain = name;
    d.deliveries = per_domain[name];
    d.policy = policies[name];
    const auto it = std::find_if(reports.begin(), reports.end(),
                                 [&](const GeneratedReport& r) { return r.domain == name; });
    if (it != reports.end()) {
      d.report = std::move(*it);
    } else {
      d.skipped = d.policy.rua.empty() ? why[name] : "no TLS session took place that day";
    }
    result.domains.push_back(std::move(d));
  }
  for (auto& d : result.domains) {
    if (!d.report) continue;
    write_report(s.out_dir, d);
    if (s.submit) co_await submit_all(engine, s, d);
  }
}

}  // namespace intransit::tlsrpt
