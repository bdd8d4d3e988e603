// log_parser.cpp — see log_parser.hpp.
#include "logs/log_parser.hpp"

namespace intransit::logs {

LogParser::LogParser(const TimeContext& ctx, bool tls_logged, std::size_t max_pending)
    : ctx_(ctx), tls_logged_(tls_logged), postfix_(max_pending), sendmail_(max_pending) {}

void LogParser::note_unparsed(std::string_view raw) {
  ++stats_.lines;
  ++stats_.unparsed;
  if (stats_.unparsed_samples.size() < kUnparsedSamples) {
    stats_.unparsed_samples.emplace_back(raw.substr(0, kEvidenceLineBytes));
  }
}

void LogParser::count(LineUse use, std::string_view raw) {
  switch (use) {
    case LineUse::delivery: ++stats_.deliveries; break;
    case LineUse::tls:
      ++stats_.tls;
      tls_logged_ = true;
      break;
    case LineUse::ignored: ++stats_.ignored; break;
    case LineUse::unparsed: note_unparsed(raw); return;
  }
  ++stats_.lines;
}

LineUse LogParser::dispatch(const SyslogLine& line, std::string_view raw,
                            const EmitDelivery& emit) {
  const auto program = line.program;
  if (is_sendmail_program(program)) return sendmail_.feed(line, raw, tls_logged_, emit);
  if (program.starts_with("exim"))
    return feed_exim_body(line.message, raw, line.time, line.host, emit);
  return postfix_.feed(line, raw, tls_logged_, emit);
}

void LogParser::feed_line(std::string_view raw, const EmitDelivery& emit) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  if (raw.empty()) {
    ++stats_.lines;
    ++stats_.ignored;
    return;
  }
  if (looks_like_exim_mainlog(raw)) {
    count(feed_exim_mainlog(raw, emit), raw);
    return;
  }
  const auto line = parse_syslog(raw, ctx_);
  if (!line) {
    note_unparsed(raw);
    return;
  }
  count(dispatch(*line, raw, emit), raw);
}

void LogParser::feed_record(const LogTime& time, std::string_view host, std::string_view program,
                            std::string_view pid, std::string_view message, std::string_view raw,
                            const EmitDelivery& emit) {
  SyslogLine line;
  line.time = time;
  line.host = host;
  line.program = program;
  line.pid = pid;
  line.message = message;
  count(dispatch(line, raw, emit), raw);
}

LineStats LogParser::stats() const {
  LineStats s = stats_;
  s.evicted = postfix_.evicted() + sendmail_.evicted();
  return s;
}

}  // namespace intransit::logs
