// page_routes.cpp — the web pages of `serve`, server-rendered HTML that works without
// JavaScript and fetches nothing (the report's frame and renderer, report/html): a form for a
// domain and its result page, a form for pasted headers and their trace, and the monitored
// domains with their history and the alert log (behind the admin token: a login form sets an
// HttpOnly, SameSite=Strict cookie, so another site cannot post these forms with it).
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange

#include <boost/asio/use_awaitable.hpp>

#include <ctime>

#include "check/audit.hpp"
#include "report/html/document.hpp"
#include "report/html/pages.hpp"
#include "report/html/vocabulary.hpp"
#include "report/html/writer.hpp"
#include "report/trace_report.hpp"
#include "serve/monitor.hpp"
#include "serve/service.hpp"

namespace intransit::serve {
namespace asio = boost::asio;
namespace html = report::html;
using html::Esc;

namespace {

constexpr std::string_view kFooter =
    "Measured by this intransit server from where it runs: another vantage point can see other "
    "answers. It tests the receiving side of mail in transit; it does not see what senders do, "
    "nor whether messages are encrypted end to end.";

html::Frame frame(const std::string& csp) {
  html::Frame f;
  f.label = "intransit";
  f.security_policy = csp;
  f.footer = kFooter;
  return f;
}

std::string utc(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

void nav(html::Writer& w) {
  w << "<nav class=\"card\"><a href=\"/\">Check a domain</a> · <a href=\"/trace\">Trace a "
       "message</a> · <a href=\"/monitor\">Monitored domains</a></nav>";
}

void domain_form(html::Writer& w, std::string_view value) {
  w << "<form method=\"get\" action=\"/check\" class=\"filter\"><label for=\"domain\">Mail "
       "domain</label> <input id=\"domain\" name=\"domain\" required maxlength=\"253\" "
       "placeholder=\"example.org\" value=\""
    << Esc{value} << "\"> <button type=\"submit\">Check</button></form>";
}

std::string page_html(const std::string& title, const std::string& generator,
                      const std::function<void(html::Writer&)>& body) {
  const std::string csp = page_security_policy();
  const auto f = frame(csp);
  html::Writer w;
  html::open_page(w, title, generator, f);
  nav(w);
  body(w);
  html::close_page(w, f);
  return w.take();
}

void verdict_cell(html::Writer& w, std::string_view verdict) {
  if (const auto v = html::parse_verdict(verdict)) {
    html::verdict_badge(w, *v);
  } else {
    w << Esc{verdict};
  }
}

}  // namespace

Response Service::home_page() {
  return html_response(
      http::status::ok,
      page_html(
          "Is mail to a domain protected in transit?", options_.generator, [](html::Writer& w) {
            w << "<section><p>Type a mail domain: this server looks up its MX hosts, DNSSEC, DANE "
                 "and "
                 "MTA-STS, connects to each mail server and says whether mail to it is protected "
                 "against a passive eavesdropper and an active attacker.</p>";
            domain_form(w, "");
            w << "</section>";
          }));
}

asio::awaitable<Response> Service::check_page(const Request& request, const Client& client) {
  const auto q = query_parameters(target_of(request));
  std::optional<JobView> job;
  std::string name;
  if (const auto j = q.find("job"); j != q.end()) {
    job = co_await checker_.wait(j->second, options_.sync_wait);
    if (!job)
      co_return html_response(http::status::not_found,
                              page_html("No such check", options_.generator, [](html::Writer& w) {
                                w << "<p>That check is no longer known; start it again.</p>";
                                domain_form(w, "");
                              }));
  } else {
    if (const auto d = q.find("domain"); d != q.end()) name = d->second;
    const auto domain = check::normalise_domain(name);
    if (!domain) {
      co_return html_response(
          http::status::bad_request,
          page_html("Not a domain name", options_.generator, [&](html::Writer& w) {
            w << "<p>“" << Esc{name} << "” is not a domain name.</p>";
            domain_form(w, name);
          }));
    }
    const bool fresh = q.contains("fresh");
    if (fresh && !allow_work(client)) {
      co_return html_response(http::status::too_many_requests,
                              page_html("Slow down", options_.generator, [](html::Writer& w) {
                                w << "<p>Too many checks from your address; wait a little.</p>";
                              }));
    }
    const auto id = checker_.start(*domain, fresh);
    if (!id) {
      metrics_.count_refusal("busy");
      co_return html_response(
          http::status::too_many_requests,
          page_html("Busy", options_.generator, [](html::Writer& w) {
            w << "<p>This server is running as many checks as it may. Try again in a minute.</p>";
          }));
    }
    job = co_await checker_.wait(*id, options_.sync_wait);
  }
  if (job->state == JobState::running) {
    Response r = html_response(
        http::status::accepted,
        page_html("Checking " + job->domain + "…", options_.generator, [&](html::Writer& w) {
          w << "<p>The check is still running. <a href=\"/check?job=" << Esc{job->id}
            << "\">See whether it has finished</a> (this page also reloads by itself).</p>";
        }));
    r.set("Refresh", "5; url=/check?job=" + job->id);
    co_return r;
  }
  if (job->state == JobState::failed || !job->result) {
    co_return html_response(http::status::internal_server_error,
                            page_html("The check failed", options_.generator, [&](html::Writer& w) {
                              w << "<p>" << Esc{job->error} << "</p>";
                            }));
  }
  const StoredCheck& c = *job->result;
  co_return html_response(
      http::status::ok, page_html("Mail to " + c.domain, options_.generator, [&](html::Writer& w) {
        w << "<section class=\"card\"><p>Measured <time>" << Esc{utc(c.measured_at)}
          << "</time> in "
          << Esc{std::to_string(static_cast<double>(c.duration_ms) / 1000.0).substr(0, 5)} << " s"
          << Esc{job->cached ? " (a stored result; checks are reused for a while)" : ""}
          << ".</p><form method=\"get\" action=\"/check\"><input type=\"hidden\" name=\"domain\" "
             "value=\""
          << Esc{c.domain}
          << "\"><input type=\"hidden\" name=\"fresh\" value=\"1\"><button "
             "type=\"submit\">Check again now</button></form></section>";
        if (c.document.is_object()) html::domain_page(w, c.document);
      }));
}

Response Service::trace_page(const Request& request, const Client& client) {
  const auto form = [](html::Writer& w, std::string_view text) {
    w << "<form method=\"post\" action=\"/trace\"><p><label for=\"headers\">Paste a message's "
         "header block (Received lines and all; the body is not needed)</label></p><textarea "
         "id=\"headers\" name=\"headers\" rows=\"14\" cols=\"100\" required>"
      << Esc{text} << "</textarea><p><button type=\"submit\">Trace</button></p></form>";
  };
  if (request.method() != http::verb::post) {
    return html_response(http::status::ok, page_html("Trace a message's path", options_.generator,
                                                     [&](html::Writer& w) { form(w, ""); }));
  }
  if (!allow_work(client)) {
    return html_response(http::status::too_many_requests,
                         page_html("Slow down", options_.generator, [](html::Writer& w) {
                           w << "<p>Too many requests from your address.</p>";
                         }));
  }
  const auto fields = form_fields(request.body());
  const auto it = fields.find("headers");
  const std::string headers = it == fields.end() ? "" : it->second;
  const auto t = trace::trace_bytes(headers, options_.trust, "pasted");
  const nlohmann::json doc = report::trace_to_json(t);
  return html_response(http::status::ok,
                       page_html("The path of a message", options_.generator, [&](html::Writer& w) {
                         html::trace_page(w, {doc}, {});
                         form(w, headers);
                       }));
}

Response Service::login(const Request& request) {
  const auto fields = form_fields(request.body());
  const auto it = fields.find("token");
  if (options_.admin_token.empty() || it == fields.end() ||
      !same_secret(it->second, options_.admin_token)) {
    return html_response(
        http::status::unauthorized, page_html("Sign in", options_.generator, [](html::Writer& w) {
          w << "<p>That is not the admin token.</p><p><a href=\"/monitor\">Try again</a></p>";
        }));
  }
  Response r = redirect("/monitor");
  r.set(http::field::set_cookie,
        "intransit_admin=" + options_.admin_token + "; Path=/; HttpOnly; SameSite=Strict" +
            (request.find("X-Forwarded-Proto") != request.end() ? "; Secure" : ""));
  return r;
}

Response Service::monitor_page(const Request& request) {
  if (!is_admin(request)) {
    // The sign-in form is an ordinary page (200): it shows nothing private, and a browser logs
    // every 4xx page load as an error. The data behind it (and the API) still answer 401.
    return html_response(
        http::status::ok, page_html("Monitored domains", options_.generator, [&](html::Writer& w) {
          if (options_.admin_token.empty()) {
            w << "<p>Monitoring is managed with an admin token; this server was started without "
                 "one (--admin-token-file).</p>";
            return;
          }
          w << "<form method=\"post\" action=\"/login\" class=\"filter\"><label "
               "for=\"token\">Admin "
               "token</label> <input id=\"token\" name=\"token\" type=\"password\" required> "
               "<button type=\"submit\">Sign in</button></form>";
        }));
  }
  const auto monitored = store_.monitored();
  const auto alerts = store_.alerts("", 50);
  return html_response(
      http::status::ok, page_html("Monitored domains", options_.generator, [&](html::Writer& w) {
        w << "<section><h2>Domains</h2><div class=\"scroll\"><table><thead><tr><th "
             "scope=\"col\">Domain"
             "</th><th scope=\"col\">Verdict</th><th scope=\"col\">Last checked</th><th "
             "scope=\"col\">Next check</th><th scope=\"col\"></th></tr></thead><tbody>";
        for (const auto& m : monitored) {
          const auto latest = store_.latest_check(m.domain);
          w << "<tr><td><a href=\"/history/" << Esc{percent_encode(m.domain)} << "\">"
            << Esc{m.domain} << "</a></td><td>";
          if (latest)
            verdict_cell(w, latest->verdict);
          else
            w << "not yet checked";
          w << "</td><td>" << Esc{latest ? utc(latest->measured_at) : "—"} << "</td><td>"
            << Esc{utc(m.next_at)}
            << "</td><td><form method=\"post\" action=\"/monitor\"><input "
               "type=\"hidden\" name=\"remove\" value=\""
            << Esc{m.domain}
            << "\"><button type=\"submit\">Stop monitoring</button></form></td></tr>";
        }
        w << "</tbody></table></div><form method=\"post\" action=\"/monitor\" "
             "class=\"filter\"><label "
             "for=\"add\">Monitor a domain</label> <input id=\"add\" name=\"add\" required "
             "maxlength=\"253\"> <button type=\"submit\">Add</button></form></section>";
        w << "<section><h2>Alerts</h2>";
        if (alerts.empty())
          w << "<p>No alert yet.</p>";
        else {
          w << "<div class=\"scroll\"><table id=\"alerts\"><thead><tr><th "
               "scope=\"col\">When</th><th "
               "scope=\"col\">Domain</th><th scope=\"col\">What</th><th "
               "scope=\"col\">Before</th><th "
               "scope=\"col\">After</th><th scope=\"col\">Why</th><th "
               "scope=\"col\">Sent</th></tr></thead><tbody>";
          for (const auto& a : alerts) {
            w << "<tr><td>" << Esc{utc(a.at)} << "</td><td>" << Esc{a.domain} << "</td><td>"
              << Esc{a.kind} << " (" << Esc{a.severity} << ")</td><td>" << Esc{a.before}
              << "</td><td>" << Esc{a.after} << "</td><td>" << Esc{a.why} << "</td><td>"
              << Esc{a.delivery} << "</td></tr>";
          }
          w << "</tbody></table></div>";
        }
        w << "</section>";
      }));
}

Response Service::monitor_form(const Request& request) {
  if (!is_admin(request)) return problem(http::status::unauthorized, "sign in first");
  const auto fields = form_fields(request.body());
  if (const auto add = fields.find("add"); add != fields.end()) {
    const auto domain = check::normalise_domain(add->second);
    if (!domain) return problem(http::status::bad_request, "not a domain name");
    const auto now = unix_now();
    store_.add_monitored(*domain, now, now);
    if (monitor_ != nullptr) monitor_->wake();
  } else if (const auto rm = fields.find("remove"); rm != fields.end()) {
    if (const auto domain = check::normalise_domain(rm->second)) store_.remove_monitored(*domain);
  }
  return redirect("/monitor");
}

Response Service::history_page(const Request& request, const std::string& name) {
  if (!is_admin(request)) return redirect("/monitor");
  const auto domain = check::normalise_domain(name);
  if (!domain) return problem(http::status::bad_request, "not a domain name");
  const auto history = store_.history(*domain, 200);
  const auto alerts = store_.alerts(*domain, 100);
  return html_response(
      http::status::ok,
      page_html("History of " + *domain, options_.generator, [&](html::Writer& w) {
        w << "<section><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Measured</th><th "
             "scope=\"col\">Verdict</th><th scope=\"col\">Took</th></tr></thead><tbody>";
        for (const auto& c : history) {
          w << "<tr><td>" << Esc{utc(c.measured_at)} << "</td><td>";
          verdict_cell(w, c.verdict);
          w << "</td><td>" << c.duration_ms << " ms</td></tr>";
        }
        w << "</tbody></table></div></section><section><h2>Alerts</h2><ul>";
        for (const auto& a : alerts)
          w << "<li>" << Esc{utc(a.at)} << ": " << Esc{a.kind} << ": " << Esc{a.before} << " → "
            << Esc{a.after} << " — " << Esc{a.why} << "</li>";
        w << "</ul></section>";
      }));
}

asio::awaitable<Service::Routed> Service::page(const Request& request,
                                               const std::vector<std::string>& path,
                                               const Client& client) {
  const auto method = request.method();
  const bool get = method == http::verb::get || method == http::verb::head;
  const bool post = method == http::verb::post;
  const std::string first = path.empty() ? "" : path[0];
  if (path.empty())
    co_return Routed{"/", get ? home_page() : problem(http::status::method_not_allowed, "use GET")};
  if (first == "check" && path.size() == 1 && get) {
    Response checked = co_await check_page(request, client);  // not inside the braces: GCC 12 bug
    co_return Routed{"/check", std::move(checked)};
  }
  if (first == "trace" && path.size() == 1 && (get || post))
    co_return Routed{"/trace", trace_page(request, client)};
  if (first == "monitor" && path.size() == 1 && get)
    co_return Routed{"/monitor", monitor_page(request)};
  if (first == "monitor" && path.size() == 1 && post)
    co_return Routed{"/monitor", monitor_form(request)};
  if (first == "login" && path.size() == 1 && post) co_return Routed{"/login", login(request)};
  if (first == "history" && path.size() == 2 && get)
    co_return Routed{"/history/{domain}", history_page(request, path[1])};
  co_return Routed{"other",
                   html_response(http::status::not_found,
                                 page_html("Not found", options_.generator, [](html::Writer& w) {
                                   w << "<p>There is no such page here.</p>";
                                 }))};
}

}  // namespace intransit::serve
