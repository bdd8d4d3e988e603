// input.hpp — reading saved intransit JSON for the report: JSON Lines (scan, check of several
// domains, a mailbox trace) or one pretty-printed document, each document recognised by its
// "schema" field. Hostile input is bounded (RELIABILITY.md item 36): a line or document over
// kMaxDocumentBytes and nesting deeper than kMaxJsonDepth are refused with the file and line.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "report/html/domain_row.hpp"

namespace intransit::report::html {

inline constexpr std::size_t kMaxDocumentBytes = 64u << 20;  // one check doc is ~10 KB
inline constexpr int kMaxJsonDepth = 64;                     // RELIABILITY.md item 36

enum class Kind {
  check,
  scan_header,
  scan_footer,
  trace,
  trace_summary,
  sink_report,
  outbound,
  keys,
  client
};

// A document that could not be read: the message names the file and the line.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Document {
  Kind kind;
  nlohmann::json json;                          // null when `row` is set
  std::size_t line;                             // 1-based line where the document starts
  std::optional<DomainRow> row = std::nullopt;  // see `check_rows` below
};

// Parses `content` (the bytes of a file called `name`) and calls `on_document` for each
// document in order. Throws InputError on invalid JSON, an unknown or missing schema, or a limit.
// With `check_rows`, every check document of JSON Lines input after the first comes as its
// DomainRow only (read by FastRowReader, json null) where that reader takes the line; the first
// one, and any line it declines, come whole as without it.
void parse_documents(std::string_view content, const std::string& name,
                     const std::function<void(Document&&)>& on_document, bool check_rows = false);
// Reads the file at `path` ("-" for standard input) and parses it as above.
void read_documents(const std::string& path, const std::function<void(Document&&)>& on_document,
                    bool check_rows = false);

}  // namespace intransit::report::html
