#!/usr/bin/env bash
# client_lab.sh STATE_DIR INTRANSIT — `intransit probe --protocol` against the lab's mail *client*
# servers (issue 21; lab/lib/dovecot.sh, postfix_submission): for each server and port the JSON
# must carry the protocol, outcome ok, a TLS version, a certificate verified against the lab CA
# and exactly the client.* findings the server's configuration calls for; the TLS version must
# equal what `openssl s_client` (-starttls imap|pop3|smtp, or implicit) negotiates there.
set -uo pipefail
state=$1 intransit=$2
. "$state/env"
ns() { ip netns exec "$INTRANSIT_LAB_NETNS" "$@"; }
failed=0

# The assertions on one JSON result: argv = protocol, "yes" when TLS is expected, wanted ids.
ASSERT=$(cat <<'PY'
import json, sys
r = json.loads(sys.stdin.read())
want, tls, ids = sys.argv[1], sys.argv[2] == "yes", set(sys.argv[3].split())
bad = []
if r.get("protocol") != want: bad.append(f"protocol {r.get('protocol')!r}, want {want!r}")
if tls:
    if r.get("outcome") != "ok": bad.append(f"outcome {r.get('outcome')!r}, want ok")
    if not (r.get("tls") or {}).get("version"): bad.append("no tls.version")
    cert = r.get("certificate") or {}
    if cert.get("trusted") is not True or cert.get("name_matches") is not True:
        bad.append(f"certificate not verified: trusted={cert.get('trusted')} name_matches={cert.get('name_matches')}")
got = {f["id"] for f in r.get("findings", [])} & {"client.cleartext-auth", "client.preauth", "client.implicit-tls-preferred"}
if got != ids: bad.append(f"client findings {sorted(got)}, want {sorted(ids)}")
if bad: print("MISMATCH:", "; ".join(bad)); sys.exit(1)
PY
)

# check ADDR PORT NAME PROTOCOL FINDINGS... — FINDINGS: the client.* ids that must be present;
# every other client.cleartext-auth / client.preauth / client.implicit-tls-preferred must be absent.
# PROTOCOL "-" probes without --protocol (the port picks it) and expects the port's default.
check() {
  local addr=$1 port=$2 name=$3 proto=$4; shift 4
  local want=$proto args=()
  if [ "$proto" = - ]; then
    case "$port" in 143) want=imap ;; 993) want=imaps ;; 110) want=pop3 ;; 995) want=pop3s ;;
      587) want=submission ;; 465) want=submissions ;; *) want=smtp ;; esac
  else args=(--protocol "$proto"); fi
  local tls=yes; [ "$addr" = 127.0.5.4 ] && tls=no
  local json
  json=$(ns "$intransit" probe "$addr:$port" --name "$name" "${args[@]}" --ca-file "$INTRANSIT_CA_FILE" --format json)
  if ! python3 -c "$ASSERT" "$want" "$tls" "$*" <<<"$json"; then
    echo "FAIL $addr:$port ${proto} ($name):"; echo "$json" | head -c 3000; echo; failed=1; return
  fi
  [ "$tls" = yes ] || { echo "ok $addr:$port $proto"; return; }
  local ours peer s_args=()
  ours=$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["tls"]["version"])' <<<"$json")
  case "$want" in imap) s_args=(-starttls imap) ;; pop3) s_args=(-starttls pop3) ;;
    submission) s_args=(-starttls smtp) ;; esac
  peer=$(echo Q | ns timeout 20 openssl s_client "${s_args[@]}" -connect "$addr:$port" -servername "$name" \
    -CAfile "$INTRANSIT_CA_FILE" -brief 2>&1 | sed -n 's/^Protocol version: //p')
  if [ "$ours" != "$peer" ]; then
    echo "FAIL $addr:$port $proto: intransit TLS '$ours', openssl s_client '$peer'"; failed=1; return
  fi
  echo "ok $addr:$port $proto ($ours, agrees with openssl s_client)"
}

check 127.0.5.1 143 imap.client.test imap client.implicit-tls-preferred
check 127.0.5.1 143 imap.client.test - client.implicit-tls-preferred
check 127.0.5.1 110 imap.client.test pop3 client.implicit-tls-preferred
check 127.0.5.1 110 imap.client.test - client.implicit-tls-preferred
check 127.0.5.2 993 imaps.client.test imaps
check 127.0.5.2 993 imaps.client.test -
check 127.0.5.2 995 imaps.client.test pop3s
check 127.0.5.2 995 imaps.client.test -
check 127.0.5.3 143 plainauth.client.test imap client.cleartext-auth client.implicit-tls-preferred
check 127.0.5.3 110 plainauth.client.test pop3 client.cleartext-auth client.implicit-tls-preferred
check 127.0.5.4 143 preauth.client.test imap client.preauth
check 127.0.5.5 587 submit.client.test submission client.implicit-tls-preferred
check 127.0.5.5 587 submit.client.test - client.implicit-tls-preferred
check 127.0.5.5 465 submit.client.test submissions
check 127.0.5.5 465 submit.client.test -
exit $failed
