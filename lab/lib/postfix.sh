# postfix.sh — several real Postfix instances (`postfix -c DIR`), one per TLS configuration,
# each on its own 127.0.1.x:25 inside the lab namespace. The system Postfix (/etc/postfix) is
# never touched. Mail they accept for lab domains is discarded: the lab tests the transport.
# Except trace.test: every instance with TLS writes what it accepts for it, its own Received
# header on top (with the TLS comment: smtpd_tls_received_header), to
# $STATE/trace/<instance>.mbox through a pipe(8) transport — real headers for `trace`; and
# tlsrpt.test (its rua, tlsrpt@tlsrpt.test) to $STATE/tlsrpt/<instance>.mbox, where the reports
# `tlsrpt generate --submit` mails are read back.
# Four more instances are *senders* (postfix_sender): the sending MTAs `intransit sink` judges.

# postfix_instance NAME ADDR TLS CERT — TLS is none | modern | legacy.
# postfix_prepare DIR COMMENT — directories, Debian's master.cf, and the start of main.cf that
# every instance shares (its own queue, data and log under DIR); the caller appends the rest.
postfix_prepare() {
  local dir=$1
  mkdir -p "$dir/etc" "$dir/queue" "$dir/data" "$dir/log"
  chown postfix "$dir/data"
  cp /usr/share/postfix/master.cf.dist "$dir/etc/master.cf" 2>/dev/null \
    || cp /etc/postfix/master.cf "$dir/etc/master.cf"
  cat >"$dir/etc/main.cf" <<CF
# $2
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file = $dir/log/maillog
maillog_file_prefixes = $dir/log
mail_owner = postfix
CF
}

# postfix_launch NAME DIR — no chroot (the lab paths are outside any), then start it.
postfix_launch() {
  local name=$1 dir=$2
  postconf -c "$dir/etc" -F '*/*/chroot = n'
  lab_in_ns postfix -c "$dir/etc" start >"$dir/log/start.log" 2>&1 \
    || lab_die "postfix $name failed to start: $(cat "$dir/log/start.log"; tail -5 "$dir/log/maillog" 2>/dev/null)"
}

postfix_instance() {
  local name=$1 addr=$2 tls=$3 cert=${4:-} dir=$STATE/postfix/$1
  postfix_prepare "$dir" "intransit lab Postfix instance \"$name\" (TLS: $tls)"
  cat >>"$dir/etc/main.cf" <<CF
myhostname = mx.$name.test
mydomain = $name.test
myorigin = \$myhostname
inet_interfaces = $addr
inet_protocols = ipv4
mynetworks = $addr/32
mydestination = \$myhostname, localhost
relay_domains = test
relay_transport = discard:lab
local_recipient_maps =
alias_maps =
alias_database =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP intransit-lab-$name
biff = no
smtpd_tls_loglevel = 1
CF
  case "$tls" in
    none) echo "smtpd_tls_security_level = none" >>"$dir/etc/main.cf" ;;
    modern)
      cat >>"$dir/etc/main.cf" <<CF
smtpd_tls_security_level = may
smtpd_tls_chain_files = $STATE/ca/certs/$cert.key, $STATE/ca/certs/$cert.chain
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
CF
      ;;
    legacy)
      cat >>"$dir/etc/main.cf" <<CF
smtpd_tls_security_level = may
smtpd_tls_chain_files = $STATE/ca/certs/$cert.key, $STATE/ca/certs/$cert.chain
smtpd_tls_protocols = >=TLSv1, <=TLSv1.1
smtpd_tls_mandatory_protocols = >=TLSv1, <=TLSv1.1
CF
      ;;
  esac
  if [ "$tls" != none ]; then
    mkdir -p "$STATE/trace" "$STATE/tlsrpt"
    chmod 755 "$STATE/trace" "$STATE/tlsrpt"
    touch "$STATE/trace/$name.mbox" "$STATE/tlsrpt/$name.mbox"
    chown nobody "$STATE/trace/$name.mbox" "$STATE/tlsrpt/$name.mbox"
    cat >>"$dir/etc/main.cf" <<CF
smtpd_tls_received_header = yes
transport_maps = inline:{ trace.test=tracefile:, tlsrpt.test=tlsrptfile: }
CF
    postconf -c "$dir/etc" -M \
      "tracefile/unix=tracefile unix - n n - - pipe flags=F user=nobody argv=/usr/bin/tee -a $STATE/trace/$name.mbox"
    postconf -c "$dir/etc" -M \
      "tlsrptfile/unix=tlsrptfile unix - n n - - pipe flags=F> user=nobody argv=/usr/bin/tee -a $STATE/tlsrpt/$name.mbox"
  fi
  postfix_launch "$name" "$dir"
}

# postfix_sender LEVEL — a Postfix as the *sending* MTA under test for `intransit sink`
# (issue 6): it relays whatever 127/8 hands it to the MX of the recipient domain, found through
# the lab's validating resolver (DNSSEC, so "dane" applies DANE), with
# smtp_tls_security_level = LEVEL, from its own source address. Lab CA for "verify".
postfix_sender() {
  local level=$1 addr dir=$STATE/postfix/sender-$1
  addr=$(sender_addr "$level")
  postfix_prepare "$dir" "intransit lab Postfix sender \"$level\" (smtp_tls_security_level = $level)"
  cat >>"$dir/etc/main.cf" <<CF
myhostname = sender-$level.lab.test
inet_interfaces = $addr
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
relay_domains =
smtpd_relay_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
biff = no
smtp_bind_address = $addr
smtp_dns_support_level = dnssec
smtp_tls_security_level = ${level/mta-sts/may}
smtp_tls_CAfile = $STATE/ca/ca.crt
smtp_tls_loglevel = 1
smtp_connect_timeout = 5s
CF
  if [ "$level" = mta-sts ]; then
    echo "smtp_tls_policy_maps = socketmap:inet:$ADDR_MTASTS_RESOLVER:8461:postfix" >>"$dir/etc/main.cf"
  fi
  postfix_launch "sender-$level" "$dir"
}

# mtasts_resolver_start — postfix-mta-sts-resolver's daemon for the mta-sts sender, trusting the
# lab CA (Python's ssl honours SSL_CERT_FILE) and resolving through the lab's resolv.conf.
mtasts_resolver_start() {
  local d=$STATE/mta-sts
  mkdir -p "$d"
  cat >"$d/mta-sts-daemon.yml" <<YML
host: $ADDR_MTASTS_RESOLVER
port: 8461
reuse_port: true
shutdown_timeout: 2
cache:
  type: internal
  options:
    cache_size: 100
default_zone:
  strict_testing: false
  timeout: 4
YML
  # Not through lab_in_ns: a backgrounded function would be a subshell and $! its PID.
  ip netns exec "$LAB_NETNS" env SSL_CERT_FILE="$STATE/ca/ca.crt" \
    mta-sts-daemon -c "$d/mta-sts-daemon.yml" -l "$d/daemon.log" </dev/null >/dev/null 2>&1 &
  echo $! >"$d/daemon.pid"
  lab_wait_tcp "$ADDR_MTASTS_RESOLVER" 8461 30 || lab_die "mta-sts-daemon does not listen: $(tail -5 "$d/daemon.log")"
}

# postfix_submission — mail submission for clients (issue 21) at submit.client.test: 587 with
# STARTTLS and AUTH only after TLS (smtpd_tls_auth_only, RFC 8314 §3.3 / RFC 4954 §4), 465 with
# implicit TLS (smtpd_tls_wrappermode). SASL is Dovecot's (the starttls instance's auth socket,
# dovecot.sh), so start it after dovecot_start_all. Mail it accepts is discarded.
postfix_submission() {
  local dir=$STATE/postfix/submission
  postfix_prepare "$dir" "intransit lab Postfix submission instance (587 STARTTLS, 465 implicit TLS)"
  cat >>"$dir/etc/main.cf" <<CF
myhostname = submit.client.test
inet_interfaces = $ADDR_SUBMISSION
inet_protocols = ipv4
mynetworks =
mydestination =
relay_domains = test
relay_transport = discard:lab
default_transport = discard:lab
alias_maps =
alias_database =
biff = no
smtpd_banner = \$myhostname ESMTP intransit-lab-submission
smtpd_tls_security_level = may
smtpd_tls_chain_files = $STATE/ca/certs/client-submit.key, $STATE/ca/certs/client-submit.chain
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $STATE/dovecot/starttls/run/auth-client
smtpd_relay_restrictions = permit_sasl_authenticated, reject
CF
  postconf -c "$dir/etc" -M "submission/inet=submission inet n - n - - smtpd" \
    "submissions/inet=submissions inet n - n - - smtpd -o smtpd_tls_wrappermode=yes"
  postfix_launch submission "$dir"
  local p
  for p in 587 465; do
    lab_wait_tcp "$ADDR_SUBMISSION" "$p" 30 || lab_die "no Postfix submission listening on $ADDR_SUBMISSION:$p"
  done
}

postfix_start_all() {
  local level
  for level in "${SENDER_LEVELS[@]}"; do postfix_sender "$level" & done
  postfix_instance plain "$ADDR_PF_PLAIN" none &
  postfix_instance modern "$ADDR_PF_MODERN" modern modern &
  postfix_instance legacy "$ADDR_PF_LEGACY" legacy legacy &
  postfix_instance selfsigned "$ADDR_PF_SELFSIGNED" modern selfsigned &
  postfix_instance expired "$ADDR_PF_EXPIRED" modern expired &
  postfix_instance wrongname "$ADDR_PF_WRONGNAME" modern wrongname &
  wait
  local a
  for a in "$ADDR_PF_PLAIN" "$ADDR_PF_MODERN" "$ADDR_PF_LEGACY" "$ADDR_PF_SELFSIGNED" \
    "$ADDR_PF_EXPIRED" "$ADDR_PF_WRONGNAME"; do
    lab_wait_tcp "$a" 25 30 || lab_die "no Postfix listening on $a:25"
  done
  for level in "${SENDER_LEVELS[@]}"; do
    lab_wait_tcp "$(sender_addr "$level")" 25 30 || lab_die "no Postfix sender $level listening"
  done
  # After the `wait` above, which would otherwise wait for the daemon too.
  mtasts_resolver_start
}

postfix_stop_all() {
  local dir
  for dir in "$STATE"/postfix/*/; do
    [ -f "$dir/etc/main.cf" ] || continue
    if [ -e "/run/netns/$LAB_NETNS" ]; then
      lab_in_ns postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
    fi
    lab_stop_pidfile "$dir/queue/pid/master.pid" "postfix $(basename "$dir")"
  done
}
