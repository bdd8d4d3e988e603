// collection.cpp — see collection.hpp.
#include "report/html/collection.hpp"

namespace intransit::report::html {

void Collection::add(Document&& doc, const std::string& file) {
  switch (doc.kind) {
    case Kind::check:
      if (const auto k = doc.json.find("keys");
          doc.json.is_object() && k != doc.json.end() && k->is_array())
        for (const auto& one : *k) keys.push_back(one);
      domains.push_back(doc.row ? std::move(*doc.row) : domain_row(doc.json));
      if (first_check.is_null()) first_check = std::move(doc.json);
      break;
    case Kind::scan_header: scans.push_back({file, std::move(doc.json), nullptr}); break;
    case Kind::scan_footer:
      if (scans.empty() || scans.back().file != file || !scans.back().footer.is_null())
        scans.push_back({file, nullptr, nullptr});
      scans.back().footer = std::move(doc.json);
      break;
    case Kind::trace: traces.push_back(std::move(doc.json)); break;
    case Kind::trace_summary: trace_summaries.push_back(std::move(doc.json)); break;
    case Kind::sink_report: sink_reports.push_back(std::move(doc.json)); break;
    case Kind::outbound: outbound.push_back(std::move(doc.json)); break;
    case Kind::keys: keys.push_back(std::move(doc.json)); break;
    case Kind::client: clients.push_back(std::move(doc.json)); break;
  }
}

void Collection::read(const std::string& path) {
  files.push_back(path);
  read_documents(
      path, [&](Document&& doc) { add(std::move(doc), path); }, true);
}

}  // namespace intransit::report::html
