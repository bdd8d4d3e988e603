// store.cpp — see store.hpp. Schema version 1 (PRAGMA user_version). The JSON kept is the
// report as received (decompressed, made valid UTF-8), so a later version can read it again.
#include "tlsrpt/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <ctime>
#include <stdexcept>

#include "tlsrpt/datetime.hpp"

namespace intransit::tlsrpt {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS tlsrpt_reports (
  organization TEXT NOT NULL, report_id TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
  contact TEXT NOT NULL, source TEXT NOT NULL, added TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (organization, report_id));
CREATE TABLE IF NOT EXISTS tlsrpt_quarantine (
  source TEXT NOT NULL, reason TEXT NOT NULL, added TEXT NOT NULL,
  PRIMARY KEY (source, reason));
)SQL";

std::string now_text() {
  return format_datetime(static_cast<std::int64_t>(std::time(nullptr)));
}

}  // namespace

ReportStore::ReportStore(const std::string& path) {
  try {
    db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db_->exec("PRAGMA journal_mode=WAL");
    db_->exec("PRAGMA synchronous=FULL");
    db_->setBusyTimeout(5000);
    const int version = db_->execAndGet("PRAGMA user_version").getInt();
    if (version != 0 && version != kSchemaVersion) {
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is not one this intransit writes (" +
                               std::to_string(kSchemaVersion) + ")");
    }
    db_->exec(kSchema);
    db_->exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

ReportStore::~ReportStore() = default;

Added ReportStore::add(const Report& report, std::string_view json, const std::string& source) {
  try {
    SQLite::Statement insert(
        *db_, "INSERT OR IGNORE INTO tlsrpt_reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, report.organization);
    insert.bind(2, report.report_id);
    insert.bind(3, format_datetime(report.start));
    insert.bind(4, format_datetime(report.end));
    insert.bind(5, report.contact);
    insert.bind(6, source);
    insert.bind(7, now_text());
    insert.bind(8, std::string(json));
    return insert.exec() == 1 ? Added::new_report : Added::known;
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(std::string("the store could not record a report: ") + e.what());
  }
}

Added ReportStore::quarantine(const std::string& source, const std::string& reason) {
  try {
    SQLite::Statement insert(*db_, "INSERT OR IGNORE INTO tlsrpt_quarantine VALUES (?, ?, ?)");
    insert.bind(1, source);
    insert.bind(2, reason);
    insert.bind(3, now_text());
    return insert.exec() == 1 ? Added::new_report : Added::known;
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(std::string("the store could not record a quarantine: ") + e.what());
  }
}

std::int64_t ReportStore::report_count() const {
  return db_->execAndGet("SELECT COUNT(*) FROM tlsrpt_reports").getInt64();
}

std::int64_t ReportStore::quarantine_count() const {
  return db_->execAndGet("SELECT COUNT(*) FROM tlsrpt_quarantine").getInt64();
}

}  // namespace intransit::tlsrpt
