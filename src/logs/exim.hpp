// exim.hpp — Exim main log delivery lines (Exim specification ch. 52 "Log files", §52.15
// "Reading log files"; 4.96):
//   "2026-12-02 12:00:01 1kABCD-0001Ab-Cd => u@example.org R=dnslookup T=remote_smtp
//    H=mx.example.org [192.0.2.1] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes DN=\"CN=...\" C=\"250
//    ...\""
// "=>" first delivery, "->" further address of it, "==" deferred, "**" bounced. X= is logged by
// default (log_selector tls_cipher) and CV= too (tls_certificate_verified): a delivery to a host
// without X= went in plaintext. Each line stands alone: no join is needed.
// The same bodies arrive through syslog ("exim[123]: 1kABCD-... => ...") without the time.
#pragma once

#include "logs/postfix.hpp"

namespace intransit::logs {

// A line of Exim's own main log: its time, then the body.
LineUse feed_exim_mainlog(std::string_view raw, const EmitDelivery& emit);
// The body after the time (and the optional "[pid] "), with the time and host known already.
LineUse feed_exim_body(std::string_view body, std::string_view raw, const LogTime& time,
                       std::string_view host, const EmitDelivery& emit);
// True when `raw` starts like an Exim main log line ("2026-12-02 12:00:01 ").
bool looks_like_exim_mainlog(std::string_view raw);

}  // namespace intransit::logs
