# opensmtpd.sh — OpenSMTPD (unpacked into /opt/intransit/opensmtpd by install-deps) as the lab's
# third real MTA, on ADDR_OPENSMTPD:25. It exists to write real OpenSMTPD Received headers for
# `trace`: mail for trace.test goes, its own Received header on top, to
# $STATE/trace/opensmtpd.mbox. Without TLS: Debian 12's OpenSMTPD 6.8.0p2 cannot complete a
# handshake with OpenSSL 3 — its privilege-separated key engine leaves the SMTP process with a
# key it cannot sign with ("elliptic curve routines::missing private key" for ECDSA, an internal
# error for RSA) — so only its plaintext format can come from the real thing; its TLS format is
# covered by the Received corpus. Its spool (/var/spool/smtpd), control socket
# (/var/run/smtpd.sock), chroot (/var/lib/opensmtpd/empty) and helpers (/usr/libexec/opensmtpd)
# are fixed at build time, so it runs
# with lab directories bind-mounted over them inside the mount namespace `ip netns exec` gives it:
# two labs never share them, and the host's directories only serve as mount points.

SMTPD_BIN=/opt/intransit/opensmtpd/usr/sbin/smtpd

opensmtpd_start() {
  local d=$STATE/opensmtpd
  [ -x "$SMTPD_BIN" ] || lab_die "OpenSMTPD is not unpacked at $SMTPD_BIN (run scripts/install-deps)"
  mkdir -p "$d/spool" "$d/run" "$d/empty" /var/spool/smtpd /var/lib/opensmtpd/empty /usr/libexec/opensmtpd
  chmod 711 "$d/spool"
  chmod 755 "$d/empty" "$d/run"
  mkdir -p "$STATE/trace"
  touch "$STATE/trace/opensmtpd.mbox"
  chown nobody "$STATE/trace/opensmtpd.mbox"
  # The MDA gets the message with OpenSMTPD's Received header on top; mbox wants a From_ line.
  cat >"$d/to-mbox" <<SH
#!/bin/sh
{ echo "From opensmtpd@lab.test \$(date -u '+%a %b %e %H:%M:%S %Y')"; sed 's/^From />From /'; echo; } >>"$STATE/trace/opensmtpd.mbox"
SH
  chmod 755 "$d/to-mbox"
  cat >"$d/smtpd.conf" <<CONF
# intransit lab OpenSMTPD
listen on $ADDR_OPENSMTPD port 25 hostname mx.opensmtpd.test
action "trace" mda "$d/to-mbox" virtual { "@" = nobody }
match from any for domain "trace.test" action "trace"
CONF
  chmod 644 "$d/smtpd.conf"
  # -d: stay in the foreground (its log goes to stderr, into smtpd.log); the PID is the daemon's
  # because ip netns exec and sh both exec.
  ip netns exec "$LAB_NETNS" sh -c "mount --bind '$d/spool' /var/spool/smtpd && mount --bind '$d/run' /run && \
    mount --bind '$d/empty' /var/lib/opensmtpd/empty && \
    mount --bind /opt/intransit/opensmtpd/usr/libexec/opensmtpd /usr/libexec/opensmtpd && exec '$SMTPD_BIN' -d -f '$d/smtpd.conf'" \
    </dev/null >"$d/smtpd.log" 2>&1 &
  echo $! >"$d/smtpd.pid"
  lab_wait_tcp "$ADDR_OPENSMTPD" 25 30 || lab_die "OpenSMTPD does not listen: $(tail -5 "$d/smtpd.log")"
}
