// svg.cpp — see svg.hpp. Coordinates are in a 640-unit-wide viewBox that scales with the page.
#include "report/html/svg.hpp"

#include <algorithm>
#include <numeric>

namespace intransit::report::html {
namespace {

constexpr double kWidth = 640;
constexpr double kLabelWidth = 230;
constexpr double kCountWidth = 110;
constexpr double kRow = 26;

void percent(Writer& w, long long part, long long total) {
  if (total <= 0) return;
  w << " (";
  w.fixed(100.0 * static_cast<double>(part) / static_cast<double>(total), 1);
  w << "%)";
}

void open_svg(Writer& w, std::string_view title, std::string_view desc, double height) {
  w << "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 640 ";
  w.fixed(height, 0);
  w << "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" << Esc{title} << "</title><desc>"
    << Esc{desc} << "</desc>";
}

}  // namespace

std::vector<Segment> stacked_layout(const std::vector<long long>& counts, double width) {
  std::vector<Segment> out(counts.size());
  long long total = 0;
  for (const auto c : counts) total += std::max(c, 0LL);
  if (total == 0) return out;
  double x = 0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    out[i].x = x;
    out[i].width =
        width * static_cast<double>(std::max(counts[i], 0LL)) / static_cast<double>(total);
    x += out[i].width;
    if (counts[i] > 0) last = i;
  }
  out[last].width = width - out[last].x;  // absorb rounding so the parts fill the bar
  for (std::size_t i = last + 1; i < out.size(); ++i) out[i].x = width;
  return out;
}

std::vector<double> bar_lengths(const std::vector<long long>& counts, double max_width) {
  long long top = 0;
  for (const auto c : counts) top = std::max(top, c);
  std::vector<double> out;
  out.reserve(counts.size());
  for (const auto c : counts) {
    out.push_back(top > 0
                      ? max_width * static_cast<double>(std::max(c, 0LL)) / static_cast<double>(top)
                      : 0.0);
  }
  return out;
}

void bar_chart(Writer& w, std::string_view title, std::string_view desc,
               const std::vector<Bar>& bars, long long total,
               const std::vector<std::string>& shown) {
  std::vector<long long> counts;
  for (const auto& b : bars) counts.push_back(b.count);
  const auto lengths = bar_lengths(counts, kWidth - kLabelWidth - kCountWidth);
  open_svg(w, title, desc, kRow * static_cast<double>(std::max<std::size_t>(bars.size(), 1)));
  if (bars.empty()) w << "<text x=\"0\" y=\"18\">(none)</text>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = kRow * static_cast<double>(i);
    w << "<g><title>" << Esc{bars[i].label} << ": ";
    if (i < shown.size())
      w << Esc{shown[i]};
    else
      w << bars[i].count;
    if (i >= shown.size()) percent(w, bars[i].count, total);
    w << "</title><text class=\"lbl\" x=\"0\" y=\"";
    w.fixed(y + 18, 0);
    w << "\">" << Esc{bars[i].symbol} << Esc{bars[i].symbol.empty() ? "" : " "}
      << Esc{bars[i].label.size() > 32 ? bars[i].label.substr(0, 31) + "\u2026" : bars[i].label}
      << "</text><rect class=\"t-" << Esc{bars[i].tone} << "\" x=\"";
    w.fixed(kLabelWidth, 0);
    w << "\" y=\"";
    w.fixed(y + 5, 0);
    w << "\" width=\"";
    w.fixed(lengths[i], 2);
    w << "\" height=\"16\"/><text class=\"num\" x=\"";
    w.fixed(kLabelWidth + lengths[i] + 6, 2);
    w << "\" y=\"";
    w.fixed(y + 18, 0);
    w << "\">";
    if (i < shown.size()) {
      w << Esc{shown[i]};
    } else {
      w << bars[i].count;
      percent(w, bars[i].count, total);
    }
    w << "</text></g>";
  }
  w << "</svg>";
}

void share_bar(Writer& w, std::string_view title, std::string_view desc,
               const std::vector<Bar>& parts) {
  std::vector<long long> counts;
  for (const auto& p : parts) counts.push_back(p.count);
  const long long total = std::accumulate(counts.begin(), counts.end(), 0LL);
  const auto segments = stacked_layout(counts, kWidth);
  open_svg(w, title, desc, 30);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (segments[i].width <= 0) continue;
    w << "<rect class=\"part t-" << Esc{parts[i].tone} << "\" x=\"";
    w.fixed(segments[i].x, 2);
    w << "\" y=\"0\" width=\"";
    w.fixed(segments[i].width, 2);
    w << "\" height=\"30\"><title>" << Esc{parts[i].label} << ": " << parts[i].count;
    percent(w, parts[i].count, total);
    w << "</title></rect>";
  }
  w << "</svg><ul class=\"legend\">";
  for (const auto& p : parts) {
    w << "<li><span class=\"key t-" << Esc{p.tone} << "\" aria-hidden=\"true\"></span>"
      << Esc{p.symbol} << " " << Esc{p.label} << ": <strong>" << p.count << "</strong>";
    percent(w, p.count, total);
    w << "</li>";
  }
  w << "</ul>";
}

}  // namespace intransit::report::html
