// report_mail.hpp — a generated TLS-RPT report as the mail RFC 8460 §5.3 asks for, built with
// GMime 3: a multipart/report; report-type="tlsrpt" (RFC 6522) holding a text/plain part for
// people and the report itself as application/tlsrpt+gzip (base64, its §5.3 file name as the
// attachment's filename), with the TLS-Report-Domain and TLS-Report-Submitter header fields and
// the Subject "Report Domain: D Submitter: S Report-ID: <ID>". Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tlsrpt/generate.hpp"

namespace intransit::tlsrpt {

struct ReportMail {
  std::string from;       // From: (the envelope sender too)
  std::string to;         // the rua's address
  std::string submitter;  // TLS-Report-Submitter (RFC 8460 §5.3)
  std::string organization;
  std::int64_t now = 0;  // Date:
};

// The RFC 5322 message, lines ending in CRLF (not dot-stuffed: smtp::data_lines does that).
std::string report_message(const GeneratedReport& report, const ReportMail& mail);

}  // namespace intransit::tlsrpt
