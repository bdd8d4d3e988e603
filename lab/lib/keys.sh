# keys.sh — explicit encryption in the lab (`intransit keys`, issue 21): OpenPGP keys made at
# lab/up time with a lab-only GNUPGHOME (ed25519/cv25519, no passphrase), an S/MIME certificate
# from the lab CA, a Web Key Directory on nginx (advanced method for keys.test, direct method for
# keys-direct.test) and OPENPGPKEY/SMIMEA records in signed and unsigned zones. Sourced by lab/up;
# dns.sh and nginx.sh call keys_zone_body and keys_nginx_servers. Addresses: 127.0.6.1-49.
#
#   alice@keys.test          WKD advanced, usable key          ready (WebPKI)
#   bob@keys.test            WKD advanced, no encryption key   unusable
#   carol@keys.test          WKD advanced, expired key         unusable
#   dana@keys.test           OPENPGPKEY, signed zone           ready (DNSSEC)
#   erin@keys.test           SMIMEA 3 0 0, signed zone         ready (DNSSEC)
#   nobody@keys.test         nothing                           none
#   frank@keys-unsigned.test OPENPGPKEY, unsigned zone         ready (unauthenticated)
#   gina@keys-direct.test    WKD direct (no openpgpkey host)   ready (WebPKI), no policy file
#   hugo@keys-wild.test      openpgpkey.* only via a wildcard  none, keys.wkd-wildcard
#   ivan@bogus.test          every lookup bogus                could not test

ADDR_KEYS_WKD=127.0.6.1       # nginx: the WKD hosts (HTTPS, SNI)
ADDR_KEYS_WILDCARD=127.0.6.9  # what *.keys-wild.test points at: nothing listens there
LAB_ADDRESSES+=("$ADDR_KEYS_WKD")
# Sourced after dns.sh: the keys zones join the lab's child zones (keys-unsigned.test unsigned).
DNS_CHILD_ZONES+=(keys.test keys-unsigned.test keys-direct.test keys-wild.test)
DNS_UNSIGNED_ZONES+="keys-unsigned.test "

# keys_gpg ARGS... — gpg with a lab-only home ($KEYS_HOME: one per key, so that keys are made in
# parallel; each gpg call waits ~2 s on its agent), never the user's.
keys_gpg() { gpg --homedir "$KEYS_HOME" --batch --no-tty --passphrase '' "$@" 2>/dev/null; }

# keys_make NAME [past] — a key for NAME@DOMAIN: ed25519 signing, cv25519 encryption subkey;
# "past": made in 2020 and expired in 2020; "signonly": no encryption subkey.
keys_make() {
  local uid=$1 kind=${2:-} fpr KEYS_HOME=$STATE/keys/gnupg/$1
  mkdir -p "$KEYS_HOME" && chmod 700 "$KEYS_HOME"
  case "$kind" in
    past)
      keys_gpg --faked-system-time 20200101T000000 --quick-gen-key "<$uid>" ed25519 cert,sign 2020-06-01
      fpr=$(keys_fpr "$uid")
      keys_gpg --faked-system-time 20200101T000100 --quick-add-key "$fpr" cv25519 encr 2020-06-01 ;;
    signonly) keys_gpg --quick-gen-key "<$uid>" ed25519 cert,sign never ;;
    *)
      keys_gpg --quick-gen-key "<$uid>" ed25519 cert,sign never
      keys_gpg --quick-add-key "$(keys_fpr "$uid")" cv25519 encr never ;;
  esac
  keys_gpg --export "$uid" >"$STATE/keys/$uid.pgp"
  keys_fpr "$uid" >"$STATE/keys/$uid.fpr"
  gpgconf --homedir "$KEYS_HOME" --kill all 2>/dev/null || true  # no agent outlives lab/up
}
keys_fpr() { keys_gpg --with-colons --list-keys "$1" | awk -F: '/^fpr/ { print $10; exit }'; }

# keys_wkd_hash LOCAL — z-base-32 of SHA-1 of the lower-cased local part (draft §3.1).
keys_wkd_hash() {
  python3 -c 'import hashlib,sys
d=hashlib.sha1(sys.argv[1].lower().encode()).digest(); a="ybndrfg8ejkmcpqxot1uwisza345h769"
n=int.from_bytes(d,"big"); print("".join(a[(n>>(155-5*i))&31] for i in range(32)))' "$1"
}
# keys_owner LOCAL — hex of SHA-256 of the local part, first 28 octets (RFC 7929 §3).
keys_owner() { printf '%s' "$1" | sha256sum | cut -c1-56; }
# keys_generic FILE — RFC 3597 generic rdata of a file's bytes: "\# LEN HEX".
keys_generic() { printf '\\# %s %s' "$(stat -c %s "$1")" "$(od -An -v -tx1 "$1" | tr -d ' \n')"; }

keys_build() {
  local k=$STATE/keys u
  mkdir -p "$k/gnupg" && chmod 700 "$k/gnupg"
  local pids=()
  for u in alice@keys.test dana@keys.test frank@keys-unsigned.test gina@keys-direct.test; do
    keys_make "$u" & pids+=($!)
  done
  keys_make bob@keys.test signonly & pids+=($!)
  keys_make carol@keys.test past & pids+=($!)
  ca_genkey "$STATE/ca/certs/wkd-advanced.key" & pids+=($!)
  ca_genkey "$STATE/ca/certs/wkd-direct.key" & pids+=($!)
  ca_genkey "$STATE/ca/certs/smime-erin.key" & pids+=($!)
  for u in "${pids[@]}"; do wait "$u" || lab_die "making the lab's keys failed"; done
  # The WKD trees: advanced (openpgpkey.keys.test, with a policy file), direct (keys-direct.test,
  # without one).
  local adv=$k/www/openpgpkey.keys.test/.well-known/openpgpkey/keys.test dir=$k/www/keys-direct.test/.well-known/openpgpkey
  mkdir -p "$adv/hu" "$dir/hu"
  : >"$adv/policy"
  for u in alice bob carol; do cp "$k/$u@keys.test.pgp" "$adv/hu/$(keys_wkd_hash "$u")"; done
  cp "$k/gina@keys-direct.test.pgp" "$dir/hu/$(keys_wkd_hash gina)"
  chmod -R a+rX "$k/www"
  # HTTPS certificates for the two WKD hosts, and erin's S/MIME certificate (emailProtection).
  ca_issue wkd-advanced "openpgpkey.keys.test"
  ca_issue wkd-direct "keys-direct.test"
  printf '[ smime ]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = emailProtection\nsubjectAltName = email:erin@keys.test\n' >>"$STATE/ca/ca.cnf"
  openssl req -new -key "$STATE/ca/certs/smime-erin.key" -subj "/CN=erin" -out "$k/erin.csr" \
    -config "$STATE/ca/ca.cnf" 2>/dev/null
  openssl ca -batch -notext -config "$STATE/ca/ca.cnf" -extensions smime -days 365 \
    -in "$k/erin.csr" -out "$k/erin.crt" 2>"$k/erin.log" || lab_die "S/MIME certificate: $(cat "$k/erin.log")"
  openssl x509 -in "$k/erin.crt" -outform DER -out "$k/erin.der"
  printf '\003\000\000' | cat - "$k/erin.der" >"$k/erin.smimea"
  chmod 644 "$STATE"/ca/certs/wkd-*.crt "$STATE"/ca/certs/wkd-*.chain
}

# keys_zone_body ZONE — records of the keys zones (after SOA/NS); called by dns_zone_body.
keys_zone_body() {
  local k=$STATE/keys
  case "$1" in
    keys.test)
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"; echo "openpgpkey A $ADDR_KEYS_WKD"
      echo "$(keys_owner dana)._openpgpkey TYPE61 $(keys_generic "$k/dana@keys.test.pgp")"
      echo "$(keys_owner erin)._smimecert TYPE53 $(keys_generic "$k/erin.smimea")" ;;
    keys-unsigned.test)
      echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"
      echo "$(keys_owner frank)._openpgpkey TYPE61 $(keys_generic "$k/frank@keys-unsigned.test.pgp")" ;;
    keys-direct.test) echo "@ MX 10 @"; echo "@ A $ADDR_KEYS_WKD" ;;
    keys-wild.test) echo "@ MX 10 mx"; echo "mx A $ADDR_PF_MODERN"; echo "* A $ADDR_KEYS_WILDCARD" ;;
  esac
}

# keys_nginx_servers — nginx server blocks for the WKD hosts; called by nginx_start.
keys_nginx_servers() {
  local host cert
  for host in openpgpkey.keys.test keys-direct.test; do
    cert=$STATE/ca/certs/wkd-advanced
    [ "$host" = keys-direct.test ] && cert=$STATE/ca/certs/wkd-direct
    printf '
    server {
        listen %s:443 ssl;
        server_name %s;
        ssl_certificate %s.chain;
        ssl_certificate_key %s.key;
        root %s;
        location /.well-known/openpgpkey/ { types { } default_type application/octet-stream; }
    }' "$ADDR_KEYS_WKD" "$host" "$cert" "$cert" "$STATE/keys/www/$host"
  done
}
