// journal_export.cpp — see journal_export.hpp (systemd's "Journal Export Format" document).
#include "logs/journal_export.hpp"

#include <algorithm>
#include <cstring>

namespace intransit::logs {
namespace {

bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

bool looks_like_journal_export(std::string_view head) {
  const auto eq = head.find('=');
  const auto nl = head.find('\n');
  return eq != std::string_view::npos && eq < nl && is_field_name(head.substr(0, eq));
}

JournalExportReader::JournalExportReader(OnEntry on_entry, OnCut on_cut, std::size_t cap)
    : on_entry_(std::move(on_entry)), on_cut_(std::move(on_cut)), cap_(cap) {}

void JournalExportReader::push(const char* data, std::size_t size) {
  std::size_t pos = 0;
  while (pos < size) {
    switch (state_) {
      case State::line: {
        const auto* nl = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
        const std::size_t len = (nl == nullptr ? size : static_cast<std::size_t>(nl - data)) - pos;
        if (!discarding_ && line_.size() + len > cap_) {
          discarding_ = true;
          line_.clear();
        }
        if (!discarding_) line_.append(data + pos, len);
        pos += len;
        if (nl != nullptr) {
          ++pos;
          end_line();
        }
        break;
      }
      case State::length: {
        while (pos < size && length_have_ < 8)
          length_bytes_[length_have_++] = static_cast<unsigned char>(data[pos++]);
        if (length_have_ < 8) break;
        remaining_ = 0;
        for (int i = 7; i >= 0; --i) remaining_ = (remaining_ << 8) | length_bytes_[i];
        skipping_ = remaining_ > cap_;
        line_.clear();
        state_ = State::data;
        break;
      }
      case State::data: {
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size - pos));
        if (!skipping_) line_.append(data + pos, take);
        pos += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          if (skipping_) {
            on_cut_();
          } else {
            store(binary_name_, line_);
          }
          line_.clear();
          state_ = State::trailer;
        }
        break;
      }
      case State::trailer:
        // The newline after a binary value; anything else means the stream is out of step:
        // read it as the start of the next line rather than lose it.
        if (data[pos] == '\n') ++pos;
        state_ = State::line;
        break;
    }
  }
}

void JournalExportReader::end_line() {
  if (discarding_) {
    discarding_ = false;
    on_cut_();
    return;
  }
  if (line_.empty()) {
    end_entry();
    return;
  }
  const auto eq = line_.find('=');
  if (eq == std::string::npos) {  // a binary field: its name, then the length
    binary_name_ = line_;
    line_.clear();
    length_have_ = 0;
    state_ = State::length;
    return;
  }
  store(std::string_view(line_).substr(0, eq), std::string_view(line_).substr(eq + 1));
  line_.clear();
}

void JournalExportReader::store(std::string_view name, std::string_view value) {
  entry_has_fields_ = true;
  if (name == "MESSAGE") {
    entry_.message.assign(value);
  } else if (name == "SYSLOG_IDENTIFIER") {
    entry_.identifier.assign(value);
  } else if (name == "SYSLOG_PID" || (name == "_PID" && entry_.pid.empty())) {
    entry_.pid.assign(value);
  } else if (name == "_HOSTNAME") {
    entry_.host.assign(value);
  } else if (name == "__REALTIME_TIMESTAMP") {
    entry_.realtime.assign(value);
  }
}

void JournalExportReader::end_entry() {
  if (entry_has_fields_) on_entry_(entry_);
  entry_ = {};
  entry_has_fields_ = false;
}

void JournalExportReader::finish() {
  if (state_ == State::line && !discarding_ && !line_.empty()) end_line();  // no final newline
  if (state_ != State::line || discarding_) {
    on_cut_();  // cut inside a field
    state_ = State::line;
    discarding_ = false;
    line_.clear();
  }
  end_entry();
}

}  // namespace intransit::logs
