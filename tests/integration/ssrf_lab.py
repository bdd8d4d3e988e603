#!/usr/bin/env python3
"""ssrf_lab.py STATE_DIR INTRANSIT — the special-purpose address guard serve uses (issue 18),
reached through `check --no-private`, against lab domains whose MX or mta-sts host resolves to
10.255.0.25 (RFC 1918), 100.64.0.25 (RFC 6598), ::ffff:10.255.0.25 (IPv4-mapped) and
10.255.0.80 (the policy host). With --no-private: the verdict is untested (not-permitted), the
address's outcome and the fetch status say not-permitted with the address and its range, and the
lab's nftables counter of packets to those addresses does not move (no connection attempted).
Without it (check's default): a connection is attempted, and the counter grows."""
import json
import re
import subprocess
import sys

import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
env = {**env, "PATH": env.get("PATH", "")}
REASON_WORDS = "the mail servers' addresses are ones this service will not connect to"


def packets():
    out = subprocess.run(ns + ["nft", "list", "counter", "inet", "intransit_lab", "ssrf_packets"],
                         capture_output=True, text=True, timeout=30).stdout
    m = re.search(r"packets (\d+)", out)
    return int(m.group(1)) if m else None


def check_json(domain, *extra):
    p = subprocess.run(ns + [intransit, "check", "--format", "json", "--timeout", "10", *extra, domain],
                       capture_output=True, text=True, timeout=120, env=env)
    doc = json.loads(p.stdout) if p.stdout.strip() else {}
    if doc:
        schema_check.validate(doc)
    return p.returncode, doc


def addresses(doc):
    return [a for mx in doc.get("mx", []) for a in mx.get("addresses", [])]


before = packets()
check(before is not None, f"the lab counts packets to the special-purpose addresses (nft counter: {before})")

RANGES = {
    "ssrf-private.test": ("10.255.0.25", "private (RFC 1918)"),
    "ssrf-cgnat.test": ("100.64.0.25", "shared/CGNAT (RFC 6598)"),
    "ssrf-mapped.test": ("::ffff:10.255.0.25", "private (RFC 1918)"),
}
for domain, (ip, words) in RANGES.items():
    rc, doc = check_json(domain, "--no-private")
    check(rc == 3, f"{domain} --no-private: exit 3 (could not be tested), got {rc}")
    check(doc.get("verdict") == "untested" and doc.get("untested_reason") == "not-permitted",
          f"{domain}: untested (not-permitted), got {doc.get('verdict')} ({doc.get('untested_reason')})")
    check(REASON_WORDS in doc.get("summary", ""), f"{domain}: the summary gives the reason: {doc.get('summary')!r}")
    got = addresses(doc)
    want = f"not probed: {ip} is {words}; this service does not connect to special-purpose addresses"
    check(len(got) == 1 and got[0].get("outcome") == "not-permitted" and got[0].get("detail") == want,
          f"{domain}: the address's outcome is not-permitted with the address and its range: "
          f"{[(a.get('outcome'), a.get('detail')) for a in got]}")

rc, doc = check_json("ssrf-sts.test", "--no-private")
fetch = (doc.get("mta_sts") or {}).get("fetch") or {}
check(fetch.get("status") == "not-permitted" and "10.255.0.80 is private (RFC 1918)" in fetch.get("detail", ""),
      f"ssrf-sts.test: the policy fetch is not-permitted, naming the address: {fetch}")
check(doc.get("verdict") == "untested" and doc.get("untested_reason") == "not-permitted",
      f"ssrf-sts.test: untested (not-permitted), never 'no MTA-STS': {doc.get('verdict')} ({doc.get('untested_reason')})")

after = packets()
check(after == before, f"--no-private: no packet was sent to a special-purpose address ({before} -> {after})")

# check's default (allow_private): the connections are attempted (refused: nothing listens).
rc, doc = check_json("ssrf-private.test")
got = addresses(doc)
check(got and got[0].get("outcome") == "connect-refused",
      f"ssrf-private.test without --no-private: connected (refused), {[a.get('outcome') for a in got]}")
rc, doc = check_json("ssrf-sts.test")
fetch = (doc.get("mta_sts") or {}).get("fetch") or {}
check(fetch.get("status") == "connect-failed", f"ssrf-sts.test without --no-private: fetch attempted: {fetch.get('status')}")
final = packets()
check(final is not None and after is not None and final > after,
      f"without --no-private the counter grows ({after} -> {final})")
sys.exit(exit_status())
