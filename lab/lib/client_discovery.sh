# client_discovery.sh — what a mail client discovers (issue 21, `intransit client`): SRV records
# (RFC 6186, RFC 8314 §5.1) and Thunderbird-format autoconfig files for four lab domains, all
# pointing at the Dovecot/Postfix client servers of dovecot.sh (client.test). Sourced by lab/up
# (certificates, then nginx) and lab/lib/dns.sh (zone records). Addresses: 127.0.5.10-49.
#   disco.test         signed; all six SRV records; an HTTPS autoconfig that agrees
#   disco-http.test    signed; no SRV; autoconfig served over plain http only (never used)
#   disco-foreign.test UNSIGNED; SRV _imaps -> imaps.client.test, whose certificate names only
#                      itself: not authenticated (RFC 7817 §3)
#   disco-nopop.test   signed; SRV says "." for pop3 and pop3s (not offered); an HTTPS
#                      .well-known autoconfig with one socketType plain submission server

# Addresses (ADDR_DISCO_HTTPS, ADDR_DISCO_HTTP) are in common.sh's address plan; the zones are
# listed in dns.sh (DNS_CHILD_ZONES, DNS_UNSIGNED_ZONES).

# client_discovery_zone_body ZONE — the records of one discovery domain (after SOA/NS).
client_discovery_zone_body() {
  case "$1" in
    disco.test)
      echo "_submissions._tcp SRV 0 1 465 submit.client.test."
      echo "_submission._tcp SRV 10 1 587 submit.client.test."
      echo "_imaps._tcp SRV 0 1 993 imaps.client.test."
      echo "_imap._tcp SRV 10 1 143 imap.client.test."
      echo "_pop3s._tcp SRV 0 1 995 imaps.client.test."
      echo "_pop3._tcp SRV 10 1 110 imap.client.test."
      echo "autoconfig A $ADDR_DISCO_HTTPS" ;;
    disco-http.test) echo "autoconfig A $ADDR_DISCO_HTTP" ;;
    disco-foreign.test) echo "_imaps._tcp SRV 0 1 993 imaps.client.test." ;;
    disco-nopop.test)
      echo "_pop3s._tcp SRV 0 0 0 ."
      echo "_pop3._tcp SRV 0 0 0 ."
      echo "_imaps._tcp SRV 0 1 993 imaps.client.test."
      echo "_submissions._tcp SRV 0 1 465 submit.client.test."
      echo "@ A $ADDR_DISCO_HTTPS" ;;
  esac
}

# client_discovery_xml SERVER... — a config-v1.1.xml; each SERVER is DIR:TYPE:HOST:PORT:SOCKET.
client_discovery_xml() {
  local s dir type host port socket
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1">\n'
  printf '  <emailProvider id="%%EMAILDOMAIN%%">\n    <domain>%%EMAILDOMAIN%%</domain>\n'
  for s in "$@"; do
    IFS=: read -r dir type host port socket <<<"$s"
    printf '    <%sServer type="%s">\n      <hostname>%s</hostname>\n' "$dir" "$type" "$host"
    printf '      <port>%s</port>\n      <socketType>%s</socketType>\n' "$port" "$socket"
    printf '      <authentication>password-cleartext</authentication>\n    </%sServer>\n' "$dir"
  done
  printf '  </emailProvider>\n</clientConfig>\n'
}

client_discovery_certs() {
  local dir=$STATE/ca
  ca_genkey "$dir/certs/client-autoconfig.key"
  ca_issue client-autoconfig "autoconfig.disco.test disco-nopop.test"
  chmod 644 "$dir/certs/client-autoconfig.crt" "$dir/certs/client-autoconfig.chain"
}

# A second nginx of its own (not nginx.sh's MTA-STS one), so the two can change apart.
client_discovery_nginx() {
  local n=$STATE/client-discovery c=$STATE/ca/certs/client-autoconfig
  mkdir -p "$n/logs" "$n/tmp" "$n/www/disco/mail" "$n/www/nopop/.well-known/autoconfig/mail" \
    "$n/www/http/mail"
  client_discovery_xml incoming:imap:imaps.client.test:993:SSL \
    incoming:imap:imap.client.test:143:STARTTLS incoming:pop3:imaps.client.test:995:SSL \
    incoming:pop3:imap.client.test:110:STARTTLS \
    outgoing:smtp:submit.client.test:465:SSL outgoing:smtp:submit.client.test:587:STARTTLS \
    >"$n/www/disco/mail/config-v1.1.xml"
  client_discovery_xml incoming:imap:imaps.client.test:993:SSL \
    outgoing:smtp:submit.client.test:587:plain \
    >"$n/www/nopop/.well-known/autoconfig/mail/config-v1.1.xml"
  client_discovery_xml incoming:imap:imap.client.test:143:STARTTLS \
    outgoing:smtp:submit.client.test:587:plain >"$n/www/http/mail/config-v1.1.xml"
  chmod -R a+rX "$n/www"
  local xml="types { } default_type text/xml;"
  cat >"$n/nginx.conf" <<CONF
# intransit lab nginx: mail-client autoconfig (client_discovery.sh)
worker_processes 1;
pid $n/nginx.pid;
error_log $n/logs/error.log;
events { worker_connections 64; }
http {
    access_log $n/logs/access.log;
    client_body_temp_path $n/tmp/body;
    proxy_temp_path $n/tmp/proxy;
    fastcgi_temp_path $n/tmp/fastcgi;
    uwsgi_temp_path $n/tmp/uwsgi;
    scgi_temp_path $n/tmp/scgi;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate $c.chain;
    ssl_certificate_key $c.key;
    server { listen $ADDR_DISCO_HTTPS:443 ssl; server_name autoconfig.disco.test; root $n/www/disco; $xml }
    server { listen $ADDR_DISCO_HTTPS:443 ssl; server_name disco-nopop.test; root $n/www/nopop; $xml }
    server { listen $ADDR_DISCO_HTTPS:80; return 404; }
    server { listen $ADDR_DISCO_HTTP:80; server_name autoconfig.disco-http.test; root $n/www/http; $xml }
}
CONF
  lab_in_ns nginx -c "$n/nginx.conf" -p "$n" -e "$n/logs/error.log" \
    || lab_die "nginx (autoconfig) failed: $(tail -5 "$n/logs/error.log")"
  lab_wait_tcp "$ADDR_DISCO_HTTPS" 443 || lab_die "nginx (autoconfig) does not listen"
}
