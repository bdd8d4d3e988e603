// fast_row.hpp — the DomainRow of one intransit.check/1 JSON line, read with simdjson instead of
// an nlohmann tree (issue 17: a 100,000-domain scan is 500 MB of JSON, and building a tree per
// line only to keep a dozen fields was nearly all of `report`'s time). simdjson's DOM parser
// validates the whole line (grammar and UTF-8), so a line is never half-read. Whatever it does
// not accept, or might read differently from nlohmann, is declined (nullopt) and the caller
// parses that line with nlohmann as before: the row, and every error message, stay the same.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "report/html/domain_row.hpp"

namespace intransit::report::html {

class FastRowReader {
 public:
  FastRowReader();
  ~FastRowReader();
  FastRowReader(const FastRowReader&) = delete;
  FastRowReader& operator=(const FastRowReader&) = delete;

  // The row of `line` when it is one JSON object whose "schema" is "intransit.check/1", equal to
  // domain_row(nlohmann::json::parse(line)); nullopt for any other line (not JSON, another
  // schema, nested deeper than kMaxJsonDepth, or a \u escape of a UTF-16 surrogate).
  std::optional<DomainRow> check_row(std::string_view line);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

}  // namespace intransit::report::html
