// render.hpp — the HTML report renderer's entry point: a collection of saved intransit JSON in,
// one self-contained HTML page out (issue 17). A library without the command line, so that
// `serve` can reuse it.
#pragma once

#include <string>

#include "report/html/collection.hpp"

namespace intransit::report::html {

struct RenderOptions {
  std::string title;                     // "" for a title made from the input
  const Collection* baseline = nullptr;  // --baseline, compared with the population
  std::string generator = "intransit";   // <meta name="generator">, e.g. with the version
};

// True when the collection has something to show.
bool has_content(const Collection& c);
std::string render_report(const Collection& c, const RenderOptions& options);

}  // namespace intransit::report::html
