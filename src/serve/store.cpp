// store.cpp — see store.hpp. Migration 1 creates the tables; later ones are appended to
// kMigrations and run in order from the database's user_version.
#include "serve/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <filesystem>
#include <stdexcept>

namespace intransit::serve {
namespace {

constexpr std::array<const char*, 1> kMigrations{R"SQL(
CREATE TABLE checks (
  id INTEGER PRIMARY KEY AUTOINCREMENT, domain TEXT NOT NULL, measured_at INTEGER NOT NULL,
  verdict TEXT NOT NULL, duration_ms INTEGER NOT NULL, document TEXT NOT NULL);
CREATE INDEX checks_domain ON checks(domain, measured_at);
CREATE TABLE monitored (
  domain TEXT PRIMARY KEY, added_at INTEGER NOT NULL, next_at INTEGER NOT NULL);
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, domain TEXT NOT NULL, at INTEGER NOT NULL,
  kind TEXT NOT NULL, severity TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
  why TEXT NOT NULL, delivery TEXT NOT NULL);
CREATE INDEX alerts_domain ON alerts(domain, at);
)SQL"};
static_assert(kMigrations.size() == Store::kSchemaVersion, "one migration per schema version");

StoredCheck check_row(SQLite::Statement& q, bool with_document) {
  StoredCheck c;
  c.id = q.getColumn(0).getInt64();
  c.domain = q.getColumn(1).getString();
  c.measured_at = q.getColumn(2).getInt64();
  c.verdict = q.getColumn(3).getString();
  c.duration_ms = q.getColumn(4).getInt64();
  if (with_document) c.document = nlohmann::json::parse(q.getColumn(5).getString(), nullptr, false);
  return c;
}

constexpr const char* kCheckColumns = "id, domain, measured_at, verdict, duration_ms, document";

}  // namespace

Store::Store(const std::string& directory) {
  const std::string path = (std::filesystem::path(directory) / "intransit-serve.sqlite").string();
  try {
    db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db_->exec("PRAGMA journal_mode=WAL");
    db_->exec("PRAGMA synchronous=FULL");  // committed means on disk, before we answer
    db_->setBusyTimeout(5000);
    const int version = db_->execAndGet("PRAGMA user_version").getInt();
    if (version < 0 || version > kSchemaVersion) {
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is newer than this intransit's (" +
                               std::to_string(kSchemaVersion) + ")");
    }
    for (int v = version; v < kSchemaVersion; ++v) {
      SQLite::Transaction t(*db_);
      db_->exec(kMigrations.at(static_cast<std::size_t>(v)));
      db_->exec("PRAGMA user_version=" + std::to_string(v + 1));
      t.commit();
    }
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

Store::~Store() = default;

std::int64_t Store::add_check(const std::string& domain, std::int64_t measured_at,
                              const std::string& verdict, std::int64_t duration_ms,
                              const nlohmann::json& document) {
  SQLite::Statement q(*db_,
                      "INSERT INTO checks (domain, measured_at, verdict, duration_ms, document) "
                      "VALUES (?, ?, ?, ?, ?)");
  q.bind(1, domain);
  q.bind(2, measured_at);
  q.bind(3, verdict);
  q.bind(4, duration_ms);
  q.bind(5, document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  q.exec();
  return db_->getLastInsertRowid();
}

std::optional<StoredCheck> Store::latest_check(const std::string& domain) {
  SQLite::Statement q(*db_, std::string("SELECT ") + kCheckColumns +
                                " FROM checks WHERE domain = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, domain);
  if (!q.executeStep()) return std::nullopt;
  return check_row(q, true);
}

std::optional<StoredCheck> Store::check_by_id(std::int64_t id) {
  SQLite::Statement q(*db_, std::string("SELECT ") + kCheckColumns + " FROM checks WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return check_row(q, true);
}

std::vector<StoredCheck> Store::history(const std::string& domain, std::size_t limit) {
  SQLite::Statement q(*db_, std::string("SELECT ") + kCheckColumns +
                                " FROM checks WHERE domain = ? ORDER BY id DESC LIMIT ?");
  q.bind(1, domain);
  q.bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoredCheck> out;
  while (q.executeStep()) out.push_back(check_row(q, false));
  return out;
}

bool Store::add_monitored(const std::string& domain, std::int64_t now, std::int64_t next_at) {
  SQLite::Statement q(
      *db_, "INSERT OR IGNORE INTO monitored (domain, added_at, next_at) VALUES (?, ?, ?)");
  q.bind(1, domain);
  q.bind(2, now);
  q.bind(3, next_at);
  return q.exec() == 1;
}

bool Store::remove_monitored(const std::string& domain) {
  SQLite::Statement q(*db_, "DELETE FROM monitored WHERE domain = ?");
  q.bind(1, domain);
  return q.exec() == 1;
}

std::vector<Monitored> Store::monitored() {
  SQLite::Statement q(*db_, "SELECT domain, added_at, next_at FROM monitored ORDER BY domain");
  std::vector<Monitored> out;
  while (q.executeStep())
    out.push_back(
        {q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
  return out;
}

std::optional<Monitored> Store::monitored(const std::string& domain) {
  SQLite::Statement q(*db_, "SELECT domain, added_at, next_at FROM monitored WHERE domain = ?");
  q.bind(1, domain);
  if (!q.executeStep()) return std::nullopt;
  return Monitored{q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                   q.getColumn(2).getInt64()};
}

void Store::set_next_check(const std::string& domain, std::int64_t next_at) {
  SQLite::Statement q(*db_, "UPDATE monitored SET next_at = ? WHERE domain = ?");
  q.bind(1, next_at);
  q.bind(2, domain);
  q.exec();
}

std::int64_t Store::add_alert(const StoredAlert& a) {
  SQLite::Statement q(
      *db_,
      "INSERT INTO alerts (domain, at, kind, severity, before, after, why, delivery) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, a.domain);
  q.bind(2, a.at);
  q.bind(3, a.kind);
  q.bind(4, a.severity);
  q.bind(5, a.before);
  q.bind(6, a.after);
  q.bind(7, a.why);
  q.bind(8, a.delivery);
  q.exec();
  return db_->getLastInsertRowid();
}

void Store::set_alert_delivery(std::int64_t id, const std::string& delivery) {
  SQLite::Statement q(*db_, "UPDATE alerts SET delivery = ? WHERE id = ?");
  q.bind(1, delivery);
  q.bind(2, id);
  q.exec();
}

std::vector<StoredAlert> Store::alerts(const std::string& domain, std::size_t limit) {
  SQLite::Statement q(
      *db_,
      "SELECT id, domain, at, kind, severity, before, after, why, delivery FROM alerts "
      "WHERE ? = '' OR domain = ? ORDER BY id DESC LIMIT ?");
  q.bind(1, domain);
  q.bind(2, domain);
  q.bind(3, static_cast<std::int64_t>(limit));
  std::vector<StoredAlert> out;
  while (q.executeStep()) {
    StoredAlert a;
    a.id = q.getColumn(0).getInt64();
    a.domain = q.getColumn(1).getString();
    a.at = q.getColumn(2).getInt64();
    a.kind = q.getColumn(3).getString();
    a.severity = q.getColumn(4).getString();
    a.before = q.getColumn(5).getString();
    a.after = q.getColumn(6).getString();
    a.why = q.getColumn(7).getString();
    a.delivery = q.getColumn(8).getString();
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<std::int64_t> Store::last_alert_at(const std::string& domain) {
  SQLite::Statement q(*db_, "SELECT MAX(at) FROM alerts WHERE domain = ?");
  q.bind(1, domain);
  if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

}  // namespace intransit::serve
