// collection.hpp — what the report keeps from its input documents: every check document as a
// compact DomainRow (the first one also whole, for the one-domain page), the scan headers and
// footers (the stamps a comparison shows), and the trace, sink, outbound, keys and client
// documents whole; the intransit.keys/1 objects of a check's `keys` member join `keys`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/html/domain_row.hpp"
#include "report/html/input.hpp"

namespace intransit::report::html {

struct ScanStamp {
  std::string file;
  nlohmann::json header;  // null when the file had none
  nlohmann::json footer;  // null when the scan did not finish
};

struct Collection {
  std::vector<DomainRow> domains;
  nlohmann::json first_check;  // null unless a check document was read
  std::vector<ScanStamp> scans;
  std::vector<nlohmann::json> traces, trace_summaries, sink_reports, outbound;
  std::vector<nlohmann::json> keys, clients;
  std::vector<std::string> files;

  // Adds one document read from `file`.
  void add(Document&& doc, const std::string& file);
  // Reads every document of the file at `path` into the collection (throws InputError).
  void read(const std::string& path);
};

}  // namespace intransit::report::html
