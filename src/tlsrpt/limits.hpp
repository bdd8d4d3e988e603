// limits.hpp — the bounds on TLS-RPT input (RFC 8460 reports from strangers; RELIABILITY.md
// "Defaults": 16 MiB decompressed, ratio <= 100, JSON depth 64). Kept here rather than in
// core/limits.hpp so that this component's bounds sit next to the code that counts them.
#pragma once

#include <cstddef>

namespace intransit::tlsrpt::limits {

// One report's JSON, after gzip: real daily reports from large senders are a few hundred KiB;
// anything past 16 MiB is a bomb or a mistake and is refused, never truncated.
inline constexpr std::size_t kReportBytes = 16U << 20U;
// Decompressed bytes per compressed byte beyond which a gzip member is refused as a bomb (only
// once the output passes kRatioFloorBytes: tiny reports may compress well).
inline constexpr std::size_t kGzipRatio = 100;
inline constexpr std::size_t kRatioFloorBytes = 1U << 20U;
// Compressed bytes read from one file or MIME part (a gzip member larger than this would
// decompress past kReportBytes unless it were incompressible noise).
inline constexpr std::size_t kCompressedBytes = kReportBytes;
// Nesting depth of arrays and objects: a report needs 5; 64 leaves room for extensions.
inline constexpr int kJsonDepth = 64;
// Entries kept per list (policies, failure-details, policy-string, mx-host): the rest is counted
// and named in a finding.
inline constexpr std::size_t kListEntries = 10'000;
// Bytes kept of one string field (names, policy lines, additional-information).
inline constexpr std::size_t kFieldBytes = 4096;
// Unknown member names listed in one finding.
inline constexpr std::size_t kUnknownNamesListed = 8;
// Directory levels followed below an INPUT directory, and files read from one input.
inline constexpr int kDirectoryDepth = 8;
inline constexpr std::size_t kFilesPerInput = 1'000'000;

}  // namespace intransit::tlsrpt::limits
