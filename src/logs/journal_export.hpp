// journal_export.hpp — `journalctl -o export` (systemd's Journal Export Format): entries of
// "FIELD=value\n" lines separated by an empty line, where a field whose value holds a newline or
// is not text is written "FIELD\n" + its length as a 64-bit little-endian integer + the bytes +
// "\n". `outbound` reads MESSAGE, SYSLOG_IDENTIFIER, SYSLOG_PID/_PID, _HOSTNAME and
// __REALTIME_TIMESTAMP from each entry, as from `journalctl -o json`. Fed in chunks of any size;
// every field is bounded (a longer one is skipped and counted, never held).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/limits.hpp"  // kLogLineBytes

namespace intransit::logs {

// The fields of one entry `outbound` uses; empty when the entry lacks them.
struct JournalEntry {
  std::string message, identifier, pid, host, realtime;
};

// True when `head` (the first bytes of an input) is in the export format: its first line is
// FIELD=value with a journal field name (upper case, digits, underscores), as "__CURSOR=".
bool looks_like_journal_export(std::string_view head);

class JournalExportReader {
 public:
  using OnEntry = std::function<void(const JournalEntry&)>;
  using OnCut = std::function<void()>;  // a field over the cap, or an entry cut short

  JournalExportReader(OnEntry on_entry, OnCut on_cut, std::size_t cap = limits::kLogLineBytes);

  void push(const char* data, std::size_t size);
  void finish();  // end of input: an entry without its closing empty line still counts

 private:
  enum class State : std::uint8_t { line, length, data, trailer };

  void end_line();
  void store(std::string_view name, std::string_view value);
  void end_entry();

  OnEntry on_entry_;
  OnCut on_cut_;
  std::size_t cap_;
  State state_ = State::line;
  std::string line_;         // the text line being read, or a binary field's bytes
  bool discarding_ = false;  // the current text line is over the cap
  std::string binary_name_;  // the binary field being read
  unsigned char length_bytes_[8]{};
  std::size_t length_have_ = 0;
  std::uint64_t remaining_ = 0;  // bytes of the binary value still to come
  bool skipping_ = false;        // the binary value is over the cap
  JournalEntry entry_;
  bool entry_has_fields_ = false;
};

}  // namespace intransit::logs
