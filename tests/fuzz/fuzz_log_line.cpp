// fuzz_log_line.cpp — fuzz target for the MTA log readers (logs/log_parser.hpp: Postfix, Exim,
// Sendmail, syslog timestamps). The input is a log split at LF, fed with a small join cap so
// eviction runs too. Properties: every line is counted exactly once; each delivery has a
// recipient domain, a relay address only with a networked protection or none, at most
// kEvidenceLines evidence lines of at most kEvidenceLineBytes; a TLS protection comes with a
// TLS trust word; escaping every string gives valid UTF-8 (RELIABILITY.md item 51).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_check.hpp"
#include "logs/log_parser.hpp"
#include "logs/tally.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace intransit::logs;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  LogParser parser(TimeContext::at(1796216400), size % 2 == 0, 4);
  Tally tally;
  std::size_t lines = 0;
  const EmitDelivery emit = [&](Delivery& d) {
    FUZZ_CHECK(!d.recipient_domain.empty());
    FUZZ_CHECK(d.lines.size() <= kEvidenceLines && !d.lines.empty());
    for (const auto& l : d.lines) FUZZ_CHECK(l.size() <= kEvidenceLineBytes);
    const bool tls =
        d.protection == Protection::verified || d.protection == Protection::encrypted_unverified;
    FUZZ_CHECK(!tls || !d.tls_trust.empty());
    for (const auto* s : {&d.queue_id, &d.recipient_domain, &d.relay_host, &d.relay_address,
                          &d.tls_version, &d.tls_cipher, &d.tls_trust, &d.host}) {
      FUZZ_CHECK(intransit::text::is_valid_utf8(intransit::text::printable(*s)));
    }
    tally.add(d);
  };
  std::size_t pos = 0;
  while (pos <= input.size()) {
    const auto nl = input.find('\n', pos);
    const auto line =
        input.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    parser.feed_line(line, emit);
    ++lines;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  const auto stats = parser.stats();
  FUZZ_CHECK(stats.lines == lines);
  FUZZ_CHECK(stats.deliveries + stats.tls + stats.ignored + stats.unparsed == lines);
  FUZZ_CHECK(tally.total().deliveries >= stats.deliveries);
  return 0;
}
