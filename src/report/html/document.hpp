// document.hpp — the frame of every report page: doctype, a strict Content-Security-Policy
// (nothing may be fetched; the one inline script is allowed by its SHA-256 hash, CSP Level 3
// §8.2), the inline style sheet (light and dark mode by prefers-color-scheme, print, narrow
// screens) and the small filter script.
#pragma once

#include <string>
#include <string_view>

#include "report/html/writer.hpp"

namespace intransit::report::html {

// The inline filter script, byte for byte as it is placed in the page.
std::string_view filter_script();
// "sha256-<base64>" of filter_script(), as the CSP's script-src names it.
std::string filter_script_hash();
// The Content-Security-Policy placed in the page's <meta http-equiv>.
std::string content_security_policy();

// Writes everything up to and including <main>; `title` is escaped.
// What a page served by `serve` changes in the frame: its label above the title, the CSP (forms
// post back to the server), and the footer note (a served page is measured, not saved).
struct Frame {
  std::string_view label = "intransit report";
  std::string_view security_policy;  // empty: content_security_policy()
  std::string_view footer;           // empty: the report's note about saved JSON
};

void open_page(Writer& w, std::string_view title, std::string_view generator);
void open_page(Writer& w, std::string_view title, std::string_view generator, const Frame& frame);
// Closes <main>, adds the footer note and the script, closes the document.
void close_page(Writer& w);
void close_page(Writer& w, const Frame& frame);

}  // namespace intransit::report::html
