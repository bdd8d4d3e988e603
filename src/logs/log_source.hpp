// log_source.hpp — reading MTA logs from where they are: plain files, rotated files compressed
// with gzip (read with zlib, recognised by their magic bytes, not their name), standard input
// ("-"), `journalctl -o json` output (one JSON object per line: MESSAGE, SYSLOG_IDENTIFIER,
// _PID, _HOSTNAME, __REALTIME_TIMESTAMP) and `journalctl -o export` (logs/journal_export.hpp).
// Several files are read oldest first, ordered by the first timestamp in each, so a TLS line at the
// end of maillog.1 still joins the delivery at the start of maillog. `follow` tails one live file,
// surviving rotation (a new inode at the path) and truncation.
#pragma once

#include <csignal>
#include <functional>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "logs/log_parser.hpp"

namespace intransit::logs {

// True when some input (not "-") has a TLS line in its first limits::kTlsPrescanBytes: then a
// delivery without a TLS line is plaintext from the first line on, not only after the first TLS
// line.
bool prescan_tls_logged(const std::vector<std::string>& paths);

// `paths` reordered oldest first by the first timestamp of each file; "-" and files without a
// readable timestamp keep their place relative to each other, after the dated ones.
std::vector<std::string> order_inputs(const std::vector<std::string>& paths,
                                      const TimeContext& ctx);

// Reads one input to its end. False with `error` when it cannot be opened or read.
bool read_input(const std::string& path, LogParser& parser, const EmitDelivery& emit,
                std::string& error);

// Reads `path` from its start, then keeps reading what is appended until `stop` is set (by a
// signal handler). Rotation: when the path names a new file, the old one is read to its end
// and the new one from its start; truncation: read again from the start. `idle` is called when
// there is nothing new (about every 200 ms).
bool follow_input(const std::string& path, LogParser& parser, const EmitDelivery& emit,
                  const volatile std::sig_atomic_t& stop, const std::function<void()>& idle,
                  std::string& error);

// One `journalctl -o json` line into the parser; false when it is not a JSON object.
bool feed_journal_json(std::string_view raw, LogParser& parser, const EmitDelivery& emit);

// One journal entry's fields (from -o json or -o export) into the parser; `realtime_usec` is
// __REALTIME_TIMESTAMP, microseconds since the epoch in decimal.
void feed_journal_entry(std::string_view message, std::string_view program, std::string_view pid,
                        std::string_view host, std::string_view realtime_usec, LogParser& parser,
                        const EmitDelivery& emit);

}  // namespace intransit::logs
