// writer.hpp — the page under construction. Markup can only come from string literals in the
// program (operator<< takes a char array, never a std::string); anything else, and above all every
// string read from an input file, goes through text()/Esc, which escapes it (escape.hpp). So a
// hostile domain name such as "<script>" can only ever appear as text.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

#include "report/html/escape.hpp"

namespace intransit::report::html {

// A string from the input, to be escaped on the way into the page.
struct Esc {
  std::string_view text;
};

class Writer {
 public:
  // Program markup: a string literal.
  template <std::size_t N>
  Writer& operator<<(const char (&markup)[N]) {
    out_.append(markup, N - 1);
    return *this;
  }
  Writer& operator<<(Esc s) {
    append_escaped(out_, s.text);
    return *this;
  }
  template <std::integral T>
  requires(!std::same_as<T, char> && !std::same_as<T, bool>) Writer& operator<<(T n) {
    out_ += std::to_string(n);
    return *this;
  }
  Writer& text(std::string_view s) { return *this << Esc{s}; }
  // A number with `decimals` digits after the point (chart coordinates, percentages).
  Writer& fixed(double value, int decimals);
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void reserve(std::size_t n) { out_.reserve(n); }

 private:
  std::string out_;
};

}  // namespace intransit::report::html
