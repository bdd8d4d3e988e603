#!/usr/bin/env python3
"""check_offline.py INTRANSIT — `intransit check` when DNS itself cannot work (no lab needed).

RELIABILITY.md item 58 / issue 14 item 12: with root hints that point at a loopback address
where nothing listens (a machine whose DNS egress is blocked, simulated without sending a packet
anywhere but loopback), every domain is `untested` for `no-network`, at once (one quick check,
not one lookup deadline per domain), with advice about this machine; the JSON's DNSSEC status
is `unknown`, never `insecure`. A garbage --trust-anchor and empty --root-hints are usage
errors (exit 2), as a garbage --ca-file is."""
import json
import os
import subprocess
import sys
import tempfile
import time

intransit = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


env = {k: v for k, v in os.environ.items() if not k.startswith("INTRANSIT_")}
tmp = tempfile.mkdtemp(prefix="intransit-offline-")
dead_hints = os.path.join(tmp, "dead.hints")
with open(dead_hints, "w") as f:
    f.write(". 3600000 IN NS a.dead-root.\na.dead-root. 3600000 IN A 127.77.77.77\n")
empty = os.path.join(tmp, "empty")
open(empty, "w").close()
garbage = os.path.join(tmp, "garbage.key")
with open(garbage, "w") as f:
    f.write("this is not a trust anchor\n")


def run(*args, timeout=60):
    started = time.monotonic()
    r = subprocess.run([intransit, "check", *args], capture_output=True, text=True, timeout=timeout, env=env)
    return r, time.monotonic() - started


# No nameserver answers: both domains untested (no-network), quickly, exit 3. The lookup deadline
# is 30 s, so only the quick check (5 s) can end it sooner; the slack is for a slow start (ASan).
r, took = run("--root-hints", dead_hints, "--dns-timeout", "30", "--format", "json", "example.test", "other.test",
              timeout=120)
docs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
check(len(docs) == 2, f"one JSON line per domain ({len(docs)}; stderr {r.stderr[-300:]!r})")
for doc in docs:
    d = doc.get("domain")
    check(doc.get("verdict") == "untested" and doc.get("untested_reason") == "no-network",
          f"{d}: untested (no-network), got {doc.get('verdict')} ({doc.get('untested_reason')})")
    check(doc["dnssec"]["status"] == "unknown", f"{d}: DNSSEC status unknown, got {doc['dnssec']['status']}")
    check(any(f["id"] == "dns.no-network" for f in doc["findings"]), f"{d}: finding dns.no-network")
    check(not any(f["id"] == "dns.mx-lookup-failed" for f in doc["findings"]),
          f"{d}: the domain's nameservers are not blamed (no dns.mx-lookup-failed)")
check(r.returncode == 3, f"exit 3 (untested), got {r.returncode}")
check(took < 20, f"found out in one quick check: {took:.1f} s (one lookup deadline is 30 s)")

r, took = run("--root-hints", dead_hints, "example.test")
check("untested (no-network)" in r.stdout and "this machine" in r.stdout,
      f"text names no-network with advice about this machine: {r.stdout[:400]!r}")

# Usage errors: exit 2 naming the file, before any lookup.
r, _ = run("--trust-anchor", garbage, "--root-hints", dead_hints, "example.test")
check(r.returncode == 2 and garbage in r.stderr, f"garbage --trust-anchor: exit 2 naming it (got {r.returncode}, {r.stderr.strip()!r})")
r, _ = run("--trust-anchor", empty, "--root-hints", dead_hints, "example.test")
check(r.returncode == 2 and empty in r.stderr, f"empty --trust-anchor: exit 2 (got {r.returncode}, {r.stderr.strip()!r})")
r, _ = run("--root-hints", empty, "example.test")
check(r.returncode == 2 and empty in r.stderr, f"empty --root-hints: exit 2 naming it (got {r.returncode}, {r.stderr.strip()!r})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
