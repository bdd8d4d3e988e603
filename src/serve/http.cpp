// http.cpp — see http.hpp.
#include "serve/http.hpp"

#include <openssl/crypto.h>

#include <boost/beast/http/field.hpp>

#include "core/hex_digit.hpp"
#include "core/text.hpp"
#include "report/html/document.hpp"

namespace intransit::serve {
namespace {

std::map<std::string, std::string> url_encoded(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (key && value) out[*key] = std::move(*value);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string page_security_policy() {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
         "form-action 'self'; frame-ancestors 'none'; script-src '" +
         report::html::filter_script_hash() + "'";
}

Response make_response(http::status status, std::string content_type, std::string body,
                       unsigned version) {
  Response r{status, version};
  r.set(http::field::server, "intransit");
  r.set(http::field::content_type, content_type);
  r.set(http::field::cache_control, "no-store");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("X-Frame-Options", "DENY");
  r.set("Referrer-Policy", "no-referrer");
  r.set("Content-Security-Policy", page_security_policy());
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

Response html_response(http::status status, std::string body) {
  return make_response(status, "text/html; charset=utf-8", std::move(body));
}

Response json_response(http::status status, const nlohmann::json& body) {
  return make_response(status, "application/json",
                       body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Response problem(http::status status, std::string_view detail) {
  nlohmann::json p = {{"type", "about:blank"},
                      {"title", std::string(http::obsolete_reason(status))},
                      {"status", static_cast<int>(status)},
                      {"detail", text::printable(detail)}};
  return make_response(status, "application/problem+json",
                       p.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Response redirect(std::string_view location) {
  Response r = make_response(http::status::see_other, "text/plain; charset=utf-8", "");
  r.set(http::field::location, std::string(location));
  return r;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // fewer than two characters follow
      const int hi = text::hex_value(text[i + 1]), lo = text::hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += (plus_is_space && c == '+') ? ' ' : c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  return text::percent_encode(s);
}

std::optional<std::vector<std::string>> path_segments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> out;
  while (!target.empty()) {
    const auto slash = target.find('/');
    const std::string_view seg = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view{} : target.substr(slash + 1);
    if (seg.empty()) continue;
    auto decoded = percent_decode(seg, false);
    if (!decoded || !text::is_valid_utf8(*decoded)) return std::nullopt;
    out.push_back(std::move(*decoded));
  }
  return out;
}

std::map<std::string, std::string> query_parameters(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  return url_encoded(target.substr(q + 1));
}

std::map<std::string, std::string> form_fields(std::string_view body) {
  return url_encoded(body);
}

std::optional<std::string> cookie(const Request& request, std::string_view name) {
  const auto it = request.find(http::field::cookie);
  if (it == request.end()) return std::nullopt;
  std::string_view rest(it->value().data(), it->value().size());
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    const std::string_view pair = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

bool same_secret(std::string_view given, std::string_view expected) {
  if (expected.empty() || given.size() != expected.size()) return false;
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

std::optional<std::string> bearer_token(const Request& request) {
  const auto it = request.find(http::field::authorization);
  if (it == request.end()) return std::nullopt;
  const std::string_view v(it->value().data(), it->value().size());
  constexpr std::string_view kBearer = "Bearer ";
  if (v.size() <= kBearer.size() || v.substr(0, kBearer.size()) != kBearer) return std::nullopt;
  return std::string(trim(v.substr(kBearer.size())));
}

}  // namespace intransit::serve
