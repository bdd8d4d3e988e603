#!/usr/bin/env python3
"""monitoring_lab.py STATE_DIR INTRANSIT — `check --format nagios|prometheus` against the lab
(issue 22): each lab domain's plugin state follows the documented rules (docs/intransit.1,
MONITORING) from the verdict lab/domains.tsv expects, the plugin output has the guidelines'
form, and the Prometheus text passes `promtool check metrics` with one verdict series at 1 per
domain, equal to what `check --format json` says."""
import json
import re
import shutil
import subprocess
import sys

import lab_env  # tests/integration/lab_env.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
env = {**env, "PATH": env.get("PATH", "")}


def run(*args):
    p = subprocess.run(ns + [intransit, "check", *args], capture_output=True, text=True, timeout=300, env=env)
    return p.returncode, p.stdout, p.stderr


STATUS_LINE = re.compile(r"^INTRANSIT (OK|WARNING|CRITICAL|UNKNOWN) - (.+) \| (.+)$")
PERF = re.compile(r"^'[^'=]+'=-?[0-9.]+(s|d)?(;[0-9.]*){0,4}$")
# domain -> (exit code, why): the rules applied to lab/domains.tsv's expected verdicts by hand.
CASES = {
    "dane.test": (0, "enforced"),
    "opportunistic.test": (0, "opportunistic, certificate valid for a year"),
    "mixed.test": (1, "partial is WARNING without --require"),
    "plain.test": (1, "plaintext is WARNING without --require"),
    "dane-mismatch.test": (2, "broken is CRITICAL"),
    "expired.test": (2, "an expired certificate is CRITICAL"),
    "dane-expired.test": (0, "DANE-EE authenticates the expired certificate: expiry does not matter"),
    "servfail.test": (3, "untested is UNKNOWN"),
}
for domain, (want, why) in CASES.items():
    rc, out, err = run(domain, "--format", "nagios")
    first = out.splitlines()[0] if out else ""
    m = STATUS_LINE.match(first)
    check(rc == want and m is not None, f"nagios {domain}: exit {want} ({why}); got {rc}: {first[:160]!r} {err[:200]!r}")
    if m:
        check(["OK", "WARNING", "CRITICAL", "UNKNOWN"][want] == m.group(1), f"nagios {domain}: the status word matches the exit code")
        bad = [p for p in m.group(3).split(" ") if not PERF.match(p)]
        check(not bad, f"nagios {domain}: perfdata in the guidelines' form (bad: {bad})")

rc, out, _ = run("opportunistic.test", "--format", "nagios", "--require", "enforced")
check(rc == 2, f"nagios: opportunistic.test below --require enforced is CRITICAL (exit {rc})")
rc, out, _ = run("opportunistic.test", "--format", "nagios", "--cert-warn", "400", "--cert-crit", "1")
check(rc == 1 and "'cert_days'=" in out, f"nagios: a certificate within --cert-warn is WARNING (exit {rc}: {out[:160]!r})")
rc, out, _ = run("dane.test", "mixed.test", "--format", "nagios")
check(rc == 1 and "'dane.test addresses'=" in out and "[WARNING]" in out,
      f"nagios: two domains give the worst state with per-domain labels (exit {rc}: {out[:200]!r})")
rc, _, _ = run("192.0.2.1", "--format", "nagios")
check(rc == 3, f"nagios: an IP address given to check is UNKNOWN (exit {rc})")

domains = ["dane.test", "mtasts.test", "mixed.test", "plain.test", "dane-mismatch.test", "servfail.test", "nullmx.test"]
rc, metrics, err = run(*domains, "--format", "prometheus")
check(metrics.startswith("# HELP intransit_"), f"prometheus: exposition text ({err[:200]!r})")
promtool = shutil.which("promtool")
if check(promtool is not None, "promtool is installed (Debian's prometheus package)"):
    p = subprocess.run([promtool, "check", "metrics"], input=metrics, capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"promtool check metrics accepts it ({(p.stdout + p.stderr).strip()[:400]!r})")
_, json_lines, _ = run(*domains, "--format", "json")
verdicts = {d["domain"]: d["verdict"] for d in map(json.loads, json_lines.splitlines())}
for domain in domains:
    ones = re.findall(rf'^intransit_domain_verdict{{domain="{re.escape(domain)}",verdict="([a-z-]+)"}} 1$', metrics, re.M)
    check(ones == [verdicts.get(domain)], f"prometheus {domain}: one verdict series at 1, {verdicts.get(domain)} as in JSON (got {ones})")
check(re.search(r'^intransit_certificate_expiry_timestamp_seconds\{domain="dane.test",mx="[^"]+",address="127\.0\.1\.\d+:25"\} \d{10}$',
                metrics, re.M) is not None, "prometheus: dane.test's certificate expiry as a timestamp")
sys.exit(exit_status())
