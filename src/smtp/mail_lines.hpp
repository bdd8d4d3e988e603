// mail_lines.hpp — incremental, bounded reader for IMAP and POP3 server responses, and the pure
// rules the mail-access probe applies to them. IMAP (RFC 9051 §2.2.2, §7; RFC 3501 §7.1): untagged
// "* ..." lines up to the tagged line of the command; POP3 (RFC 1939 §3, RFC 2449 §5): a single
// status line, or "+OK" and lines up to a lone "." (dot-stuffing undone). Same limits and errors
// as the SMTP reply parser (reply.hpp: line length, line count, reply size; RELIABILITY.md items
// 6, 7, 10), so the probe's byte budget and deadlines apply unchanged. Also: capability words
// from CAPABILITY / CAPA (RFC 9051 §7.2.2, RFC 2449 §5) and which of them let a password cross
// in clear (RFC 3501 §6.2.3 LOGINDISABLED, RFC 2595 §3.2, RFC 4954 §4, RFC 8314 §3.3).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smtp/ehlo.hpp"
#include "smtp/reply.hpp"

namespace intransit::smtp {

class LineResponseParser {
 public:
  enum class Shape : std::uint8_t {
    single,          // one line: POP3 status, IMAP greeting
    until_tagged,    // IMAP: untagged lines, then the line starting with the tag and a space
    pop3_multiline,  // POP3: "+OK" then lines up to "."; "-ERR" ends at once
  };
  using Status = ReplyParser::Status;
  using Progress = ReplyParser::Progress;

  explicit LineResponseParser(ReplyLimits limits = {}) : limits_(limits) {}

  void reset(Shape shape, std::string tag = {});
  Progress feed(std::string_view input);

  // The lines read, without line ends (the terminating "." of POP3 left out).
  const std::vector<std::string>& lines() const { return lines_; }
  ReplyError error() const { return error_; }
  bool bare_lf() const { return bare_lf_; }
  std::string_view partial_line() const { return line_; }
  bool has_partial() const { return !line_.empty() || !lines_.empty(); }

 private:
  bool finish_line(bool bare_lf);  // false once the response is complete or failed
  Status fail(ReplyError error);

  ReplyLimits limits_;
  Shape shape_ = Shape::single;
  std::string tag_;
  std::vector<std::string> lines_;
  std::string line_;
  std::size_t bytes_ = 0;
  bool bare_lf_ = false;
  ReplyError error_ = ReplyError::none;
  Status state_ = Status::need_more;
};

// IMAP: the status word after "* " or "<tag> " ("OK", "NO", "BAD", "PREAUTH", "BYE"),
// upper-cased; empty when the line has none.
std::string imap_status(std::string_view line, std::string_view tag = "*");
// IMAP: the atoms of every "* CAPABILITY ..." line, upper-cased, as keywords without parameters.
Capabilities imap_capabilities(const std::vector<std::string>& lines);
// POP3: each CAPA line after the "+OK" as a keyword (first word, upper-cased) with the rest as
// parameters ("SASL PLAIN LOGIN" -> SASL {PLAIN, LOGIN}).
Capabilities pop3_capabilities(const std::vector<std::string>& lines);

// A password mechanism usable before TLS, from the pre-TLS capabilities (client.cleartext-auth).
bool imap_cleartext_auth(const Capabilities& caps);
bool pop3_cleartext_auth(const Capabilities& caps);
bool submission_cleartext_auth(const Capabilities& caps);

}  // namespace intransit::smtp
