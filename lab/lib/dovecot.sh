# dovecot.sh — mail *client* servers (issue 21): Dovecot 2.3 instances, each a master of its own
# (`dovecot -c $STATE/dovecot/NAME/dovecot.conf`, base_dir, state_dir and log under that directory)
# on its own address inside the lab namespace, with one passwd-file user (lab / lab-password) and
# mail under $STATE. The system Dovecot (/etc/dovecot) is never used. Names in client.test (dns.sh):
#   starttls   imap.client.test       IMAP 143 STARTTLS + POP3 110 STLS, disable_plaintext_auth = yes
#                                     (LOGINDISABLED before TLS); its auth socket is Postfix's SASL
#   implicit   imaps.client.test      IMAPS 993 + POP3S 995 only
#   plainauth  plainauth.client.test  IMAP 143 + POP3 110, STARTTLS/STLS offered, but
#                                     disable_plaintext_auth = no: a password may cross in clear
#   preauth    preauth.client.test    IMAP 143 greeting `* PREAUTH`: Dovecot's imap binary run
#                                     standalone (as `ssh host imap` would) per connection by a small
#                                     Python listener (dovecot_preauth.py), as nobody; no TLS at all
# Postfix's submission 587/465 instance is in postfix.sh (postfix_submission).

DOVECOT_INSTANCES=(starttls implicit plainauth)

# dovecot_conf NAME ADDR CERT — the whole configuration of one instance, on stdout.
dovecot_conf() {
  local name=$1 addr=$2 cert=$3 d=$STATE/dovecot/$1 plaintext=yes imap=143 imaps=0 pop3=110 pop3s=0
  case "$name" in
    implicit) imap=0 imaps=993 pop3=0 pop3s=995 ;;
    plainauth) plaintext=no ;;
  esac
  cat <<CONF
# intransit lab Dovecot instance "$name"
instance_name = intransit-lab-$name
base_dir = $d/run
state_dir = $d/state
log_path = $d/log/dovecot.log
info_log_path = $d/log/dovecot.log
protocols = imap pop3
listen = $addr
shutdown_clients = yes
default_internal_user = dovecot
default_login_user = dovenull
ssl = yes
ssl_cert = <$STATE/ca/certs/$cert.chain
ssl_key = <$STATE/ca/certs/$cert.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = $plaintext
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$d/home/%u
}
first_valid_uid = 1
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = $imap
  }
  inet_listener imaps {
    port = $imaps
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $pop3
  }
  inet_listener pop3s {
    port = $pop3s
    ssl = yes
  }
}
service auth {
  unix_listener auth-client {
    mode = 0666
  }
}
CONF
}

dovecot_instance() {
  local name=$1 addr=$2 cert=$3 d=$STATE/dovecot/$1
  mkdir -p "$d/run" "$d/state" "$d/log" "$d/home/lab/Maildir"
  chown -R nobody:nogroup "$d/home"
  echo "lab:{PLAIN}lab-password" >"$d/passwd"
  dovecot_conf "$name" "$addr" "$cert" >"$d/dovecot.conf"
  lab_in_ns dovecot -c "$d/dovecot.conf" >"$d/log/start.log" 2>&1 \
    || lab_die "dovecot $name failed to start: $(cat "$d/log/start.log"; tail -5 "$d/log/dovecot.log" 2>/dev/null)"
}

# The preauth server: a standalone imap (no login process, no master) for user "lab".
dovecot_preauth() {
  local d=$STATE/dovecot/preauth
  mkdir -p "$d/home/lab/Maildir" "$d/log"
  cat >"$d/dovecot.conf" <<CONF
# intransit lab: configuration of the standalone (PREAUTH) imap for preauth.client.test
base_dir = $d/run
log_path = $d/log/imap.log
mail_location = maildir:~/Maildir
CONF
  chown -R nobody:nogroup "$d/home" "$d/log"
  # Not through lab_in_ns: a backgrounded function would be a subshell and $! its PID.
  ip netns exec "$LAB_NETNS" python3 "$LAB_ROOT/lib/dovecot_preauth.py" "$ADDR_IMAP_PREAUTH" 143 \
    "$d/dovecot.conf" "$d/home/lab" </dev/null >"$d/log/listener.log" 2>&1 &
  echo $! >"$d/listener.pid"
}

dovecot_start_all() {
  # Dovecot counts a connection whose source address equals its local address as secured (as
  # if over TLS) and then drops LOGINDISABLED; on lo the kernel picks exactly that source. Make
  # clients of the STARTTLS servers come from 127.0.0.1 instead, as a remote client would differ.
  local a
  for a in "$ADDR_IMAP_STARTTLS" "$ADDR_IMAP_PLAINAUTH"; do
    ip -n "$LAB_NETNS" route replace local "$a" dev lo proto kernel scope host src 127.0.0.1 table local
  done
  # Wait for these three only: a bare `wait` would also wait for daemons started earlier.
  local pids=()
  dovecot_instance starttls "$ADDR_IMAP_STARTTLS" client-imap & pids+=($!)
  dovecot_instance implicit "$ADDR_IMAP_IMPLICIT" client-imaps & pids+=($!)
  dovecot_instance plainauth "$ADDR_IMAP_PLAINAUTH" client-plainauth & pids+=($!)
  local pid
  for pid in "${pids[@]}"; do wait "$pid" || lab_die "a Dovecot instance failed to start"; done
  dovecot_preauth
  local p
  for a in "$ADDR_IMAP_STARTTLS:143" "$ADDR_IMAP_STARTTLS:110" "$ADDR_IMAP_IMPLICIT:993" \
    "$ADDR_IMAP_IMPLICIT:995" "$ADDR_IMAP_PLAINAUTH:143" "$ADDR_IMAP_PLAINAUTH:110" "$ADDR_IMAP_PREAUTH:143"; do
    p=${a##*:}
    lab_wait_tcp "${a%:*}" "$p" 30 || lab_die "nothing listening on $a (Dovecot): $(tail -5 "$STATE"/dovecot/*/log/*.log 2>/dev/null)"
  done
}

# dovecot_stop_all — each master by its PID file (it ends its own children: login, auth, imap,
# pop3, config, log, anvil), then the preauth listener (its imap children end with their clients;
# lab/down ends any leftover in the namespace).
dovecot_stop_all() {
  local n
  for n in "${DOVECOT_INSTANCES[@]}"; do
    lab_stop_pidfile "$STATE/dovecot/$n/run/master.pid" "dovecot $n"
  done
  lab_stop_pidfile "$STATE/dovecot/preauth/listener.pid" "dovecot preauth listener"
}
