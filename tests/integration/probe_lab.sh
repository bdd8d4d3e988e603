#!/usr/bin/env bash
# probe_lab.sh STATE_DIR INTRANSIT CASE — `intransit probe` against one real lab MTA: the JSON
# result must match the MTA's configuration, and for TLS servers the negotiated version and
# cipher must equal what `openssl s_client -starttls smtp` negotiates with the same server.
set -uo pipefail
state=$1 intransit=$2 case=$3
. "$state/env"
ns() { ip netns exec "$INTRANSIT_LAB_NETNS" "$@"; }

case "$case" in
  plain)      addr=127.0.1.1 name=mx.plain.test      expect='outcome=no-starttls starttls=False tls=None findings=starttls.missing' ;;
  modern)     addr=127.0.1.2 name=mx.opportunistic.test expect='outcome=ok starttls=True version=TLSv1.3 trusted=True name_matches=True findings=' ;;
  legacy)     addr=127.0.1.3 name=mx.legacy.test     expect='outcome=ok version=TLSv1.1 trusted=True name_matches=True findings=tls.obsolete-version' ;;
  selfsigned) addr=127.0.1.4 name=mx.selfsigned.test expect='outcome=ok trusted=False verify_error=self-signed_certificate name_matches=True findings=cert.self-signed' ;;
  expired)    addr=127.0.1.5 name=mx.expired.test    expect='outcome=ok trusted=False verify_error=certificate_has_expired name_matches=True findings=cert.expired' ;;
  wrongname)  addr=127.0.1.6 name=mx.wrongname.test  expect='outcome=ok trusted=True name_matches=False findings=cert.name-mismatch' ;;
  exim)       addr=127.0.1.7 name=mx.exim.test       expect='outcome=ok version=TLSv1.3 trusted=True name_matches=True banner~Exim findings=' ;;
  unreachable) addr=127.0.1.99 name=mx.unreachable.test expect='outcome=connect-refused tls=None' ;;
  blackhole)  addr=127.0.1.98 name=mx.blackhole.test expect='outcome=connect-timeout tls=None' ;;
  *) echo "unknown case $case"; exit 2 ;;
esac

# A short whole-probe deadline for the black hole: the probe must end there, as connect-timeout.
extra=(); [ "$case" = blackhole ] && extra=(--timeout 3)
json=$(ns "$intransit" probe "$addr" --name "$name" --ca-file "$INTRANSIT_CA_FILE" --format json "${extra[@]}")
rc=$?
echo "$json" | head -c 4000; echo
python3 - "$expect" <<PY || exit 1
import json, sys
r = json.loads('''$json''')
sys.path.insert(0, "$(dirname "$0")"); import schema_check; schema_check.validate(r)  # docs/schema (issue 15 §3)
assert r["schema"] == "intransit.probe/1", r["schema"]
tls = r.get("tls") or {}
cert = r.get("certificate") or {}
facts = {
    "outcome": r["outcome"], "starttls": str(r["starttls"]), "tls": str(r["tls"]),
    "version": tls.get("version"), "trusted": str(cert.get("trusted")),
    "name_matches": str(cert.get("name_matches")),
    "verify_error": (cert.get("verify_error") or "").replace(" ", "_"), "banner": r["banner"],
    "findings": ",".join(sorted(f["id"] for f in r["findings"])),
}
bad = []
for want in sys.argv[1].split():
    if "~" in want:
        k, v = want.split("~", 1)
        if v not in facts[k]: bad.append(f"{k}: {facts[k]!r} lacks {v!r}")
    else:
        k, v = want.split("=", 1)
        if str(facts[k]) != v: bad.append(f"{k}: got {facts[k]!r}, want {v!r}")
if bad:
    print("MISMATCH:", "; ".join(bad)); sys.exit(1)
print("ok:", sys.argv[1])
PY

# Exit code: 0 when the server could be tested, 1 when not (README "Exit codes").
if [ "$case" = unreachable ] || [ "$case" = blackhole ]; then [ $rc -eq 1 ] || { echo "exit code $rc, want 1"; exit 1; }
else [ $rc -eq 0 ] || { echo "exit code $rc, want 0"; exit 1; }; fi

# Agreement with openssl s_client on the same server (same broad client offer: SECLEVEL=0).
if grep -q 'version=' <<<"$expect"; then
  peer=$(echo QUIT | ns timeout 20 openssl s_client -starttls smtp -connect "$addr:25" -servername "$name" \
    -cipher 'ALL:!aNULL:!eNULL:@SECLEVEL=0' -brief 2>&1)
  peer_version=$(sed -n 's/^Protocol version: //p' <<<"$peer")
  peer_cipher=$(sed -n 's/^Ciphersuite: //p' <<<"$peer")
  ours=$(python3 -c 'import json,sys; t=json.loads(sys.stdin.read())["tls"]; print(t["version"], t["cipher"])' <<<"$json")
  if [ "$ours" != "$peer_version $peer_cipher" ]; then
    echo "DISAGREE with openssl s_client: intransit '$ours', s_client '$peer_version $peer_cipher'"; exit 1
  fi
  echo "agrees with openssl s_client: $ours"
fi

# Agreement with posttls-finger at level "verify" (PKIX plus the MX host name, as a verifying
# Postfix sender would): "Verified" exactly when intransit says trusted and the name matches.
# (Postfix's own client refuses TLS 1.0/1.1 at its security level, so the legacy case is skipped.)
case "$case" in
  modern|selfsigned|expired|wrongname|exim)
    pf=$(MAIL_CONFIG="$INTRANSIT_LAB_MAIL_CONFIG" ns timeout 20 posttls-finger -c -l verify -F "$INTRANSIT_CA_FILE" "[$name]" 2>&1)
    pf_verified=false; grep -q 'Verified TLS connection established' <<<"$pf" && pf_verified=true
    ours=$(python3 -c 'import json,sys; c=json.loads(sys.stdin.read())["certificate"]; print(str(c["trusted"] and c["name_matches"] is True).lower())' <<<"$json")
    if [ "$ours" != "$pf_verified" ]; then
      echo "DISAGREE with posttls-finger -l verify: intransit verified=$ours, posttls-finger verified=$pf_verified"
      echo "$pf"; exit 1
    fi
    echo "agrees with posttls-finger -l verify: verified=$ours" ;;
esac
