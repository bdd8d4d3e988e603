// store.hpp — TLS-RPT reports kept in SQLite (SQLiteCpp), identified by (organization-name,
// report-id) as RFC 8460 §4.4 makes report-id unique per reporter: adding a report that is
// already there changes nothing, so reading the same mailbox twice is harmless. Reports that
// could not be read are kept aside in a quarantine table with their reason, once per (source,
// reason). Every add is its own committed transaction before it returns: a report is on disk
// before it is reported (WAL, synchronous=FULL).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tlsrpt/report.hpp"

namespace SQLite {
class Database;
}

namespace intransit::tlsrpt {

enum class Added : std::uint8_t { new_report, known };

class ReportStore {
 public:
  // Opens or creates `path`; throws std::runtime_error with the reason if it cannot.
  explicit ReportStore(const std::string& path);
  ~ReportStore();
  ReportStore(const ReportStore&) = delete;
  ReportStore& operator=(const ReportStore&) = delete;

  // Throws std::runtime_error when the write fails (a full disk): nothing half-recorded.
  Added add(const Report& report, std::string_view json, const std::string& source);
  Added quarantine(const std::string& source, const std::string& reason);

  std::int64_t report_count() const;
  std::int64_t quarantine_count() const;

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace intransit::tlsrpt
