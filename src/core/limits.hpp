// limits.hpp — every bound intransit puts on untrusted input, in one place, each with its reason.
// A limit that is hit is reported as a typed outcome, never silently truncated into a "result".
// Sources: shared/RELIABILITY.md "Defaults", RFC 5321 §4.5.3, Postfix and zgrab2 defaults.
#pragma once

#include <chrono>
#include <cstddef>

namespace intransit::limits {

// --- SMTP replies read by the prober (RELIABILITY.md items 6, 7, 8) ---

// One reply line, without its CRLF. RFC 5321 §4.5.3.1.5 says 512 octets, but real servers send
// longer text; Postfix reads 2048 (line_length_limit) and so do we.
inline constexpr std::size_t kReplyLineBytes = 2048;

// Lines in one multi-line reply: an endless "250-x" stream must stop early. Real EHLO replies
// have < 30 lines; 512 leaves room for verbose banners (derived, RELIABILITY.md item 6).
inline constexpr std::size_t kReplyLines = 512;

// Bytes in one reply, line ends included: zgrab2's 64 KiB reply buffer.
inline constexpr std::size_t kReplyBytes = 64 * 1024;

}  // namespace intransit::limits

namespace intransit::limits {

// --- One SMTP probe (RELIABILITY.md items 1-8, 16, 18, 22 and "Defaults") ---

// Bytes read from one connection, all phases together: zgrab2 reads at most 96 KB per host; a
// banner, two EHLO replies and a STARTTLS reply need far less. Ends a never-ending stream.
inline constexpr std::size_t kProbeReadBytes = 256 * 1024;

// Certificate chain the TLS stack accepts from a server: OpenSSL's own default, made explicit
// (SSL_CTX_set_max_cert_list), so a 100-kB-plus chain ends as a typed TLS error.
inline constexpr long kMaxCertChainBytes = 100 * 1024;

// Deadlines per phase of the dialogue (scan-mode defaults, RELIABILITY.md "Defaults"). Each is
// a deadline for the whole phase, not per read, so a 1-byte-per-second drip ends (item 5).
// Connect: zgrab2 uses 10 s, Postfix 30 s.
inline constexpr std::chrono::milliseconds kConnectDeadline{10'000};
// Banner: RFC 5321 §4.5.3.2.1 allows 5 minutes and tarpits delay on purpose (item 4); in scan
// mode 60 s, and a miss is reported as banner-timeout, never as "no SMTP".
inline constexpr std::chrono::milliseconds kBannerDeadline{60'000};
// EHLO and STARTTLS replies: zgrab2's 60 s target timeout.
inline constexpr std::chrono::milliseconds kCommandDeadline{60'000};
// TLS handshake, all of it (item 16; derived).
inline constexpr std::chrono::milliseconds kHandshakeDeadline{30'000};
// QUIT: the result is recorded already; do not wait (item 22, Postfix smtp_skip_quit_response).
inline constexpr std::chrono::milliseconds kQuitDeadline{2'000};
// Whole probe of one address (zgrab2 60 s; we allow one slow phase more). `--timeout` sets it.
inline constexpr std::chrono::milliseconds kProbeDeadline{120'000};

// Transcript kept per probe, for the report: enough for the whole normal dialogue, bounded
// against hostile servers. Lines beyond it are counted, not kept.
inline constexpr std::size_t kTranscriptLines = 200;
inline constexpr std::size_t kTranscriptLineBytes = 512;

}  // namespace intransit::limits

namespace intransit::limits {

// Connections one `probe --sweep` holds open to one server at a time: one per TLS version
// (four), each version's handshakes one after another. Polite to a mail server, and the sweep
// still finishes in about the time of its longest version.
inline constexpr int kSweepConnectionsPerHost = 4;

// A sweep handshake answered 421 is retried after a pause that doubles each time, at most this
// often: gives a rate-limiting server ~3.5 s in all before the version is reported incomplete.
inline constexpr std::chrono::milliseconds kSweepBackoffFirst{500};
inline constexpr int kSweepBackoffRetries = 3;

// A sweep handshake is not started with less than this left of the probe's deadline: it could
// not finish an SMTP dialogue and a TLS handshake, and would only be reported as a timeout.
inline constexpr std::chrono::milliseconds kSweepMinimumHandshake{250};

}  // namespace intransit::limits

namespace intransit::limits {

// --- MTA-STS (RELIABILITY.md items 30 and 33) ---

// Policy body: RFC 8461 §3.3 suggests 64 KiB; larger bodies are refused, never truncated.
inline constexpr std::size_t kMtaStsPolicyBytes = 64 * 1024;
// mx lines in one policy (derived): real policies list a handful; 10k lines is an attack.
inline constexpr std::size_t kMtaStsMxLines = 1000;

// --- Mail-client autoconfig (issue 21; Thunderbird's config-v1.1.xml) ---

// The document: real ones are 1-5 KB (Thunderbird's ISPDB entries); 64 KiB as for MTA-STS.
inline constexpr std::size_t kAutoconfigBytes = 64 * 1024;
// Element nesting: the format is 4 deep; 16 leaves room for extensions, not for a depth bomb.
inline constexpr std::size_t kAutoconfigDepth = 16;
// One text field (hostname ≤ 253, port ≤ 5, words): longer is not a value a client would use.
inline constexpr std::size_t kAutoconfigFieldBytes = 512;
// Servers kept per document: providers list a handful; the rest are ignored, with a note.
inline constexpr std::size_t kAutoconfigServers = 32;
// The whole fetch of one autoconfig URL (DNS included in the lookup deadline): as MTA-STS.
inline constexpr std::chrono::milliseconds kAutoconfigFetchDeadline{20'000};

}  // namespace intransit::limits

namespace intransit::limits {

// DNS (RELIABILITY.md items 25-28). One lookup's deadline, like zgrab2's 10 s: a SERVFAIL or
// silence becomes "could not test" instead of holding the whole check.
inline constexpr std::chrono::milliseconds kDnsLookupDeadline{10'000};
// Records kept per answer (MX, A, TXT, TLSA): more is hostile or broken, never useful.
inline constexpr std::size_t kDnsRecordsPerAnswer = 100;
// Bytes of one answer's record data together (a TXT RRset over TCP can reach ~64 KB).
inline constexpr std::size_t kDnsAnswerBytes = 64 * 1024;
// MX hosts of one domain that get probed; the rest are reported as not tested.
inline constexpr std::size_t kMxHostsProbed = 10;
// Addresses of one MX host that get probed.
inline constexpr std::size_t kAddressesPerMx = 8;

// MTA-STS policy fetch (RELIABILITY.md items 29-34): the whole fetch (DNS excepted), as
// KumoMTA's 20 s; RFC 8461 §3.3 suggests at most a minute. HTTP header block cap.
inline constexpr std::chrono::milliseconds kMtaStsFetchDeadline{20'000};
inline constexpr std::size_t kHttpHeaderBytes = 8 * 1024;

}  // namespace intransit::limits

namespace intransit::limits {

// Message headers (RELIABILITY.md item 37): one Received value is read up to this size (real
// ones are under 1 KB); Received fields per message beyond the cap are counted, not parsed.
inline constexpr std::size_t kReceivedBytes = 16 * 1024;
inline constexpr std::size_t kReceivedPerMessage = 100;
// Parenthesised comments nest at most this deep before the rest is read as one comment.
inline constexpr int kCommentDepth = 32;
// Bytes of a text body searched for inline PGP armour (RFC 4880 §6.2): armour starts the body;
// reading whole bodies would cost more than the rest of a mailbox trace.
inline constexpr std::size_t kInlinePgpScanBytes = 64 * 1024;
// An mbox is read in ranges of this many bytes, one buffer per reader thread (1 MiB: buffer and
// traces stay in cache; 8 MiB was ~15 % slower, bench/README.md), plus this much read past the
// range for its last message; a message longer than that is read on from the file in pieces.
inline constexpr std::size_t kMailboxRangeBytes = 1U << 20U;
inline constexpr std::size_t kMailboxRangeSlackBytes = 128U << 10U;
// Reader threads may run this many ranges ahead of the one being handed to the output, so that a
// fast thread need not wait for a slow one; memory stays a few ranges' traces.
inline constexpr std::size_t kMailboxRangesAhead = 8;

}  // namespace intransit::limits

namespace intransit::limits {

// --- The sink, as a receiving MTA (RELIABILITY.md items 38-49 and "Defaults", Postfix's) ---

// One command line without CRLF (Postfix line_length_limit); longer lines are skipped to their
// end and answered 500 (item 38).
inline constexpr std::size_t kSinkCommandLine = 2048;
// Recipients per message (Postfix smtpd_recipient_limit; RFC 5321 §4.5.3.1.8 asks for >= 100).
inline constexpr std::size_t kSinkRecipients = 1000;
// Message size (Postfix message_size_limit), advertised in SIZE (item 45).
inline constexpr std::size_t kSinkMessageBytes = 10'240'000;
// Header block kept in the store per delivery: evidence (the sender's own Received lines), not
// the message; Postfix's header_size_limit.
inline constexpr std::size_t kSinkStoredHeaderBytes = 102'400;
// Concurrent sessions (smtp-sink -m 256); more are answered 421 at once (item 42).
inline constexpr std::size_t kSinkConnections = 256;
// Per-request deadline, and the shorter one under stress (Postfix smtpd_timeout 300s / 10s
// under stress): stress means three quarters of kSinkConnections are in use (item 42, 49).
inline constexpr std::chrono::seconds kSinkCommandTimeout{300};
inline constexpr std::chrono::seconds kSinkStressTimeout{10};
// Minimum DATA rate in bytes per second (Postfix smtpd_min_data_rate): each read of N bytes
// extends the DATA deadline by N / rate seconds, never beyond the per-request timeout.
inline constexpr std::size_t kSinkMinDataRate = 500;
// Error replies before the sink hangs up (smtpd_hard_error_limit), and commands that do not
// move a transaction on (NOOP, RSET, VRFY, HELP, unknown) before it does (junk limit) (item 43).
inline constexpr int kSinkHardErrors = 20;
inline constexpr int kSinkJunkCommands = 100;

}  // namespace intransit::limits

namespace intransit::limits {

// --- SMTP paths the sink parses (RFC 5321 §4.5.3.1, RELIABILITY.md item 48) ---
inline constexpr std::size_t kSmtpLocalPart = 64;
inline constexpr std::size_t kSmtpDomain = 255;  // also the longest EHLO name kept
inline constexpr std::size_t kSmtpPath = 256;
// ESMTP parameters on one MAIL/RCPT: real clients send a handful (SIZE, BODY, SMTPUTF8, ...).
inline constexpr std::size_t kSmtpParameters = 16;

// --- The strip-proxy (a relay between two MTAs it does not trust) ---
// One command, reply line or piece of a data line; far over RFC 5321's 1000, under any harm.
inline constexpr std::size_t kRelayLineBytes = 64 * 1024;
// Bytes queued for a client that does not read before the proxy hangs up.
inline constexpr std::size_t kRelayOutboxBytes = 1024 * 1024;
// Header block kept per captured message: what an eavesdropper reads, not the whole message.
inline constexpr std::size_t kRelayCapturedHeaderBytes = 16 * 1024;
// Idle time on either side before the relay closes (Postfix smtpd_timeout).
inline constexpr std::chrono::seconds kRelayIdle{300};

// --- trace's fast path: beyond these a header block is not "plain" and GMime reads it ---
// RFC 5322 §2.1.1's 998-octet line, doubled for real-world slack. (A plain block is also within
// kHeaderBlockBytes below, so that nothing of a plain message is ever cut.)
inline constexpr std::size_t kPlainHeaderLineBytes = 2 * 998;

// --- How much of one message `trace` reads (RELIABILITY.md items 37 and 54) ---
// Each header line is kept up to this many bytes; the rest of the line is counted and skipped.
// Twice kReceivedBytes, so a Received field is still read up to its own cap; RFC 5322 §2.1.1
// allows 998. Without it a 200 MB Received line cost 845 MB in GMime (about 4x the line).
inline constexpr std::size_t kHeaderLineBytes = 2 * kReceivedBytes;
// A header block (with the mbox From_ line) is read up to this many bytes, counted as read, not
// as kept: past it the rest of the message is not read, so /dev/zero or an endless pipe ends.
// Postfix's header_size_limit (102400): mail that came through Postfix never has more.
inline constexpr std::size_t kHeaderBlockBytes = 100 * 1024;
// The start of a body kept for GMime: all that trace looks at is the first kInlinePgpScanBytes
// (inline PGP armour), plus room for the line end GMime takes off before the next From_ line.
inline constexpr std::size_t kMessageBodyKeepBytes = kInlinePgpScanBytes + 4096;

}  // namespace intransit::limits

namespace intransit::limits {

// --- `outbound`: MTA logs (RELIABILITY.md "Defaults"; issue 19) ---

// One log line: syslog's RFC 5424 §6.1 leaves the size to the transport and rsyslog allows 8 KiB
// by default; 64 KiB keeps any real MTA line (Postfix's line_length_limit is 2048 for SMTP, and
// a delivery line quotes one reply) and bounds memory (derived). Longer lines are cut and counted.
inline constexpr std::size_t kLogLineBytes = 64 * 1024;
// Joins waiting per process (a TLS line before its deliveries): Postfix runs at most
// default_process_limit = 100 smtp processes per instance; 4096 leaves room for many instances
// and hosts in one log, and bounds memory when a hostile log interleaves endless processes.
inline constexpr std::size_t kPendingJoins = 4096;
// Bytes of each input looked at before reading to decide whether the MTA logs TLS at all: enough
// for a busy day's first TLS line, and a bound on the work before the first result (derived).
inline constexpr std::size_t kTlsPrescanBytes = 64 * 1024 * 1024;

// --- The command line ---

// Bytes an option file (--config, --trust-anchor, --root-hints, --ca-file, --cert, --key) may
// hold: a CA bundle is ~200 KiB, a root hints file 3 KiB; /dev/zero or a 3 GiB file is a mistake.
inline constexpr std::size_t kOptionFileBytes = 4 * 1024 * 1024;

}  // namespace intransit::limits

// TLS-RPT reports (RFC 8460) from strangers, read by `tlsrpt` and serve's POST /tlsrpt
// (RELIABILITY.md "Defaults": 16 MiB decompressed, ratio <= 100, JSON depth 64).
namespace intransit::limits::tlsrpt {

// One report's JSON, after gzip: real daily reports from large senders are a few hundred KiB;
// anything past 16 MiB is a bomb or a mistake and is refused, never truncated.
inline constexpr std::size_t kReportBytes = 16U << 20U;
// Decompressed bytes per compressed byte beyond which a gzip member is refused as a bomb (only
// once the output passes kRatioFloorBytes: tiny reports may compress well).
inline constexpr std::size_t kGzipRatio = 100;
inline constexpr std::size_t kRatioFloorBytes = 1U << 20U;
// Compressed bytes read from one file or MIME part (a gzip member larger than this would
// decompress past kReportBytes unless it were incompressible noise).
inline constexpr std::size_t kCompressedBytes = kReportBytes;
// Nesting depth of arrays and objects: a report needs 5; 64 leaves room for extensions.
inline constexpr int kJsonDepth = 64;
// Entries kept per list (policies, failure-details, policy-string, mx-host): the rest is counted
// and named in a finding.
inline constexpr std::size_t kListEntries = 10'000;
// Bytes kept of one string field (names, policy lines, additional-information).
inline constexpr std::size_t kFieldBytes = 4096;
// Unknown member names listed in one finding.
inline constexpr std::size_t kUnknownNamesListed = 8;
// Directory levels followed below an INPUT directory, and files read from one input.
inline constexpr int kDirectoryDepth = 8;
inline constexpr std::size_t kFilesPerInput = 1'000'000;
// `--verify`: (domain, result-type, MX) re-tests per run, and distinct domains audited. A real
// mailbox has a handful of failing MX per domain; a report from a stranger may name 10 000
// invented MX hosts, and each re-test is a connection we open, so the rest is counted, not run.
inline constexpr std::size_t kVerifyTargets = 256;
inline constexpr std::size_t kVerifyDomains = 64;
// Addresses probed for a receiving MX that is no longer among the domain's MX hosts.
inline constexpr std::size_t kVerifyAddressesPerHost = 2;
// `generate --submit`: one submission of a report, the whole SMTP conversation with the relay
// (TLS included) or the whole HTTPS POST. A report is small (gzip'd JSON, a few KiB); RFC 5321
// §4.5.3.2 allows a server minutes per command, but a relay that has not taken a small message
// in a minute is failing: that submission is reported failed and the next rua is tried.
inline constexpr std::chrono::seconds kSubmitDeadline{60};

}  // namespace intransit::limits::tlsrpt

namespace intransit::limits {

// scan's back-off (issue 16 "Polite"): after a 421/4xx or a connection error from a /24 (IPv4)
// or /48 (IPv6), new connections to that prefix wait; the pause doubles with each such answer
// in a row, from kScanBackoffFirst up to kScanBackoffCap, and is jittered (half to all of it) so
// that the waiting connections do not all return at one instant. An address answered 421 is
// tried again at most kScanRateLimitRetries times after its pause, then reported rate-limited:
// about 1.5-3 s and 3-6 s of patience, enough for a server that was briefly busy, without
// holding a domain's audit for minutes on a server that is limiting us on purpose.
inline constexpr std::chrono::milliseconds kScanBackoffFirst{1'500};
inline constexpr std::chrono::milliseconds kScanBackoffCap{120'000};
inline constexpr int kScanRateLimitRetries = 2;
// Prefixes remembered at once; a prefix whose pause ended longer than the cap ago is forgotten
// first (it starts over at kScanBackoffFirst), so the memory does not grow with the population.
inline constexpr std::size_t kScanBackoffPrefixes = 65'536;

}  // namespace intransit::limits

namespace intransit::limits {

// Domains a scan keeps parked, beyond --dns-concurrency, while they wait for a shared probe of
// a slow server (a tarpit greets one byte every few seconds, for up to the banner deadline):
// the other domains go on meanwhile. A parked domain holds its DNS facts, a few KB: 4096 of
// them are ~10-20 MB. Past that, further domains of the slow server wait for a slot as before.
inline constexpr std::size_t kScanParkedDomains = 4096;

}  // namespace intransit::limits

// Explicit encryption (`keys`, issue 21): OpenPGP keys from WKD and OPENPGPKEY, S/MIME
// certificates from SMIMEA, all from strangers.
namespace intransit::limits {

// One OpenPGP key (WKD body or OPENPGPKEY record data): GnuPG's dirmngr refuses WKD answers
// above 256 KiB (MAX_WKD_RESULT_LENGTH); a key with a few subkeys and signatures is < 20 KiB.
// The same cap bounds what RNP is asked to parse.
inline constexpr std::size_t kOpenPgpKeyBytes = 256 * 1024;
// One S/MIME certificate from SMIMEA (DER): RFC 8162 certificates are end-entity ones, a few
// KiB; 64 KiB is the most one DNS record can hold anyway.
inline constexpr std::size_t kSmimeCertBytes = 64 * 1024;
// User IDs and subkeys looked at per key: real keys have a handful; a key with thousands is
// hostile (certificate flooding) and the rest is counted, not inspected.
inline constexpr std::size_t kOpenPgpUserIds = 64;
inline constexpr std::size_t kOpenPgpSubkeys = 64;
// Bytes of a WKD `policy` file read (draft-koch-openpgp-webkey-service §4.5: a few lines).
inline constexpr std::size_t kWkdPolicyBytes = 16 * 1024;
// An e-mail address given to `keys` (RFC 5321 §4.5.3.1: 64 octets local part, 255 domain).
inline constexpr std::size_t kAddressBytes = 64 + 1 + 255;

}  // namespace intransit::limits
