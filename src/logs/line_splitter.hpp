// line_splitter.hpp — cuts a byte stream, given in chunks of any size, into lines ending in LF.
// A line longer than the cap is skipped whole and counted (a 10 MB "line" of garbage must not
// be held in memory); a last line without LF is given by finish(). Lines are handed out as
// views into the chunk where possible and copied only when they span chunks.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include "core/limits.hpp"

namespace intransit::logs {

template <typename OnLine, typename OnCut>
class LineSplitter {
 public:
  LineSplitter(OnLine on_line, OnCut on_cut, std::size_t cap = limits::kLogLineBytes)
      : on_line_(std::move(on_line)), on_cut_(std::move(on_cut)), cap_(cap) {}

  void push(const char* data, std::size_t size) {
    std::size_t pos = 0;
    while (pos < size) {
      const auto* nl = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
      if (nl == nullptr) {
        take_partial(data + pos, size - pos);
        return;
      }
      const auto len = static_cast<std::size_t>(nl - (data + pos));
      if (discarding_) {
        discarding_ = false;
        on_cut_();
      } else if (!carry_.empty()) {
        if (carry_.size() + len > cap_) {
          on_cut_();
        } else {
          carry_.append(data + pos, len);
          on_line_(std::string_view(carry_));
        }
        carry_.clear();
      } else if (len > cap_) {
        on_cut_();
      } else {
        on_line_(std::string_view(data + pos, len));
      }
      pos += len + 1;
    }
  }

  // End of input: a last line without LF is still a line (a log cut mid-write).
  void finish() {
    if (discarding_) {
      discarding_ = false;
      on_cut_();
    } else if (!carry_.empty()) {
      on_line_(std::string_view(carry_));
    }
    carry_.clear();
  }
  // Forget a partial line (the file was truncated or replaced under us).
  void reset() {
    carry_.clear();
    discarding_ = false;
  }

 private:
  void take_partial(const char* p, std::size_t n) {
    if (discarding_) return;
    if (carry_.size() + n > cap_) {
      carry_.clear();
      carry_.shrink_to_fit();
      discarding_ = true;
      return;
    }
    carry_.append(p, n);
  }
  OnLine on_line_;
  OnCut on_cut_;
  std::size_t cap_;
  std::string carry_;
  bool discarding_ = false;
};

}  // namespace intransit::logs
