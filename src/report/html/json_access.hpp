// json_access.hpp — tolerant reads of saved JSON for the pages: a missing or mistyped field
// gives an empty value, never an exception (the input is a stranger's file).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace intransit::report::html {

inline const nlohmann::json& at(const nlohmann::json& j, const char* key) {
  static const nlohmann::json null;
  if (!j.is_object()) return null;
  const auto it = j.find(key);
  return it != j.end() ? *it : null;
}
inline std::string str(const nlohmann::json& j, const char* key) {
  const auto& v = at(j, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return {};
}
inline long long num(const nlohmann::json& j, const char* key) {
  const auto& v = at(j, key);
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_unsigned()) return static_cast<long long>(v.get<unsigned long long>());
  return 0;
}
inline bool flag(const nlohmann::json& j, const char* key) {
  const auto& v = at(j, key);
  return v.is_boolean() && v.get<bool>();
}
// The array at `key`, or an empty one.
inline const nlohmann::json& list(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const auto& v = at(j, key);
  return v.is_array() ? v : empty;
}

}  // namespace intransit::report::html
