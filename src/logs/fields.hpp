// fields.hpp — "key=value, key=value" fields as Postfix and Sendmail write them in a log
// message. Pure helpers over string_views.
#pragma once

#include <string_view>

namespace intransit::logs {

// The value of `key` ("relay=") in a ", "-separated field list: from after the key to the next
// ", " or the end. The key must start the message or follow ", ". Empty when absent.
inline std::string_view field(std::string_view message, std::string_view key,
                              std::size_t from = 0) {
  std::size_t pos = from;
  while ((pos = message.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || (pos >= 2 && message[pos - 2] == ',' && message[pos - 1] == ' ') ||
        (pos >= 2 && message[pos - 2] == ':' && message[pos - 1] == ' ')) {
      const auto start = pos + key.size();
      const auto end = message.find(", ", start);
      return message.substr(start,
                            end == std::string_view::npos ? std::string_view::npos : end - start);
    }
    pos += key.size();
  }
  return {};
}

inline bool has_field(std::string_view message, std::string_view key) {
  return message.find(key) != std::string_view::npos;
}

// The first word of `s` (up to a space or the end).
inline std::string_view first_word(std::string_view s) {
  return s.substr(0, s.find(' '));
}

// A queue id: Postfix short (hex) or long ids, Sendmail ids — letters and digits only.
inline bool is_queue_id(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (const char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!ok) return false;
  }
  return true;
}

}  // namespace intransit::logs
