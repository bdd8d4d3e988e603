# exim.sh — one Exim 4 instance (Debian's GnuTLS build, unpacked by scripts/install-deps into
# /opt/intransit/exim so that Postfix stays installed), STARTTLS with a lab-CA certificate, on
# its own address inside the lab namespace. Accepted mail for exim.test is discarded.

EXIM_ROOT=/opt/intransit/exim
EXIM_BIN=$EXIM_ROOT/usr/sbin/exim4

exim_start() {
  local d=$STATE/exim
  mkdir -p "$d/spool" "$d/log"
  chown -R Debian-exim:Debian-exim "$d/spool" "$d/log"
  # The heredoc is unquoted so that the lab's addresses and paths ($ADDR_EXIM, $STATE, ...) are
  # filled in; everything else in it must not expand: Exim's own variables are written \$name,
  # and no backquote or $( may appear, not even in a comment (it would run as a command).
  cat >"$d/exim.conf" <<CONF
# intransit lab Exim instance
exim_path = $EXIM_BIN
exim_user = Debian-exim
exim_group = Debian-exim
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
daemon_smtp_ports = 25
local_interfaces = $ADDR_EXIM
primary_hostname = mx.exim.test
smtp_banner = \$primary_hostname ESMTP Exim \$version_number intransit-lab-exim
domainlist local_domains = exim.test : mx.exim.test
tls_advertise_hosts = *
tls_certificate = $STATE/ca/certs/exim.chain
tls_privatekey = $STATE/ca/certs/exim.key
deliver_drop_privilege = true
acl_smtp_rcpt = acl_check_rcpt
host_lookup = !*
rfc1413_hosts =
begin acl
acl_check_rcpt:
  accept domains = +local_domains
  accept domains = trace.test
  deny message = relay not permitted
begin routers
# trace.test: relayed over TLS to the modern Postfix, which writes it to an mbox — a real
# two-hop path (Exim's Received header, then Postfix's) for intransit trace.
trace_relay:
  driver = manualroute
  domains = trace.test
  transport = trace_smtp
  route_list = * $ADDR_PF_MODERN
  self = send
discard_local:
  driver = redirect
  domains = +local_domains
  data = :blackhole:
begin transports
trace_smtp:
  driver = smtp
  interface = $ADDR_SENDER
  hosts_require_tls = *
begin retry
*   *   F,1h,10m
CONF
  lab_in_ns "$EXIM_BIN" -C "$d/exim.conf" -bd -q30m >"$d/log/start.log" 2>&1 \
    || lab_die "exim failed to start: $(cat "$d/log/start.log" "$d"/log/paniclog 2>/dev/null)"
  lab_wait_tcp "$ADDR_EXIM" 25 || lab_die "exim does not listen: $(cat "$d"/log/*log 2>/dev/null | tail -5)"
}
