// store.hpp — the sink's durable record: SQLite (SQLiteCpp) in WAL mode with synchronous=FULL,
// written by one thread that commits whatever is queued in one transaction (group commit), so
// 50 concurrent senders share an fsync instead of queueing for one each. A delivery's callback
// runs only after its transaction is on disk: the sink sends 250 to DATA from that callback and
// never before (RFC 5321 §6.1; RELIABILITY.md items 46-47). A failed commit is reported to the
// callback, and the sink answers 451: the message was not accepted, so nothing is lost.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "sink/records.hpp"

namespace SQLite {
class Database;
}

namespace intransit::sink {

class Store {
 public:
  // Opens or creates `path`; throws std::runtime_error with the reason if it cannot.
  explicit Store(const std::string& path);
  ~Store();  // writes everything still queued, then closes
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A fresh session id, larger than every id already in the file.
  std::int64_t next_session_id();

  // Queued; written with the next batch. Nobody waits for it.
  void record_session(SessionRecord record);
  // Queued; `done(true)` runs on the writer thread once the record is committed and synced,
  // `done(false)` if the write failed.
  void record_delivery(DeliveryRecord record, std::function<void(bool)> done);

 private:
  struct PendingDelivery {
    DeliveryRecord record;
    std::function<void(bool)> done;
  };
  using Item = std::variant<SessionRecord, PendingDelivery>;
  void writer_loop();
  bool write_batch(std::vector<Item>& batch);

  std::unique_ptr<SQLite::Database> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::int64_t next_id_ = 1;
  std::thread writer_;
};

// Everything in a store (StoreContents, records.hpp), for `sink report`. Opens read-only;
// throws std::runtime_error.
StoreContents read_store(const std::string& path);

}  // namespace intransit::sink
