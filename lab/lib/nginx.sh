# nginx.sh — the MTA-STS policy hosts (RFC 8461 §3.3): https://mta-sts.<domain>/.well-known/
# mta-sts.txt on one nginx with SNI, plus the hostile variants: a 301 redirect, a text/html
# policy, a body over 64 KiB and a self-signed certificate.

# nginx_policy DOMAIN — the policy text the lab publishes for DOMAIN.
nginx_policy() {
  case "$1" in
    mtasts-testing.test) printf 'version: STSv1\nmode: testing\nmx: mx.mtasts-testing.test\nmax_age: 86400\n' ;;
    mtasts-mismatch.test) printf 'version: STSv1\nmode: enforce\nmx: mx.elsewhere.test\nmax_age: 86400\n' ;;
    mtasts-mismatch.sink.test) printf 'version: STSv1\nmode: enforce\nmx: mx.elsewhere.sink.test\nmax_age: 86400\n' ;;
    *) printf 'version: STSv1\nmode: enforce\nmx: mx.%s\nmax_age: 86400\n' "$1" ;;
  esac
}

nginx_start() {
  local n=$STATE/nginx d
  mkdir -p "$n/logs" "$n/tmp" "$n/www"
  local servers=""
  for d in "${MTASTS_DOMAINS[@]}" mtasts-badcert.test; do
    mkdir -p "$n/www/$d/.well-known"
    nginx_policy "$d" >"$n/www/$d/.well-known/mta-sts.txt"
    local cert=$STATE/ca/certs/mta-sts.$d
    [ "$d" = mtasts-badcert.test ] && cert=$STATE/ca/certs/mtasts-badcert
    local location="location = /.well-known/mta-sts.txt { types { } default_type text/plain; }"
    case "$d" in
      mtasts-redirect.test)
        location="location / { return 301 https://mta-sts.mtasts.test\$request_uri; }" ;;
      mtasts-badtype.test)
        location="location = /.well-known/mta-sts.txt { types { } default_type text/html; }" ;;
      mtasts-huge.test)
        # A syntactically valid policy followed by 70,000 bytes of comment-like padding: a
        # client that truncates at 64 KiB and parses the prefix would wrongly accept it.
        head -c 70000 /dev/zero | tr '\0' '#' >>"$n/www/$d/.well-known/mta-sts.txt" ;;
    esac
    servers+="
    server {
        listen $ADDR_NGINX:443 ssl;
        server_name mta-sts.$d;
        ssl_certificate $cert.chain;
        ssl_certificate_key $cert.key;
        root $n/www/$d;
        $location
    }"
  done
  chmod -R a+rX "$n/www"
  ! declare -F keys_nginx_servers >/dev/null || servers+=$(keys_nginx_servers)  # issue 21: keys.sh
  cat >"$n/nginx.conf" <<CONF
# intransit lab nginx: MTA-STS policy hosts
worker_processes 1;
pid $n/nginx.pid;
error_log $n/logs/error.log;
events { worker_connections 256; }
http {
    # The Host (SNI name's policy host) on every line: lab.scan.all counts fetches per policy host.
    log_format lab '\$host "\$request" \$status';
    access_log $n/logs/access.log lab;
    client_body_temp_path $n/tmp/body;
    proxy_temp_path $n/tmp/proxy;
    fastcgi_temp_path $n/tmp/fastcgi;
    uwsgi_temp_path $n/tmp/uwsgi;
    scgi_temp_path $n/tmp/scgi;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen $ADDR_NGINX:443 ssl default_server;
        ssl_certificate $STATE/ca/certs/mtasts-badcert.chain;
        ssl_certificate_key $STATE/ca/certs/mtasts-badcert.key;
        return 404;
    }$servers
}
CONF
  lab_in_ns nginx -c "$n/nginx.conf" -p "$n" -e "$n/logs/error.log" \
    || lab_die "nginx failed: $(tail -5 "$n/logs/error.log")"
  lab_wait_tcp "$ADDR_NGINX" 443 || lab_die "nginx does not listen"
}
