# common.sh — shared helpers for lab/up, lab/down, lab/exec and lab/selftest.
# Sourced, not run. Defines the state directory layout, the network namespace name and small
# helpers to wait for sockets. Every address used by the lab is listed here (the address plan),
# so nothing else in lab/ hard-codes one.

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_DEFAULT_STATE=/tmp/intransit-lab

# --- address plan (all loopback, all inside the lab's own network namespace) ---
ADDR_KNOT=127.53.0.1        # authoritative DNS: root, test. and every lab zone
ADDR_DEAD_NS=127.53.0.99    # nameserver of servfail.test: nothing listens here
ADDR_UNBOUND=127.0.0.53     # validating recursive resolver for libc clients (delv, curl, postfix)
ADDR_PF_PLAIN=127.0.1.1     # Postfix without TLS
ADDR_PF_MODERN=127.0.1.2    # Postfix, STARTTLS, TLS 1.2+1.3, lab-CA certificate
ADDR_PF_LEGACY=127.0.1.3    # Postfix, STARTTLS, TLS 1.0/1.1 only
ADDR_PF_SELFSIGNED=127.0.1.4
ADDR_PF_EXPIRED=127.0.1.5
ADDR_PF_WRONGNAME=127.0.1.6
ADDR_EXIM=127.0.1.7         # Exim 4 (GnuTLS build), STARTTLS
ADDR_OPENSMTPD=127.0.1.8    # OpenSMTPD, no TLS (see opensmtpd.sh): real OpenSMTPD Received headers for trace
ADDR_UNREACHABLE=127.0.1.99 # MX address with nothing listening (RST: connection refused)
ADDR_BLACKHOLE=127.0.1.98   # MX address whose SYNs are dropped by nftables (connect timeout)
ADDR_NGINX=127.0.2.1        # MTA-STS policy hosts (HTTPS, SNI)
ADDR_TARPIT=127.0.8.1       # a tarpit MX for lab/population: greets one byte every 3 s (tarpit.py)
ADDR_BUSY=127.0.8.2         # a rate-limiting MX for lab/population: 421 to every connection (tarpit.py busy)
# A "remote" sender for trace tests: TEST-NET-1 (RFC 5737), bound to lo inside the lab
# namespace only, so that Received headers show a non-loopback client.
ADDR_SENDER=192.0.2.25
# Mail *client* servers (issue 21, dovecot.sh; names in client.test): Dovecot IMAP/POP3 and a
# Postfix submission instance (587 STARTTLS, 465 implicit TLS).
ADDR_IMAP_STARTTLS=127.0.5.1   # imap.client.test: IMAP 143 STARTTLS + POP3 110 STLS, LOGINDISABLED
ADDR_IMAP_IMPLICIT=127.0.5.2   # imaps.client.test: IMAPS 993 + POP3S 995 only
ADDR_IMAP_PLAINAUTH=127.0.5.3  # plainauth.client.test: 143/110, passwords allowed before TLS
ADDR_IMAP_PREAUTH=127.0.5.4    # preauth.client.test: IMAP 143 greeting * PREAUTH
ADDR_SUBMISSION=127.0.5.5      # submit.client.test: Postfix 587 (STARTTLS, AUTH after TLS) + 465
# Mail-client discovery (issue 21, client_discovery.sh): the autoconfig web server (an nginx).
ADDR_DISCO_HTTPS=127.0.5.10    # autoconfig.disco.test, disco-nopop.test: HTTPS 443 (80: 404)
ADDR_DISCO_HTTP=127.0.5.11     # autoconfig.disco-http.test: plain http 80 only
# lab_nth_addr PREFIX NAME LIST... — PREFIX.N where NAME is the Nth item of LIST (from 1).
lab_nth_addr() {
  local prefix=$1 name=$2 i=0 item
  shift 2
  for item in "$@"; do
    i=$((i + 1))
    [ "$item" = "$name" ] && { echo "$prefix.$i"; return 0; }
  done
  return 1
}
# `intransit sink` scenarios (started by the sink tests, not by lab/up), one address each, in
# sink.test: <scenario>.sink.test MX mx.<scenario>.sink.test -> these. The strip-proxy listens on
# ADDR_STRIP (stripped.sink.test) and relays to the modern Postfix.
SINK_SCENARIOS=(valid no-starttls starttls-refused handshake-fails self-signed expired wrong-name
  tls10-only requiretls dane-mismatch mtasts-mismatch)
sink_addr() { lab_nth_addr 127.0.3 "$1" "${SINK_SCENARIOS[@]}"; }  # 127.0.3.N, N = position + 1
ADDR_STRIP=127.0.3.100
# Postfix instances as *senders* under test (smtp_tls_security_level), each binding its own
# source address so the sink tells them apart; swaks sends from ADDR_SWAKS_SENDER.
# "mta-sts" is level may plus postfix-mta-sts-resolver's policy map (Postfix has no MTA-STS).
SENDER_LEVELS=(may encrypt dane verify mta-sts)
ADDR_MTASTS_RESOLVER=127.0.4.20  # mta-sts-daemon (socketmap) for the mta-sts sender
sender_addr() { lab_nth_addr 127.0.4 "$1" "${SENDER_LEVELS[@]}"; }  # 127.0.4.N
ADDR_SWAKS_SENDER=127.0.4.10
LAB_ADDRESSES=("$ADDR_KNOT" "$ADDR_UNBOUND" "$ADDR_PF_PLAIN" "$ADDR_PF_MODERN" "$ADDR_PF_LEGACY"
  "$ADDR_PF_SELFSIGNED" "$ADDR_PF_EXPIRED" "$ADDR_PF_WRONGNAME" "$ADDR_EXIM" "$ADDR_NGINX" "$ADDR_SENDER"
  "$ADDR_STRIP" "$ADDR_SWAKS_SENDER" "$ADDR_MTASTS_RESOLVER" "$ADDR_OPENSMTPD"
  "$ADDR_IMAP_STARTTLS" "$ADDR_IMAP_IMPLICIT" "$ADDR_IMAP_PLAINAUTH" "$ADDR_IMAP_PREAUTH" "$ADDR_SUBMISSION"
  "$ADDR_DISCO_HTTPS" "$ADDR_DISCO_HTTP")
# Postfix insists that inet_interfaces names an address on an interface: every sender and sink
# address goes on lo (any 127/8 address is local anyway, but Postfix checks the list).
for _l in "${SENDER_LEVELS[@]}"; do LAB_ADDRESSES+=("$(sender_addr "$_l")"); done
for _l in "${SINK_SCENARIOS[@]}"; do LAB_ADDRESSES+=("$(sink_addr "$_l")"); done
unset _l

lab_die() { echo "lab: $*" >&2; exit 1; }
lab_log() { [ -n "${LAB_QUIET:-}" ] || echo "lab: $*" >&2; }

# lab_state_dir [DIR] — absolute state directory (created by up, read by the others).
lab_state_dir() {
  local d=${1:-$LAB_DEFAULT_STATE}
  case "$d" in /*) ;; *) d="$PWD/$d" ;; esac
  echo "${d%/}"
}

# lab_netns STATE — the namespace name, stable per state directory so two labs can coexist.
lab_netns() {
  local sum
  sum=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
  echo "intransit-lab-$sum"
}

lab_in_ns() { ip netns exec "$LAB_NETNS" "$@"; }

# lab_wait_tcp ADDR PORT [SECONDS] — poll until something listens (no fixed sleeps).
lab_wait_tcp() {
  local addr=$1 port=$2 limit=${3:-20} i
  for ((i = 0; i < limit * 20; i++)); do
    if lab_in_ns bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# lab_port_closed ADDR PORT — true when nothing accepts a connection there any more.
lab_port_closed() {
  ! lab_in_ns bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# lab_pid_alive PIDFILE — the process in PIDFILE exists and is not a zombie.
lab_pid_alive() {
  local pid state
  [ -s "$1" ] || return 1
  pid=$(head -n1 "$1" 2>/dev/null | tr -dc 0-9)
  [ -n "$pid" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# lab_pidfiles STATE — every PID file a lab daemon writes (some may not exist).
lab_pidfiles() {
  local s=$1
  printf '%s\n' "$s/dns/run/knot.pid" "$s/unbound/unbound.pid" "$s/nginx/nginx.pid" \
    "$s/exim/exim.pid" "$s/mta-sts/daemon.pid" "$s/opensmtpd/smtpd.pid" "$s"/postfix/*/queue/pid/master.pid \
    "$s"/dovecot/*/run/master.pid "$s/dovecot/preauth/listener.pid" "$s/tarpit/tarpit.pid" "$s/tarpit/busy.pid"
}

# lab_stop_pidfile PIDFILE NAME — TERM, wait, then KILL, only the process the file names.
lab_stop_pidfile() {
  local f=$1 name=$2 pid i
  lab_pid_alive "$f" || return 0
  pid=$(head -n1 "$f" 2>/dev/null | tr -dc 0-9)
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do lab_pid_alive "$f" || return 0; sleep 0.05; done
  lab_log "$name did not stop on TERM; sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# --- issue 18 (serve's address guard): MX and mta-sts hosts in special-purpose ranges that
# `check --no-private` (and serve without --allow-private) must not connect to. Bound on lo so a
# connection, when made, is refused rather than lost; lab/up counts every packet sent to them
# (nft counter ssrf_packets), so a test sees whether a connection was attempted.
ADDR_SSRF_PRIVATE=10.255.0.25  # MX of ssrf-private.test and (IPv4-mapped AAAA) ssrf-mapped.test
ADDR_SSRF_CGNAT=100.64.0.25    # MX of ssrf-cgnat.test (RFC 6598 shared address space)
ADDR_SSRF_STS=10.255.0.80      # mta-sts.ssrf-sts.test (the MTA-STS policy host)
LAB_ADDRESSES+=("$ADDR_SSRF_PRIVATE" "$ADDR_SSRF_CGNAT" "$ADDR_SSRF_STS")
