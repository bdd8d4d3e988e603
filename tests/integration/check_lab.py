#!/usr/bin/env python3
"""check_lab.py STATE_DIR INTRANSIT DOMAIN|--all — `intransit check` against the real lab.

For one domain: the verdict and its qualifier (enforced_by, untested reason or the explaining
finding) equal lab/domains.tsv; the JSON document keeps the intransit.check/1 contract
(docs/json-schema.md); the DNSSEC status of the MX answer equals delv's with the lab trust
anchor; for DANE domains the result equals posttls-finger's at level "dane".
With --all: every lab domain in one invocation (checked concurrently) gets its verdict, and
the exit code follows --require."""
import json
import re
import subprocess
import sys

import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py: docs/schema (issue 15 §3)

state, intransit, which = sys.argv[1:4]
env, ns = lab_env.load(state)
expected = {}
for line in open(env["INTRANSIT_LAB_DOMAINS"]):
    if line.startswith("#") or not line.strip():
        continue
    domain, verdict, qualifier, _ = line.rstrip("\n").split("\t", 3)
    expected[domain] = (verdict, qualifier)

VERDICTS = {"enforced", "opportunistic", "partial", "plaintext", "broken", "no-mail", "untested"}
SEVERITIES = {"info", "low", "medium", "high", "critical"}
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run_check(domains, *extra):
    cmd = ns + [intransit, "check", "--format", "json", *extra, *domains]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env={**env, "PATH": env.get("PATH", "")})
    docs = [json.loads(line) for line in run.stdout.splitlines() if line.strip()] if len(domains) > 1 else \
        ([json.loads(run.stdout)] if run.stdout.strip() else [])
    for doc in docs:
        schema_check.validate(doc)
    return run, docs


def contract(doc):
    """The stable minimum of DESIGN.md §3's JSON contract."""
    d = doc["domain"]
    check(doc.get("schema") == "intransit.check/1", f"{d}: schema intransit.check/1")
    check(doc.get("verdict") in VERDICTS, f"{d}: verdict is one of the documented words")
    check(isinstance(doc.get("enforced_by"), list), f"{d}: enforced_by is a list")
    check((doc["verdict"] == "untested") == (doc.get("untested_reason") is not None),
          f"{d}: untested_reason set exactly when untested")
    for key in ("mx", "mta_sts", "tls_rpt", "dnssec", "findings", "summary"):
        check(key in doc, f"{d}: has {key}")
    for mx in doc["mx"]:
        check({"host", "preference", "addresses"} <= mx.keys(), f"{d}: mx {mx.get('host')} has host, preference, addresses")
        for a in mx["addresses"]:
            check({"ip", "outcome", "starttls", "tls", "certificate"} <= a.keys(),
                  f"{d}: address {a.get('ip')} has ip, outcome, starttls, tls, certificate")
    for f in doc["findings"]:
        check({"id", "severity", "scope", "evidence", "rfc", "remedy"} <= f.keys() and f["severity"] in SEVERITIES
              and f["remedy"] != "", f"{d}: finding {f.get('id')} is complete and catalogued")


def verdict_matches(doc):
    d = doc["domain"]
    verdict, qualifier = expected[d]
    ids = {f["id"] for f in doc["findings"]}
    check(doc["verdict"] == verdict, f"{d}: verdict {doc['verdict']} (expected {verdict})")
    if qualifier != "-":
        check(qualifier in ids or qualifier in doc["enforced_by"] or qualifier == doc.get("untested_reason"),
              f"{d}: qualifier {qualifier} present (findings {sorted(ids)}, enforced_by {doc['enforced_by']}, "
              f"untested_reason {doc.get('untested_reason')})")


def delv_status(domain):
    run = subprocess.run(ns + ["delv", "@" + env["INTRANSIT_LAB_RESOLVER"], "-a", env["INTRANSIT_LAB_DELV_ANCHOR"],
                               "MX", domain], capture_output=True, text=True, timeout=60)
    text = run.stdout + run.stderr
    if "; fully validated" in text:
        return "secure"
    if "; unsigned answer" in text:
        return "insecure"
    if "; negative response, fully validated" in text:
        return "secure"
    if "; negative response, unsigned answer" in text:
        return "insecure"
    return "failed"


if which == "--all":
    domains = list(expected)
    run, docs = run_check(domains, "--require", "opportunistic")
    check(len(docs) == len(domains), f"one JSON line per domain ({len(docs)} of {len(domains)})")
    for doc in docs:
        verdict_matches(doc)
    check(run.returncode == 1, f"--require opportunistic exits 1 when some domain is below it (got {run.returncode})")
    run, docs = run_check(["opportunistic.test", "mtasts.test"], "--require", "opportunistic")
    check(run.returncode == 0, f"--require opportunistic exits 0 when all meet it (got {run.returncode})")
    run, docs = run_check(["mtasts.test", "opportunistic.test"], "--require", "enforced")
    check(run.returncode == 1, f"--require enforced exits 1 for an opportunistic domain (got {run.returncode})")
    # Forwarding to the lab's unbound instead of recursing from the lab root: same verdicts and
    # DNSSEC status (validation still happens in intransit, with the lab trust anchor).
    del env["INTRANSIT_ROOT_HINTS"]
    forwarded = ["dane.test", "dane-unsigned.test", "bogus.test", "mtasts.test"]
    run, docs = run_check(forwarded, "--resolver", env["INTRANSIT_LAB_RESOLVER"])
    check(len(docs) == len(forwarded), f"--resolver: one JSON line per domain ({len(docs)})")
    for doc in docs:
        verdict_matches(doc)
else:
    run, docs = run_check([which])
    if not docs:
        print("no JSON from intransit:", run.stderr[-2000:])
        sys.exit(1)
    doc = docs[0]
    contract(doc)
    verdict_matches(doc)
    want_rc = 3 if doc["verdict"] == "untested" else 0
    check(run.returncode == want_rc, f"exit code {run.returncode} (expected {want_rc})")
    ours = doc["dnssec"]["mx"]["dnssec"]
    ours_status = doc["dnssec"]["mx"]["status"]
    theirs = delv_status(which)
    if theirs == "failed":
        check(ours == "bogus" or ours_status in ("servfail", "timeout"),
              f"{which}: delv fails and our MX lookup could not be used either ({ours_status}, {ours})")
        if which == "bogus.test":
            check(ours == "bogus", f"{which}: our MX answer is DNSSEC bogus ({ours})")
            check(doc["mx"] == [], f"{which}: nothing from the bogus MX answer was used")
    else:
        check(ours == theirs, f"{which}: MX DNSSEC status {ours} equals delv's {theirs}")
    if which.startswith("dane"):
        pf = subprocess.run(ns + ["posttls-finger", "-c", "-l", "dane", which], capture_output=True, text=True,
                            timeout=60, env={**env, "MAIL_CONFIG": env["INTRANSIT_LAB_MAIL_CONFIG"]})
        theirs_match = "Verified TLS connection established" in pf.stdout
        ours_match = all((a["dane"] or {}).get("matched") for mx in doc["mx"] for a in mx["addresses"])
        check(ours_match == theirs_match,
              f"{which}: DANE match {ours_match} equals posttls-finger -l dane's {theirs_match}")
        # RFC 7672 §2.2.2 (RELIABILITY item 62): the TLSA base domain of a CNAME'd MX host.
        bases = {"dane-cname.test": "mx.dane.test", "dane-cname-both.test": "mx.dane.test",
                 "dane-cname-orig.test": "mail.dane-cname-orig.test",
                 "dane-cname-insecure.test": "mail.dane-cname-insecure.test"}
        if which in bases:
            got = [mx.get("tlsa_base") for mx in doc["mx"]]
            check(got == [bases[which]], f"{which}: TLSA base domain {got} (expected {bases[which]})")
        records = [(a["dane"] or {}).get("matched_record") for mx in doc["mx"] for a in mx["addresses"]]
        if ours_match:
            check(all(r and re.match(r"^[23] [01] 1 [0-9a-f]{64}$", r) for r in records), f"{which}: matched record named: {records}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
