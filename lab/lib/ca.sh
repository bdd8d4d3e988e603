# ca.sh — the lab CA and every certificate the lab serves, good and deliberately bad.
# Sourced by lab/up. RSA-2048 throughout so that the TLS 1.0/1.1-only server works with every
# client. Output: $STATE/ca/{ca.crt,ca.key} and $STATE/ca/certs/NAME.{key,crt,chain}.

# Names served by the modern Postfix (one certificate carries them all as SANs).
MODERN_MX_NAMES=(mx.opportunistic.test mx1.mixed.test mx.mtasts.test mx.mtasts-testing.test
  mx.mtasts-mismatch.test mx.mtasts-redirect.test mx.mtasts-badtype.test mx.mtasts-huge.test
  mx.mtasts-badcert.test mx.dane.test mx.dane-mismatch.test mx.dane-unsigned.test implicit.test
  mx.tlsrpt.test mx.bogus.test mail.mxcname.test mx.dane-ta.test
  reports.tlsrpt.test)  # not an MX: tlsrpt.test's https: rua, where lab.tlsrpt.generate runs serve
# MTA-STS policy hosts with a valid lab-CA certificate (mtasts-badcert gets a self-signed one).
MTASTS_DOMAINS=(mtasts.test mtasts-testing.test mtasts-mismatch.test mtasts-redirect.test
  mtasts-badtype.test mtasts-huge.test valid.sink.test mtasts-mismatch.sink.test)

ca_write_config() {
  local dir=$1
  cat >"$dir/ca.cnf" <<CNF
[ ca ]
default_ca = lab
[ lab ]
dir = $dir
database = \$dir/index.txt
new_certs_dir = \$dir/issued
certificate = \$dir/ca.crt
private_key = \$dir/ca.key
serial = \$dir/serial
default_md = sha256
policy = any_name
unique_subject = no
email_in_dn = no
[ any_name ]
commonName = supplied
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::LAB_SAN
[ req ]
distinguished_name = dn
[ dn ]
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ self ]
basicConstraints = critical, CA:FALSE
subjectAltName = \$ENV::LAB_SAN
CNF
}

ca_genkey() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# ca_issue NAME "DNS names..." [STARTDATE ENDDATE] — a leaf signed by the lab CA.
ca_issue() {
  local name=$1 names=$2 start=${3:-} end=${4:-} dir=$STATE/ca san="" n
  for n in $names; do san+="${san:+,}DNS:$n"; done
  local cn=${names%% *}
  openssl req -new -key "$dir/certs/$name.key" -subj "/CN=$cn" -out "$dir/certs/$name.csr" \
    -config "$dir/ca.cnf" 2>/dev/null
  local dates=(-startdate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" -days 365)
  [ -n "$start" ] && dates=(-startdate "$start" -enddate "$end")
  LAB_SAN=$san openssl ca -batch -notext -config "$dir/ca.cnf" -extensions leaf "${dates[@]}" \
    -in "$dir/certs/$name.csr" -out "$dir/certs/$name.crt" 2>"$dir/certs/$name.log" \
    || lab_die "issuing $name failed: $(cat "$dir/certs/$name.log")"
  cat "$dir/certs/$name.crt" "$dir/ca.crt" >"$dir/certs/$name.chain"
}

# ca_selfsigned NAME "DNS names..." — a self-signed leaf (no CA involved).
ca_selfsigned() {
  local name=$1 names=$2 dir=$STATE/ca san="" n
  for n in $names; do san+="${san:+,}DNS:$n"; done
  LAB_SAN=$san openssl req -new -x509 -key "$dir/certs/$name.key" -subj "/CN=${names%% *}" \
    -days 365 -config "$dir/ca.cnf" -extensions self -out "$dir/certs/$name.crt" 2>/dev/null \
    || lab_die "self-signing $name failed"
  cp "$dir/certs/$name.crt" "$dir/certs/$name.chain"
}

ca_build() {
  local dir=$STATE/ca d
  mkdir -p "$dir/certs" "$dir/issued"
  : >"$dir/index.txt"
  echo 1000 >"$dir/serial"
  ca_write_config "$dir"
  export LAB_SAN=DNS:unused.test # ca.cnf reads $ENV::LAB_SAN even where a section does not use it
  local keys=(ca modern legacy exim expired wrongname selfsigned mtasts-badcert sink sink-expired
    client-imap client-imaps client-plainauth client-submit)
  for d in "${MTASTS_DOMAINS[@]}"; do keys+=("mta-sts.$d"); done
  local k
  for k in "${keys[@]}"; do
    if [ "$k" = ca ]; then ca_genkey "$dir/ca.key" & else ca_genkey "$dir/certs/$k.key" & fi
  done
  wait
  openssl req -new -x509 -key "$dir/ca.key" -subj "/CN=intransit lab CA/O=intransit lab" \
    -days 3650 -config "$dir/ca.cnf" -extensions v3_ca -out "$dir/ca.crt" 2>/dev/null \
    || lab_die "creating the lab CA failed"

  ca_issue modern "${MODERN_MX_NAMES[*]}"
  ca_issue legacy "mx.legacy.test"
  ca_issue exim "mx.exim.test"
  ca_issue expired "mx.expired.test" 20200101000000Z 20210101000000Z
  ca_issue wrongname "mx.somewhere-else.test"
  ca_selfsigned selfsigned "mx.selfsigned.test"
  ca_selfsigned mtasts-badcert "mta-sts.mtasts-badcert.test"
  for d in "${MTASTS_DOMAINS[@]}"; do ca_issue "mta-sts.$d" "mta-sts.$d"; done
  # The sink's certificate names every scenario's MX except wrong-name's (so that one mismatches);
  # expired's is a lab-CA certificate that expired, so expiry alone is what a sender must catch.
  local sink_names="" s
  for s in "${SINK_SCENARIOS[@]}"; do [ "$s" = wrong-name ] || sink_names+=" mx.$s.sink.test"; done
  ca_issue sink "${sink_names# }"
  ca_issue sink-expired "mx.expired.sink.test" 20200101000000Z 20210101000000Z
  # Mail client servers (issue 21, dovecot.sh and postfix_submission): one certificate each.
  ca_issue client-imap "imap.client.test"
  ca_issue client-imaps "imaps.client.test"
  ca_issue client-plainauth "plainauth.client.test"
  ca_issue client-submit "submit.client.test"
  chmod 644 "$dir"/certs/*.crt "$dir"/certs/*.chain "$dir/ca.crt"
  # Exim drops root before reading its key: the key must be group-readable by Debian-exim.
  chgrp Debian-exim "$dir/certs/exim.key" && chmod 640 "$dir/certs/exim.key"
  chmod 755 "$STATE" "$dir" "$dir/certs"
}

# ca_spki_sha256 NAME — the TLSA 3 1 1 association data for certificate NAME.
ca_spki_sha256() {
  openssl x509 -in "$STATE/ca/certs/$1.crt" -noout -pubkey \
    | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
}

# ca_root_sha256 — the TLSA 2 0 1 association data for the lab CA (SHA-256 of its DER).
ca_root_sha256() {
  openssl x509 -in "$STATE/ca/ca.crt" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
}
