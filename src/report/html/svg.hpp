// svg.hpp — charts drawn by the program as inline SVG (no script, no font, no image fetched):
// horizontal bar charts and a stacked share bar. Every chart has role="img", a <title> and a
// <desc> (WAI-ARIA Graphics, SVG 2 §5.5), and every bar carries its label and count as text, so
// colour is never the only signal. The geometry is pure and unit-tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/html/writer.hpp"

namespace intransit::report::html {

struct Segment {
  double x = 0;
  double width = 0;
};

// Lays `counts` side by side along `width`, each in proportion to its count. Zero counts get
// zero width; when the total is not zero the widths sum to `width` exactly (the last non-empty
// segment takes the rounding rest). All zero: every segment is empty.
std::vector<Segment> stacked_layout(const std::vector<long long>& counts, double width);
// Bar lengths in proportion to the largest count, which gets `max_width`; negative counts are 0.
std::vector<double> bar_lengths(const std::vector<long long>& counts, double max_width);

struct Bar {
  std::string label;
  long long count = 0;
  std::string_view tone = "none";  // CSS tone: good, fair, warn, bad, none
  std::string_view symbol;         // shown before the label (may be empty)
};

// A horizontal bar chart: one row per bar with its label, its bar and its count (and the share
// of `total` when total > 0). `shown`, when given, holds per bar the text shown instead of the
// count (e.g. "75.0% (3 of 4)").
void bar_chart(Writer& w, std::string_view title, std::string_view desc,
               const std::vector<Bar>& bars, long long total,
               const std::vector<std::string>& shown = {});
// One bar of shares (e.g. the verdict mix), with a legend listing every part in words.
void share_bar(Writer& w, std::string_view title, std::string_view desc,
               const std::vector<Bar>& parts);

}  // namespace intransit::report::html
