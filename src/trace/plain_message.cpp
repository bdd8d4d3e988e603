// plain_message.cpp — `trace`'s fast path for one message: from the slices header_scan.cpp found
// to a MessageTrace, with GMime's own utilities for what MIME defines (Message-ID, RFC 2047 in
// From, Content-Transfer-Encoding and base64) and no GMime object per header. Content-Type is read
// only as far as `type/subtype`; anything more (parameters that decide, comments) sends the message
// back to GMime.
#include <algorithm>
#include <vector>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "trace/reader_internal.hpp"
#include "trace/received.hpp"

namespace intransit::trace {
namespace {

// The media type of a plain Content-Type value, lower-cased ("text/plain"), or nullopt when the
// value is anything but `type/subtype` followed by nothing, whitespace or ';' (then GMime reads
// it).
std::optional<std::string> simple_media_type(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  const auto token = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '+' || c == '_';
  };
  std::size_t i = 0;
  while (i < v.size() && token(v[i])) ++i;
  if (i == 0 || i >= v.size() || v[i] != '/') return std::nullopt;
  std::size_t j = i + 1;
  while (j < v.size() && token(v[j])) ++j;
  if (j == i + 1 ||
      (j < v.size() && v[j] != ';' && v[j] != ' ' && v[j] != '\t' && v[j] != '\r' && v[j] != '\n'))
    return std::nullopt;
  return text::lower(v.substr(0, j));
}

}  // namespace

E2e inline_pgp(std::string_view body, bool base64) {
  std::string_view head = body.substr(0, limits::kInlinePgpScanBytes);
  if (base64) {
    // RFC 2045 §6.8: decoded with GMime's own decoder, so both readers see the same bytes.
    thread_local std::vector<unsigned char> decoded(
        limits::kInlinePgpScanBytes);  // 3/4 of it is enough
    int state = 0;
    guint32 save = 0;
    const std::size_t n =
        g_mime_encoding_base64_decode_step(reinterpret_cast<const unsigned char*>(head.data()),
                                           head.size(), decoded.data(), &state, &save);
    head = std::string_view(reinterpret_cast<const char*>(decoded.data()), n);
  }
  // One pass for both armour lines (this reads the start of every text body in a mailbox); an
  // encrypted armour anywhere in the window outranks a signed one, as before.
  constexpr std::string_view kArmour = "-----BEGIN PGP ";
  E2e found = E2e::none;
  for (auto p = head.find(kArmour); p != std::string_view::npos; p = head.find(kArmour, p + 1)) {
    const std::string_view rest = head.substr(p + kArmour.size());
    if (rest.rfind("MESSAGE-----", 0) == 0) return E2e::pgp_inline_encrypted;
    if (rest.rfind("SIGNED MESSAGE-----", 0) == 0) found = E2e::pgp_inline_signed;
  }
  return found;
}

std::optional<MessageTrace> trace_plain(const HeaderScan& scan, const TrustOptions& trust) {
  MessageTrace t;
  if (scan.fields == 0) {
    t.error = kNoHeaderFields;  // as parse_copy says of GMime's message with no header
    return t;
  }
  // RFC 2045 §5.2: no Content-Type means text/plain, the part GMime would make a text part.
  std::string type = "text/plain";
  if (scan.content_type) {
    auto simple = simple_media_type(*scan.content_type);
    if (!simple) return std::nullopt;
    type = std::move(*simple);
  }
  if (type == "multipart/signed" || type == "application/pkcs7-mime" ||
      type == "application/x-pkcs7-mime")
    return std::nullopt;
  if (type == "multipart/encrypted") {
    t.e2e = E2e::pgp_encrypted;
  } else if (type.rfind("text/", 0) == 0) {
    bool base64 = false;
    if (scan.transfer_encoding) {
      // GMime's own reading of the value; a folded one is GMime's to read whole.
      const std::string_view v = *scan.transfer_encoding;
      if (v.find('\n') != std::string_view::npos) return std::nullopt;
      base64 = g_mime_content_encoding_from_string(std::string(v).c_str()) ==
               GMIME_CONTENT_ENCODING_BASE64;
    }
    t.e2e = inline_pgp(scan.body, base64);
  }
  // The common forms without GMime (header_scan.hpp); any other through GMime's own utilities,
  // which want NUL-terminated values: one reused buffer per thread for the copies.
  thread_local std::string c_value;
  if (scan.message_id) {
    // An 8-bit Message-ID: GMime's parser first reads the raw header in its fallback charsets
    // (found by the differential fuzzer: "three@\xdbsecret" became "three@Ûsecret"), so GMime
    // reads the whole message.
    const std::string_view raw = *scan.message_id;
    if (std::any_of(raw.begin(), raw.end(),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      return std::nullopt;
    if (const auto simple = simple_message_id(raw)) {
      t.message_id = text::printable(*simple);
    } else {
      // Unfolded first, as GMime's parser does with every header value (found by the
      // differential fuzzer: a folded Message-ID kept its line break).
      c_value.assign(*scan.message_id);
      char* unfolded = g_mime_utils_header_unfold(c_value.c_str());
      char* id = g_mime_utils_decode_message_id(unfolded);
      t.message_id = id != nullptr ? text::printable(id) : "";
      g_free(id);
      g_free(unfolded);
    }
  }
  if (scan.from) {
    if (const auto simple = simple_unstructured(*scan.from)) {
      t.from = text::printable(*simple);
    } else {
      c_value.assign(*scan.from);
      char* unfolded = g_mime_utils_header_unfold(c_value.c_str());
      char* decoded = g_mime_utils_header_decode_text(nullptr, unfolded);
      t.from = decoded != nullptr ? text::printable(decoded) : "";
      g_free(decoded);
      g_free(unfolded);
    }
  }
  const std::size_t kept = std::min(scan.received.size(), limits::kReceivedPerMessage);
  t.received_dropped = scan.received.size() - kept;
  t.hops.reserve(kept);
  for (std::size_t i = kept; i-- > 0;) t.hops.push_back({parse_received(scan.received[i]), false});
  judge(t, trust);
  return t;
}

}  // namespace intransit::trace
