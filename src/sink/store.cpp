// store.cpp — see store.hpp. Schema version 2 (PRAGMA user_version; version 1 lacked
// sessions.pregreet and is upgraded in place); recipients are stored one per line (the command
// parser refuses control bytes in addresses, so a line feed cannot occur).
#include "sink/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <stdexcept>

namespace intransit::sink {
namespace {

constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY, started TEXT NOT NULL, ended TEXT NOT NULL, scenario TEXT NOT NULL,
  listener TEXT NOT NULL, client_ip TEXT NOT NULL, client_port INTEGER NOT NULL, ehlo TEXT NOT NULL,
  starttls_offered INTEGER NOT NULL, tls TEXT NOT NULL, tls_version TEXT NOT NULL,
  tls_cipher TEXT NOT NULL, tls_error TEXT NOT NULL, sni TEXT NOT NULL,
  client_certificate TEXT NOT NULL, starttls_injection INTEGER NOT NULL,
  messages_accepted INTEGER NOT NULL, errors INTEGER NOT NULL, end_reason TEXT NOT NULL,
  pregreet INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER NOT NULL, time TEXT NOT NULL,
  scenario TEXT NOT NULL, client_ip TEXT NOT NULL, ehlo TEXT NOT NULL, tls INTEGER NOT NULL,
  tls_version TEXT NOT NULL, tls_cipher TEXT NOT NULL, mail_from TEXT NOT NULL,
  rcpt_to TEXT NOT NULL, size INTEGER NOT NULL, message_id TEXT NOT NULL,
  requiretls INTEGER NOT NULL, bare_line_ends INTEGER NOT NULL, accepted INTEGER NOT NULL, reply TEXT NOT NULL,
  headers TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_session ON deliveries(session_id);
)SQL";

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto lf = text.find('\n', start);
    out.push_back(text.substr(start, lf == std::string::npos ? std::string::npos : lf - start));
    if (lf == std::string::npos) break;
    start = lf + 1;
  }
  return out;
}

}  // namespace

Store::Store(const std::string& path) {
  try {
    db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db_->exec("PRAGMA journal_mode=WAL");
    // FULL: every commit syncs the WAL, so a committed delivery survives a crash or power loss.
    db_->exec("PRAGMA synchronous=FULL");
    db_->setBusyTimeout(5000);  // `sink report` may read while the sink writes
    const int version = db_->execAndGet("PRAGMA user_version").getInt();
    if (version != 0 && version != 1 && version != kSchemaVersion) {
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is not one this intransit writes (" +
                               std::to_string(kSchemaVersion) + ")");
    }
    db_->exec(kSchema);
    if (version == 1)
      db_->exec("ALTER TABLE sessions ADD COLUMN pregreet INTEGER NOT NULL DEFAULT 0");
    db_->exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    next_id_ = db_->execAndGet(
                      "SELECT COALESCE(MAX(m), 0) + 1 FROM (SELECT MAX(id) AS m FROM sessions "
                      "UNION ALL SELECT MAX(session_id) FROM deliveries)")
                   .getInt64();
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  writer_ = std::thread([this] { writer_loop(); });
}

Store::~Store() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

std::int64_t Store::next_session_id() {
  std::lock_guard lock(mutex_);
  return next_id_++;
}

void Store::record_session(SessionRecord record) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(record));
  }
  wake_.notify_one();
}

void Store::record_delivery(DeliveryRecord record, std::function<void(bool)> done) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(PendingDelivery{std::move(record), std::move(done)});
  }
  wake_.notify_one();
}

void Store::writer_loop() {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      batch.swap(queue_);
    }
    const bool ok = write_batch(batch);
    for (auto& item : batch) {
      if (auto* d = std::get_if<PendingDelivery>(&item)) d->done(ok);
    }
  }
}

bool Store::write_batch(std::vector<Item>& batch) {
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement session(
        *db_,
        "INSERT OR REPLACE INTO sessions (id, started, ended, scenario, listener, client_ip, "
        "client_port, ehlo, starttls_offered, tls, tls_version, tls_cipher, tls_error, sni, "
        "client_certificate, starttls_injection, messages_accepted, errors, end_reason, pregreet) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    SQLite::Statement delivery(
        *db_,
        "INSERT INTO deliveries (session_id, time, scenario, client_ip, ehlo, tls, tls_version, "
        "tls_cipher, mail_from, rcpt_to, size, message_id, requiretls, bare_line_ends, accepted, "
        "reply, "
        "headers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const auto& item : batch) {
      if (const auto* s = std::get_if<SessionRecord>(&item)) {
        session.reset();
        session.bind(1, static_cast<int64_t>(s->id));
        session.bind(2, s->started);
        session.bind(3, s->ended);
        session.bind(4, s->scenario);
        session.bind(5, s->listener);
        session.bind(6, s->client_ip);
        session.bind(7, s->client_port);
        session.bind(8, s->ehlo);
        session.bind(9, s->starttls_offered ? 1 : 0);
        session.bind(10, std::string(to_string(s->tls)));
        session.bind(11, s->tls_version);
        session.bind(12, s->tls_cipher);
        session.bind(13, s->tls_error);
        session.bind(14, s->sni);
        session.bind(15, s->client_certificate);
        session.bind(16, s->starttls_injection ? 1 : 0);
        session.bind(17, s->messages_accepted);
        session.bind(18, s->errors);
        session.bind(19, s->end_reason);
        session.bind(20, s->pregreet ? 1 : 0);
        session.exec();
      } else {
        const auto& d = std::get<PendingDelivery>(item).record;
        delivery.reset();
        delivery.bind(1, static_cast<int64_t>(d.session_id));
        delivery.bind(2, d.time);
        delivery.bind(3, d.scenario);
        delivery.bind(4, d.client_ip);
        delivery.bind(5, d.ehlo);
        delivery.bind(6, d.tls ? 1 : 0);
        delivery.bind(7, d.tls_version);
        delivery.bind(8, d.tls_cipher);
        delivery.bind(9, d.mail_from);
        delivery.bind(10, join_lines(d.rcpt_to));
        delivery.bind(11, static_cast<int64_t>(d.size));
        delivery.bind(12, d.message_id);
        delivery.bind(13, d.requiretls ? 1 : 0);
        delivery.bind(14, d.bare_line_ends ? 1 : 0);
        delivery.bind(15, d.accepted ? 1 : 0);
        delivery.bind(16, d.reply);
        delivery.bind(17, d.headers);
        delivery.exec();
      }
    }
    transaction.commit();
    return true;
  } catch (const SQLite::Exception&) {
    return false;  // the transaction rolls back; every waiting delivery answers 451
  }
}

StoreContents read_store(const std::string& path) {
  StoreContents out;
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    // A version 1 file (read-only here, so not upgraded) has no pregreet column.
    const bool has_pregreet = db.execAndGet("PRAGMA user_version").getInt() >= 2;
    SQLite::Statement sessions(
        db, std::string(
                "SELECT id, started, ended, scenario, listener, client_ip, client_port, ehlo, "
                "starttls_offered, tls, tls_version, tls_cipher, tls_error, sni, "
                "client_certificate, starttls_injection, messages_accepted, errors, end_reason, ") +
                (has_pregreet ? "pregreet" : "0") + " FROM sessions ORDER BY id");
    while (sessions.executeStep()) {
      SessionRecord s;
      s.id = sessions.getColumn(0).getInt64();
      s.started = sessions.getColumn(1).getString();
      s.ended = sessions.getColumn(2).getString();
      s.scenario = sessions.getColumn(3).getString();
      s.listener = sessions.getColumn(4).getString();
      s.client_ip = sessions.getColumn(5).getString();
      s.client_port = sessions.getColumn(6).getInt();
      s.ehlo = sessions.getColumn(7).getString();
      s.starttls_offered = sessions.getColumn(8).getInt() != 0;
      s.tls = tls_outcome_from_string(sessions.getColumn(9).getString());
      s.tls_version = sessions.getColumn(10).getString();
      s.tls_cipher = sessions.getColumn(11).getString();
      s.tls_error = sessions.getColumn(12).getString();
      s.sni = sessions.getColumn(13).getString();
      s.client_certificate = sessions.getColumn(14).getString();
      s.starttls_injection = sessions.getColumn(15).getInt() != 0;
      s.messages_accepted = sessions.getColumn(16).getInt();
      s.errors = sessions.getColumn(17).getInt();
      s.end_reason = sessions.getColumn(18).getString();
      s.pregreet = sessions.getColumn(19).getInt() != 0;
      out.sessions.push_back(std::move(s));
    }
    SQLite::Statement deliveries(
        db,
        "SELECT session_id, time, scenario, client_ip, ehlo, tls, tls_version, tls_cipher, "
        "mail_from, rcpt_to, size, message_id, requiretls, bare_line_ends, accepted, reply, "
        "headers "
        "FROM deliveries ORDER BY id");
    while (deliveries.executeStep()) {
      DeliveryRecord d;
      d.session_id = deliveries.getColumn(0).getInt64();
      d.time = deliveries.getColumn(1).getString();
      d.scenario = deliveries.getColumn(2).getString();
      d.client_ip = deliveries.getColumn(3).getString();
      d.ehlo = deliveries.getColumn(4).getString();
      d.tls = deliveries.getColumn(5).getInt() != 0;
      d.tls_version = deliveries.getColumn(6).getString();
      d.tls_cipher = deliveries.getColumn(7).getString();
      d.mail_from = deliveries.getColumn(8).getString();
      d.rcpt_to = split_lines(deliveries.getColumn(9).getString());
      d.size = deliveries.getColumn(10).getInt64();
      d.message_id = deliveries.getColumn(11).getString();
      d.requiretls = deliveries.getColumn(12).getInt() != 0;
      d.bare_line_ends = deliveries.getColumn(13).getInt() != 0;
      d.accepted = deliveries.getColumn(14).getInt() != 0;
      d.reply = deliveries.getColumn(15).getString();
      d.headers = deliveries.getColumn(16).getString();
      out.deliveries.push_back(std::move(d));
    }
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return out;
}

}  // namespace intransit::sink
