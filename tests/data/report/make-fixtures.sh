#!/usr/bin/env bash
# make-fixtures.sh STATE_DIR INTRANSIT — remakes the `report` fixtures in this folder from real
# runs in a lab that is up (lab/up STATE_DIR): `check` of dane.test (one indented document) and
# of every lab domain (JSON Lines); a scan file made of those lines between an intransit.scan/1
# header and footer (written here, in the format of issue 17's brief, until `scan` writes its
# own), and a baseline scan (the same domains minus one, plus one that is gone, with three
# verdicts set back) for --baseline; `trace` of tests/data/trace (a message and a mailbox); the
# lab's five Postfix senders sending to every sink scenario, then `sink report --format json`, and
# `outbound --format json` over those senders' logs. Hostile fixtures: make_hostile.py.
# Issue 21: keys of every lab address, a check with --address, a client of disco.test.
# Every command runs inside the lab (lab/exec): no packet leaves the machine.
set -euo pipefail
state=$1
intransit=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
exec_lab() { "$repo/lab/exec" "$state" "$@"; }
# shellcheck disable=SC1091 # written by lab/up
. "$state/env"
read -r -a lab_args <<<"$INTRANSIT_LAB_ARGS"
mapfile -t domains < <(grep -v '^#' "$repo/lab/domains.tsv" | cut -f1)

exec_lab "$intransit" check dane.test "${lab_args[@]}" --format json >"$here/check-dane.json" || true
exec_lab "$intransit" check "${domains[@]}" "${lab_args[@]}" --format json >"$here/check-all.jsonl" || true
# Issue 21: `keys` of every lab address (lab/lib/keys.sh), a check with a `keys` member, and
# `client` of a discovery domain (lab/lib/client_discovery.sh).
exec_lab "$intransit" keys alice@keys.test bob@keys.test carol@keys.test dana@keys.test \
  erin@keys.test nobody@keys.test frank@keys-unsigned.test gina@keys-direct.test \
  hugo@keys-wild.test ivan@bogus.test "${lab_args[@]}" --format json >"$here/keys.jsonl" || true
exec_lab "$intransit" check keys.test --address alice --address nobody "${lab_args[@]}" \
  --format json >"$here/check-keys.json" || true
exec_lab "$intransit" client alice@disco.test "${lab_args[@]}" --format json \
  >"$here/client-disco.json" || true

python3 - "$here" <<'PY'
import hashlib, json, sys
here = sys.argv[1]
lines = [json.loads(l) for l in open(f"{here}/check-all.jsonl") if l.strip()]
def scan(docs, sha, started, finished):
    counts = {}
    for d in docs:
        counts[d["verdict"]] = counts.get(d["verdict"], 0) + 1
    head = {"schema": "intransit.scan/1", "type": "header", "tool_version": "0.1.0",
            "options": {"concurrency": 8}, "input_sha256": sha, "started": started, "shard": None}
    foot = {"schema": "intransit.scan/1", "type": "footer", "counts": counts, "domains": len(docs),
            "errors": 0, "elapsed_seconds": 12.5, "finished": finished, "complete": True}
    return "".join(json.dumps(x) + "\n" for x in [head, *docs, foot])
names = "\n".join(d["domain"] for d in lines).encode()
with open(f"{here}/scan.jsonl", "w") as f:
    f.write(scan(lines, hashlib.sha256(names).hexdigest(), "2026-12-02T10:00:00Z", "2026-12-02T10:00:12Z"))
old = [json.loads(json.dumps(d)) for d in lines[1:]]
old.append(dict(json.loads(json.dumps(lines[0])), domain="gone.test"))
back = {"mtasts.test": "opportunistic", "plain.test": "opportunistic", "dane.test": "partial"}
for d in old:
    d["verdict"] = back.get(d["domain"], d["verdict"])
names = "\n".join(d["domain"] for d in old).encode()
with open(f"{here}/scan-baseline.jsonl", "w") as f:
    f.write(scan(old, hashlib.sha256(names).hexdigest(), "2026-11-02T10:00:00Z", "2026-11-02T10:00:15Z"))
PY

"$intransit" trace --format json "$repo/tests/data/trace/tls-path.eml" >"$here/trace-message.json" || true
"$intransit" trace --format json "$repo/tests/data/trace/sample.mbox" >"$here/trace-mailbox.jsonl" || true

# The sink and the lab's Postfix senders, as scripts/demo does.
store=$(mktemp -d)/sink.db
listen=()
for spec in $INTRANSIT_LAB_SINK_LISTEN; do listen+=(--listen "$spec"); done
exec_lab "$intransit" sink "${listen[@]}" --store "$store" --hostname sink.lab.test \
  --cert "$INTRANSIT_LAB_SINK_CERT" --key "$INTRANSIT_LAB_SINK_KEY" \
  --scenario-cert "expired=$INTRANSIT_LAB_SINK_EXPIRED" >/dev/null 2>&1 &
sink_pid=$!
sleep 2
for f in "$state"/postfix/sender-*/log/maillog; do : >"$f"; done
for sender in $INTRANSIT_LAB_SENDERS; do
  for spec in $INTRANSIT_LAB_SINK_LISTEN; do
    exec_lab swaks --server "${sender#*@}" --to "fixture@${spec%%@*}.sink.test" \
      --from "${sender%%@*}@lab.test" >/dev/null 2>&1 || true
  done
done
expected=$(($(wc -w <<<"$INTRANSIT_LAB_SENDERS") * $(wc -w <<<"$INTRANSIT_LAB_SINK_LISTEN")))
for _ in $(seq 1 120); do
  n=$(cat "$state"/postfix/sender-*/log/maillog 2>/dev/null | grep -c 'to=<fixture@.*status=' || true)
  [ "$n" -ge "$expected" ] && break
  sleep 0.5
done
kill "$sink_pid" 2>/dev/null || true
wait "$sink_pid" 2>/dev/null || true
"$intransit" sink report --store "$store" --format json >"$here/sink-report.json" || true
"$intransit" outbound --format json "$state"/postfix/sender-*/log/maillog >"$here/outbound.jsonl" || true
rm -rf "$(dirname "$store")"
echo "fixtures written to $here" >&2
