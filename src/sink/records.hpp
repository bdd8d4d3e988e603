// records.hpp — what the sink writes down about every SMTP session and every delivery attempt
// (issue 6): the evidence `sink report` judges a sending server by. A delivery record repeats
// its session's facts (scenario, client, TLS) so that it stands alone: a session row that was
// not yet written when the sink was killed costs no accepted message its context.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace intransit::sink {

// How TLS went in one session, from the receiver's side.
enum class TlsOutcome : std::uint8_t {
  none,     // the client never sent STARTTLS
  ok,       // handshake completed
  refused,  // the sink answered STARTTLS with 454 (scenario starttls-refused)
  failed,   // the handshake did not complete (the scenario broke it, or the client gave up)
};

struct SessionRecord {
  std::int64_t id = 0;
  std::string started;  // RFC 3339 UTC with milliseconds
  std::string ended;
  std::string scenario;
  std::string listener;  // address:port the sink listened on
  std::string client_ip;
  int client_port = 0;
  std::string ehlo;  // as sent (made printable, bounded)
  bool starttls_offered = false;
  TlsOutcome tls = TlsOutcome::none;
  std::string tls_version;  // "TLSv1.3" as OpenSSL names it
  std::string tls_cipher;
  std::string tls_error;            // why the handshake failed, when it did
  std::string sni;                  // server name the client asked for, empty when none
  std::string client_certificate;   // subject of a certificate the client presented, if any
  bool starttls_injection = false;  // plaintext pipelined after STARTTLS (RELIABILITY item 40)
  bool pregreet = false;  // talked before the greeting was complete, answered 554 (item 39)
  int messages_accepted = 0;
  int errors = 0;
  std::string
      end_reason;  // quit, eof, timeout, error-limit, pregreet, shutdown, internal-error, ...
};

struct DeliveryRecord {
  std::int64_t session_id = 0;
  std::string time;
  std::string scenario;
  std::string client_ip;
  std::string ehlo;
  bool tls = false;
  std::string tls_version;
  std::string tls_cipher;
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::int64_t size = 0;  // bytes of message data as received (dot-unstuffed)
  std::string message_id;
  bool requiretls = false;      // MAIL FROM carried REQUIRETLS (RFC 8689 §4)
  bool bare_line_ends = false;  // a bare LF or CR in the data (normalised; never an end of data)
  bool accepted = false;  // a 250 was sent for this message (only after the record was durable)
  std::string reply;      // the final reply sent, or the reason none was
  std::string headers;    // the message's header block, bounded
};

// Everything in a store, for `sink report` (read_store in store.hpp fills it).
struct StoreContents {
  std::vector<SessionRecord> sessions;
  std::vector<DeliveryRecord> deliveries;
};

std::string_view to_string(TlsOutcome outcome);
TlsOutcome tls_outcome_from_string(std::string_view name);

}  // namespace intransit::sink
