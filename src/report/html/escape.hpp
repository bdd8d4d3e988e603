// escape.hpp — the one output boundary of the HTML report: every string that came from an input
// file (domain names, evidence, certificate subjects, banners) reaches the page through
// append_escaped(), which makes it valid UTF-8 (core/text.hpp printable(): controls and invalid
// bytes become "\xNN", RELIABILITY.md item 51) and escapes the five characters HTML gives meaning
// to (& < > " '), so the text is safe both in element content and in a quoted attribute value
// (HTML Living Standard §13.1.2.6, §13.2.5.36).
#pragma once

#include <string>
#include <string_view>

namespace intransit::report::html {

// Appends `text` to `out`, escaped for element content and double- or single-quoted attributes.
void append_escaped(std::string& out, std::string_view text);
// The escaped copy of `text` (tests and small callers).
std::string escaped(std::string_view text);

}  // namespace intransit::report::html
