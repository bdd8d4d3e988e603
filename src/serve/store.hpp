// store.hpp — what `serve` keeps in its data directory (SQLite, the embedded default store):
// every check result (the intransit.check/1 document), the monitored domains with their
// schedule, and the alert log. Schema migrations are numbered (PRAGMA user_version); a database
// written by a newer intransit is refused rather than guessed at. Every write is one committed
// transaction (synchronous=FULL in WAL mode) before the caller acknowledges anything.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace intransit::serve {

struct StoredCheck {
  std::int64_t id = 0;
  std::string domain;
  std::int64_t measured_at = 0;  // seconds since the epoch
  std::string verdict;
  std::int64_t duration_ms = 0;
  nlohmann::json document;  // null in history listings (summary only)
};

struct Monitored {
  std::string domain;
  std::int64_t added_at = 0;
  std::int64_t next_at = 0;  // when the monitor checks it next
};

struct StoredAlert {
  std::int64_t id = 0;
  std::string domain;
  std::int64_t at = 0;
  std::string kind, severity, before, after, why;
  std::string delivery;  // what happened to the webhook and the mail
};

class Store {
 public:
  // Opens or creates DIR/intransit-serve.sqlite; throws std::runtime_error with the path.
  explicit Store(const std::string& directory);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  static constexpr int kSchemaVersion = 1;

  std::int64_t add_check(const std::string& domain, std::int64_t measured_at,
                         const std::string& verdict, std::int64_t duration_ms,
                         const nlohmann::json& document);
  std::optional<StoredCheck> latest_check(const std::string& domain);
  std::optional<StoredCheck> check_by_id(std::int64_t id);
  // Newest first, documents left out.
  std::vector<StoredCheck> history(const std::string& domain, std::size_t limit);

  // False when it was already monitored.
  bool add_monitored(const std::string& domain, std::int64_t now, std::int64_t next_at);
  bool remove_monitored(const std::string& domain);
  std::vector<Monitored> monitored();
  std::optional<Monitored> monitored(const std::string& domain);
  void set_next_check(const std::string& domain, std::int64_t next_at);

  std::int64_t add_alert(const StoredAlert& alert);
  void set_alert_delivery(std::int64_t id, const std::string& delivery);
  // Newest first; `domain` empty for all.
  std::vector<StoredAlert> alerts(const std::string& domain, std::size_t limit);
  std::optional<std::int64_t> last_alert_at(const std::string& domain);

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace intransit::serve
