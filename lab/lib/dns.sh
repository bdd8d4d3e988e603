# dns.sh — the lab's DNS: a private, DNSSEC-signed root, test. and one zone per lab domain on a
# real Knot DNS server, plus a validating unbound for libc clients. Sourced by lab/up.
# Knot signs at start (signatures are relative to now); keys are made first so the DS records
# can go into each parent and the chain of trust runs from the lab root (RFC 4033/4035).
# Outputs: $STATE/dns/{root.hints,root.anchor,delv-anchor.conf}.

# Zones that Knot serves, children of test. first. dane-unsigned.test is served but not signed
# (and gets no DS); servfail.test is only delegated, to a nameserver that does not exist;
# bogus.test is signed but test. carries a DS for another zone's key (validation fails).
DNS_CHILD_ZONES=(plain.test opportunistic.test selfsigned.test expired.test wrongname.test
  mixed.test legacy.test mtasts.test mtasts-testing.test mtasts-mismatch.test
  mtasts-redirect.test mtasts-badtype.test mtasts-huge.test mtasts-badcert.test dane.test
  dane-mismatch.test dane-unsigned.test nullmx.test implicit.test exim.test tlsrpt.test
  unreachable.test blackhole.test bogus.test mxcname.test dane-ta.test dane-ta-wrongname.test
  dane-expired.test sink.test dane-cname.test dane-cname-orig.test dane-cname-both.test
  dane-cname-insecure.test)
# issue 18: domains whose MX or mta-sts host is special-purpose (dns_ssrf_zone_body); not in
# lab/domains.tsv, whose checks run with the default (private addresses allowed).
DNS_CHILD_ZONES+=(ssrf-private.test ssrf-cgnat.test ssrf-mapped.test ssrf-sts.test)
# issue 21: the mail *client* servers (IMAP, POP3, submission; dovecot.sh); not in lab/domains.tsv.
DNS_CHILD_ZONES+=(client.test)
# issue 21: mail-client discovery (SRV, autoconfig; client_discovery.sh); disco-foreign unsigned.
DNS_CHILD_ZONES+=(disco.test disco-http.test disco-foreign.test disco-nopop.test)
DNS_UNSIGNED_ZONES=" dane-unsigned.test disco-foreign.test "
MTASTS_POLICY_ID=20261128T000000

dns_signed() { [[ "$DNS_UNSIGNED_ZONES" != *" $1 "* ]]; }

# dns_zone_body ZONE — the records of one lab domain (after SOA/NS).
dns_zone_body() {
  local z=$1
  case "$z" in
    plain.test) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_PLAIN" ;;
    selfsigned.test) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_SELFSIGNED" ;;
    expired.test) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_EXPIRED" ;;
    wrongname.test) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_WRONGNAME" ;;
    legacy.test) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_LEGACY" ;;
    exim.test) echo "@ MX 10 mx"; echo "mx A $ADDR_EXIM" ;;
    unreachable.test) echo "@ MX 10 mx"; echo "mx A $ADDR_UNREACHABLE" ;;
    blackhole.test) echo "@ MX 10 mx"; echo "mx A $ADDR_BLACKHOLE" ;;
    mixed.test)
      echo "@ MX 10 mx1"; echo "@ MX 20 mx2"
      echo "mx1 A $ADDR_PF_MODERN"; echo "mx2 A $ADDR_PF_PLAIN" ;;
    nullmx.test) echo "@ MX 0 ." ;;
    mxcname.test)
      # RFC 2181 §10.3: an MX must not point at an alias; senders cope, but it is a finding.
      echo "@ MX 10 mail"; echo "mail CNAME mx.opportunistic.test." ;;
    implicit.test) echo "@ A $ADDR_PF_MODERN" ;;
    tlsrpt.test)
      # Both rua kinds (RFC 8460 §3); lab.tlsrpt.generate runs serve's POST /tlsrpt on
      # reports.tlsrpt.test:8443 (the modern Postfix's address and certificate) for the https: one.
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"; echo "reports A $ADDR_PF_MODERN"
      echo "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@tlsrpt.test,https://reports.tlsrpt.test:8443/tlsrpt\"" ;;
    mtasts*.test)
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"
      echo "_mta-sts TXT \"v=STSv1; id=$MTASTS_POLICY_ID;\""
      echo "mta-sts A $ADDR_NGINX" ;;
    dane.test|dane-unsigned.test)
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"
      echo "_25._tcp.mx TLSA 3 1 1 $(ca_spki_sha256 modern)" ;;
    dane-ta.test)
      # DANE-TA(2): the lab CA as trust anchor; the MX name must be in the leaf (RFC 7672 §3.2.2).
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"
      echo "_25._tcp.mx TLSA 2 0 1 $(ca_root_sha256)" ;;
    dane-ta-wrongname.test)
      # DANE-TA(2) whose chain matches but whose leaf names another host: DANE fails.
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_WRONGNAME"
      echo "_25._tcp.mx TLSA 2 0 1 $(ca_root_sha256)" ;;
    dane-expired.test)
      # DANE-EE(3) ignores expiry and names (RFC 7672 §3.1.1): the expired certificate passes.
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_EXPIRED"
      echo "_25._tcp.mx TLSA 3 1 1 $(ca_spki_sha256 expired)" ;;
    dane-mismatch.test)
      # The hash of another key: what a forgotten key rollover looks like.
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"
      echo "_25._tcp.mx TLSA 3 1 1 $(ca_spki_sha256 selfsigned)" ;;
    # DANE through a CNAME'd MX host (RFC 7672 §2.2.2, RELIABILITY item 62): the TLSA base
    # domain is the expanded name when the chain is secure and has TLSA there, else the original.
    dane-cname.test)
      # TLSA only at the target (the provider's host), as hosted mail usually is.
      echo "@ MX 10 mail"; echo "mail CNAME mx.dane.test." ;;
    dane-cname-orig.test)
      # TLSA only at the original name; the target (signed) has none: the fallback.
      echo "@ MX 10 mail"; echo "mail CNAME mx.opportunistic.test."
      echo "_25._tcp.mail TLSA 3 1 1 $(ca_spki_sha256 modern)" ;;
    dane-cname-both.test)
      # TLSA at both; the original's would not match: the expanded name's must be the one used.
      echo "@ MX 10 mail"; echo "mail CNAME mx.dane.test."
      echo "_25._tcp.mail TLSA 3 1 1 $(ca_spki_sha256 selfsigned)" ;;
    dane-cname-insecure.test)
      # The CNAME leads into an unsigned zone: the expansion is insecure, so only the initial
      # name is a TLSA base domain; its TLSA is in this signed zone (Postfix applies it too).
      echo "@ MX 10 mail"; echo "mail CNAME mx.dane-unsigned.test."
      echo "_25._tcp.mail TLSA 3 1 1 $(ca_spki_sha256 modern)" ;;
    sink.test) dns_sink_zone_body ;;
    client.test)
      echo "imap A $ADDR_IMAP_STARTTLS"; echo "imaps A $ADDR_IMAP_IMPLICIT"
      echo "plainauth A $ADDR_IMAP_PLAINAUTH"; echo "preauth A $ADDR_IMAP_PREAUTH"
      echo "submit A $ADDR_SUBMISSION" ;;
    ssrf-*.test) dns_ssrf_zone_body "$z" ;;
    keys*.test) keys_zone_body "$z" ;;  # issue 21: lab/lib/keys.sh
    disco*.test) client_discovery_zone_body "$z" ;;
    *) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN" ;;
  esac
}

# issue 18: special-purpose targets (addresses in common.sh). ssrf-mapped.test has only an AAAA,
# the IPv4-mapped form of a private address; ssrf-sts.test's MX is the modern Postfix and its
# MTA-STS policy host is private.
dns_ssrf_zone_body() {
  case "$1" in
    ssrf-private.test) echo "@ MX 10 mx"; echo "mx A $ADDR_SSRF_PRIVATE" ;;
    ssrf-cgnat.test) echo "@ MX 10 mx"; echo "mx A $ADDR_SSRF_CGNAT" ;;
    ssrf-mapped.test) echo "@ MX 10 mx"; echo "mx AAAA ::ffff:$ADDR_SSRF_PRIVATE" ;;
    ssrf-sts.test)
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"
      echo "_mta-sts TXT \"v=STSv1; id=$MTASTS_POLICY_ID;\""
      echo "mta-sts A $ADDR_SSRF_STS" ;;
  esac
}

# sink.test: one mail domain per `intransit sink` scenario (<scenario>.sink.test, MX
# mx.<scenario>.sink.test at sink_addr), signed, so a DANE sender applies DANE where TLSA exists:
# valid publishes the sink certificate's TLSA 3 1 1, dane-mismatch the hash of another key;
# valid and mtasts-mismatch publish MTA-STS (nginx.sh serves their policies).
# stripped.sink.test leads to the strip-proxy, which relays to the modern Postfix.
dns_sink_zone_body() {
  local s
  for s in "${SINK_SCENARIOS[@]}"; do
    echo "$s MX 10 mx.$s"; echo "mx.$s A $(sink_addr "$s")"
  done
  echo "_25._tcp.mx.valid TLSA 3 1 1 $(ca_spki_sha256 sink)"
  echo "_25._tcp.mx.dane-mismatch TLSA 3 1 1 $(ca_spki_sha256 selfsigned)"
  echo "stripped MX 10 mx.stripped"; echo "mx.stripped A $ADDR_STRIP"
  # MTA-STS enforce for valid (its MX is listed) and mtasts-mismatch (its MX is not).
  for s in valid mtasts-mismatch; do
    echo "_mta-sts.$s TXT \"v=STSv1; id=$MTASTS_POLICY_ID;\""; echo "mta-sts.$s A $ADDR_NGINX"
  done
}

dns_zone_header() {
  printf '$ORIGIN %s\n$TTL 300\n' "$1"
  printf '@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300\n@ NS ns1.test.\n'
}

dns_write_config() {
  local d=$STATE/dns z
  cat >"$d/knot.conf" <<CONF
server:
    rundir: "$d/run"
    pidfile: "$d/run/knot.pid"
    listen: [ $ADDR_KNOT@53 ]
log:
  - target: "$d/knot.log"
    any: info
database:
    storage: "$d/db"
policy:
  - id: lab
    algorithm: ecdsap256sha256
    single-type-signing: on
    ksk-lifetime: 0
    zsk-lifetime: 0
    nsec3: off
    manual: on
template:
  - id: default
    global-module: mod-stats  # query counters (knotc stats): bench/scan counts DNS queries
    storage: "$d/zones"
    zonefile-sync: -1
    zonefile-load: difference-no-serial
    journal-content: all
zone:
  - domain: .
    file: root.zone
    dnssec-signing: on
    dnssec-policy: lab
  - domain: test.
    file: test.zone
    dnssec-signing: on
    dnssec-policy: lab
CONF
  for z in "${DNS_CHILD_ZONES[@]}"; do
    printf '  - domain: %s.\n    file: %s.zone\n' "$z" "$z" >>"$d/knot.conf"
    if dns_signed "$z"; then
      printf '    dnssec-signing: on\n    dnssec-policy: lab\n' >>"$d/knot.conf"
    fi
  done
}

# dns_ds ZONE — the zone's SHA-256 DS record(s) (keymgr: field 4 algorithm, field 5 digest type).
dns_ds() { keymgr -c "$STATE/dns/knot.conf" "$1" ds | awk '$5 == 2'; }

dns_build() {
  local d=$STATE/dns z
  mkdir -p "$d/run" "$d/db" "$d/zones"
  dns_write_config
  for z in . test. "${DNS_CHILD_ZONES[@]}"; do
    [ "$z" = . ] || [ "$z" = test. ] || dns_signed "$z" || continue
    keymgr -c "$d/knot.conf" "${z%.}." generate algorithm=ecdsap256sha256 ksk=yes zsk=yes \
      >/dev/null || lab_die "keymgr generate $z failed"
  done

  {
    printf '$ORIGIN .\n$TTL 300\n'
    printf '. SOA a.root-servers.test. hostmaster.test. 1 3600 600 86400 300\n'
    printf '. NS a.root-servers.test.\n'
    printf 'test. NS ns1.test.\n'
    printf 'a.root-servers.test. A %s\nns1.test. A %s\n' "$ADDR_KNOT" "$ADDR_KNOT"
    dns_ds test.
  } >"$d/zones/root.zone"

  {
    dns_zone_header test.
    printf 'ns1 A %s\na.root-servers A %s\n' "$ADDR_KNOT" "$ADDR_KNOT"
    for z in "${DNS_CHILD_ZONES[@]}"; do
      printf '%s. NS ns1.test.\n' "$z"
      if [ "$z" = bogus.test ]; then
        # The DS of another zone's key: the chain of trust breaks here (DNSSEC bogus).
        dns_ds dane.test. | sed 's/^dane\.test\./bogus.test./'
      elif dns_signed "$z"; then
        dns_ds "$z."
      fi
    done
    printf 'servfail.test. NS ns.servfail.test.\nns.servfail.test. A %s\n' "$ADDR_DEAD_NS"
  } >"$d/zones/test.zone"

  for z in "${DNS_CHILD_ZONES[@]}"; do
    { dns_zone_header "$z."; dns_zone_body "$z"; } >"$d/zones/$z.zone"
  done

  printf '. 3600000 IN NS a.root-servers.test.\na.root-servers.test. 3600000 IN A %s\n' \
    "$ADDR_KNOT" >"$d/root.hints"
  dns_ds . >"$d/root.anchor"
  [ -s "$d/root.anchor" ] || lab_die "no DS for the lab root"
  # delv reads named.conf syntax; root.anchor holds ". DS TAG ALG DIGESTTYPE HEX".
  awk '{ printf "trust-anchors {\n  . static-ds %s %s %s \"%s\";\n};\n", $3, $4, $5, $6 }' \
    "$d/root.anchor" \
    >"$d/delv-anchor.conf"
}

dns_start() {
  local d=$STATE/dns
  lab_in_ns knotd -c "$d/knot.conf" -d >>"$d/knot.log" 2>&1 || lab_die "knotd failed to start: $(tail -5 "$d/knot.log")"
  lab_wait_tcp "$ADDR_KNOT" 53 || lab_die "knotd does not listen: $(tail -5 "$d/knot.log")"
}

unbound_start() {
  local u=$STATE/unbound
  mkdir -p "$u"
  cat >"$u/unbound.conf" <<CONF
server:
    interface: $ADDR_UNBOUND
    port: 53
    do-ip6: no
    do-not-query-localhost: no
    outgoing-interface: 127.0.0.1
    root-hints: "$STATE/dns/root.hints"
    trust-anchor-file: "$STATE/dns/root.anchor"
    local-zone: "test." nodefault
    username: ""
    chroot: ""
    directory: "$u"
    pidfile: "$u/unbound.pid"
    logfile: "$u/unbound.log"
    use-syslog: no
    val-log-level: 2
    access-control: 127.0.0.0/8 allow
remote-control:
    control-enable: no
CONF
  lab_in_ns unbound -c "$u/unbound.conf" || lab_die "unbound failed: $(tail -5 "$u/unbound.log")"
  lab_wait_tcp "$ADDR_UNBOUND" 53 || lab_die "unbound does not listen"
  # libc clients inside the namespace (curl, posttls-finger, postfix as sender) use it;
  # trust-ad lets them see the AD bit.
  mkdir -p "/etc/netns/$LAB_NETNS"
  printf 'nameserver %s\noptions trust-ad\n' "$ADDR_UNBOUND" >"/etc/netns/$LAB_NETNS/resolv.conf"
}
