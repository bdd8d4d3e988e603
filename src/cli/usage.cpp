// usage.cpp — see usage.hpp.
#include "cli/usage.hpp"

#include <sys/stat.h>

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cmath>

namespace intransit::cli {
namespace {

bool is_ldh_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '.') {
      if (label == 0 || name[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && !(c == '-' && label > 0)) return false;
    if (++label > 63) return false;
  }
  return name.back() != '-';
}

bool is_address_literal(std::string_view text) {
  if (text.size() < 3 || text.front() != '[' || text.back() != ']') return false;
  std::string inner(text.substr(1, text.size() - 2));
  boost::system::error_code ec;
  if (inner.rfind("IPv6:", 0) == 0)
    return boost::asio::ip::make_address_v6(inner.substr(5), ec), !ec;
  return boost::asio::ip::make_address_v4(inner, ec), !ec;
}

}  // namespace

bool is_ip_literal(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.rfind("IPv6:", 0) == 0) text.remove_prefix(5);
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(text), ec);
  return !ec;
}

std::optional<unsigned short> parse_port(std::string_view text, std::string& error) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || text.front() == '+' || ec != std::errc{} ||
      end != text.data() + text.size() || port == 0 || port > 65535) {
    error = "'" + std::string(text) + "' is not a port number (1-65535)";
    return std::nullopt;
  }
  return static_cast<unsigned short>(port);
}

CLI::Validator seconds_between(double lo, double hi) {
  const std::string rule = "a number of seconds from " + CLI::detail::to_string(lo) + " to " +
                           CLI::detail::to_string(hi);
  return CLI::Validator(
      [lo, hi, rule](std::string& value) -> std::string {
        double seconds = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec != std::errc{} || end != value.data() + value.size() || !std::isfinite(seconds) ||
            seconds < lo || seconds > hi) {
          return "'" + value + "' is not " + rule;
        }
        return {};
      },
      "SECONDS");
}

CLI::Validator helo_name() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (is_ldh_name(value) || is_address_literal(value)) return {};
        return "'" + value +
               "' is not a host name or an address literal like [192.0.2.1] (RFC 5321 §4.1.3)";
      },
      "NAME");
}

CLI::Validator option_file() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return "cannot read '" + path + "'";
        if (!S_ISREG(st.st_mode)) return "'" + path + "' is not a regular file";
        if (static_cast<std::size_t>(st.st_size) > limits::kOptionFileBytes) {
          return "'" + path + "' is larger than " +
                 std::to_string(limits::kOptionFileBytes / (1024 * 1024)) + " MiB";
        }
        return {};
      },
      "FILE");
}

int run_guarded(const std::function<int()>& command, std::ostream& err) {
  try {
    return command();
  } catch (const std::exception& e) {
    err << "intransit: internal error: " << e.what() << "\n";
  } catch (...) {
    err << "intransit: internal error (unknown exception)\n";
  }
  return kExitSoftware;
}

std::optional<std::string> unknown_command_word(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--config" || word.rfind("--config=", 0) == 0) {
      std::string path =
          word == "--config" ? (i + 1 < argc ? argv[++i] : "") : std::string(word.substr(9));
      if (auto why = option_file()(path); !why.empty()) return "--config: " + why;
      continue;
    }
    if (word == "--help" || word == "-h" || word == "--version") return std::nullopt;
    if (word.rfind('-', 0) == 0) {
      return "unknown option '" + std::string(word) +
             "' (options go after the command; see intransit --help)";
    }
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->check_name(std::string(word))) return std::nullopt;
    }
    return "unknown command '" + std::string(word) + "' (see intransit --help for the commands)";
  }
  return std::nullopt;
}

}  // namespace intransit::cli
