// command.cpp — see command.hpp.
#include "sink/command.hpp"

#include <array>
#include <cctype>

#include "core/limits.hpp"
#include "core/text.hpp"

namespace intransit::sink {
namespace {

struct VerbName {
  std::string_view name;
  Verb verb;
};
constexpr std::array<VerbName, 14> kVerbs{{
    {"helo", Verb::helo},
    {"ehlo", Verb::ehlo},
    {"mail", Verb::mail},
    {"rcpt", Verb::rcpt},
    {"data", Verb::data},
    {"bdat", Verb::bdat},
    {"rset", Verb::rset},
    {"noop", Verb::noop},
    {"quit", Verb::quit},
    {"starttls", Verb::starttls},
    {"vrfy", Verb::vrfy},
    {"expn", Verb::expn},
    {"help", Verb::help},
    {"auth", Verb::auth},
}};

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

bool any_control(std::string_view s) {
  for (const char c : s) {
    if (is_control(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Command parse_command(std::string_view line) {
  const auto space = line.find(' ');
  const std::string_view word = line.substr(0, space);
  Command out;
  if (word.size() <= 8) {
    const std::string lowered = text::lower(word);
    for (const auto& v : kVerbs) {
      if (v.name == lowered) out.verb = v.verb;
    }
  }
  if (space != std::string_view::npos) out.argument = line.substr(space + 1);
  return out;
}

bool MailPath::has(std::string_view keyword) const {
  for (const auto& p : parameters) {
    if (p.first == keyword) return true;
  }
  return false;
}

std::variant<MailPath, PathError> parse_path(std::string_view argument, std::string_view keyword) {
  const bool sender = keyword == "FROM:";
  const std::string syntax =
      sender ? "501 5.1.7 Bad sender address syntax" : "501 5.1.3 Bad recipient address syntax";
  if (any_control(argument)) return PathError{syntax};
  if (!iequals_prefix(argument, keyword))
    return PathError{"501 5.5.4 Syntax: " +
                     std::string(sender ? "MAIL FROM:<address>" : "RCPT TO:<address>")};
  std::string_view rest = argument.substr(keyword.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);  // tolerated, as Postfix does
  if (rest.empty() || rest.front() != '<') return PathError{syntax};
  const auto close = rest.find('>');
  if (close == std::string_view::npos) return PathError{syntax};
  MailPath out;
  std::string_view path = rest.substr(1, close - 1);
  if (path.size() > limits::kSmtpPath)
    return PathError{sender ? "501 5.1.7 Sender address too long"
                            : "501 5.1.3 Recipient address too long"};
  // A source route (RFC 5321 §4.1.2 "@a,@b:user@c") is accepted and ignored (Appendix C).
  if (!path.empty() && path.front() == '@') {
    const auto colon = path.find(':');
    if (colon == std::string_view::npos) return PathError{syntax};
    path.remove_prefix(colon + 1);
  }
  if (!path.empty()) {
    const auto at = path.rfind('@');
    if (at == std::string_view::npos) {
      if (sender || text::lower(path) != "postmaster") return PathError{syntax};
    } else {
      if (at == 0 || at > limits::kSmtpLocalPart || path.size() - at - 1 > limits::kSmtpDomain ||
          at + 1 == path.size())
        return PathError{syntax};
    }
    if (path.find(' ') != std::string_view::npos) return PathError{syntax};
  } else if (!sender) {
    return PathError{syntax};
  }
  out.address = std::string(path);
  std::string_view params = rest.substr(close + 1);
  while (!params.empty()) {
    while (!params.empty() && params.front() == ' ') params.remove_prefix(1);
    if (params.empty()) break;
    const auto end = params.find(' ');
    const std::string_view one = params.substr(0, end);
    params = end == std::string_view::npos ? std::string_view{} : params.substr(end);
    if (out.parameters.size() >= limits::kSmtpParameters)
      return PathError{"501 5.5.4 Too many parameters"};
    const auto eq = one.find('=');
    const std::string_view key = one.substr(0, eq);
    if (key.empty() || key.size() > 64) return PathError{"501 5.5.4 Bad parameter"};
    for (const char c : key) {
      if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-')
        return PathError{"501 5.5.4 Bad parameter"};
    }
    std::string value =
        eq == std::string_view::npos ? std::string() : std::string(one.substr(eq + 1));
    out.parameters.emplace_back(upper(key), std::move(value));
  }
  return out;
}

bool valid_helo_name(std::string_view name) {
  if (name.empty() || name.size() > limits::kSmtpDomain || any_control(name)) return false;
  return name.find(' ') == std::string_view::npos;
}

}  // namespace intransit::sink
