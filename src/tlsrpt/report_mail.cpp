// report_mail.cpp — see report_mail.hpp. GMime writes the structure (boundaries, base64 lines,
// header folding and encoding); this file says what goes in it.
#include "tlsrpt/report_mail.hpp"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

#include "tlsrpt/datetime.hpp"

namespace intransit::tlsrpt {

namespace {

void gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct Unref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <class T>
using GPtr = std::unique_ptr<T, Unref>;

// CR and LF out of a header value (GMime folds and encodes the rest).
std::string one_line(std::string_view v) {
  std::string out;
  for (const char c : v)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

std::string human_text(const GeneratedReport& r, const ReportMail& m) {
  return one_line("This is an aggregate TLS report (RFC 8460, SMTP TLS Reporting) from " +
                  m.organization + " (" + m.submitter + ") for the policy domain " + r.domain +
                  ".") +
         "\n\nReport-ID: " + one_line(r.report_id) + "\nSessions: " + std::to_string(r.successful) +
         " successful, " + std::to_string(r.failed) + " failed.\n\nThe report is the attached " +
         one_line(r.file_name) + " (application/tlsrpt+gzip).\n";
}

GMimeObject* report_part(const GeneratedReport& r) {
  GMimePart* part = g_mime_part_new_with_type("application", "tlsrpt+gzip");
  GPtr<GMimeStream> bytes(g_mime_stream_mem_new_with_buffer(
      reinterpret_cast<const char*>(r.gzip.data()), r.gzip.size()));
  GPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(bytes.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.get());
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_disposition(GMIME_OBJECT(part), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_part_set_filename(part, r.file_name.c_str());
  return GMIME_OBJECT(part);
}

GMimeObject* report_body(const GeneratedReport& r, const ReportMail& m) {
  GMimeMultipart* report = g_mime_multipart_new_with_subtype("report");
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(report), "report-type", "tlsrpt");
  GPtr<GMimeTextPart> text(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(text.get(), human_text(r, m).c_str());
  g_mime_multipart_add(report, GMIME_OBJECT(text.get()));
  GPtr<GMimeObject> attachment(report_part(r));
  g_mime_multipart_add(report, attachment.get());
  return GMIME_OBJECT(report);
}

}  // namespace

std::string report_message(const GeneratedReport& r, const ReportMail& m) {
  gmime_once();
  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, nullptr,
                             one_line(m.from).c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, one_line(m.to).c_str());
  const std::string subject = "Report Domain: " + r.domain + " Submitter: " + m.submitter +
                              " Report-ID: <" + r.report_id + ">";
  g_mime_message_set_subject(message.get(), one_line(subject).c_str(), "utf-8");
  GDateTime* date = g_date_time_new_from_unix_utc(m.now);
  g_mime_message_set_date(message.get(), date);
  g_date_time_unref(date);
  g_mime_message_set_message_id(message.get(), one_line(r.report_id).c_str());
  auto* object = GMIME_OBJECT(message.get());
  g_mime_object_set_header(object, "TLS-Report-Domain", one_line(r.domain).c_str(), nullptr);
  g_mime_object_set_header(object, "TLS-Report-Submitter", one_line(m.submitter).c_str(), nullptr);
  g_mime_object_set_header(object, "Auto-Submitted", "auto-generated", nullptr);  // RFC 3834
  GPtr<GMimeObject> body(report_body(r, m));
  g_mime_message_set_mime_part(message.get(), body.get());
  GMimeFormatOptions* format = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(object, format);
  g_mime_format_options_free(format);
  std::string out = bytes != nullptr ? bytes : "";
  g_free(bytes);
  return out;
}

}  // namespace intransit::tlsrpt
