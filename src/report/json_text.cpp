// json_text.cpp — see json_text.hpp.
#include "report/json_text.hpp"

#include "core/text.hpp"

namespace intransit::report {
namespace {

// A copy of `doc` with every string key and value made valid UTF-8.
nlohmann::json with_valid_utf8(const nlohmann::json& doc) {
  if (doc.is_string()) {
    const auto& s = doc.get_ref<const std::string&>();
    return text::is_valid_utf8(s) ? doc : nlohmann::json(text::printable(s));
  }
  if (doc.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : doc) out.push_back(with_valid_utf8(item));
    return out;
  }
  if (doc.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : doc.items()) {
      out[text::is_valid_utf8(key) ? key : text::printable(key)] = with_valid_utf8(value);
    }
    return out;
  }
  return doc;
}

}  // namespace

std::string json_text(const nlohmann::json& doc, int indent) {
  // Nearly every document is valid already: dump it as it is, and only copy and repair the rare
  // one that holds a stranger's invalid bytes.
  try {
    return doc.dump(indent);
  } catch (const nlohmann::json::type_error& e) {
    if (e.id != 316) throw;
  }
  return with_valid_utf8(doc).dump(indent);
}

}  // namespace intransit::report
