#!/usr/bin/env python3
"""testssl_lab.py STATE_DIR INTRANSIT CASE — the TLS versions `intransit probe --sweep` finds on a
lab MTA equal the protocols testssl.sh (`-t smtp -p`, its own socket-level checks) reports as
offered for the same server."""
import json
import subprocess
import sys
import tempfile

import lab_env  # tests/integration/lab_env.py

state, intransit, case = sys.argv[1:4]
env, ns = lab_env.load(state)
addr, name = {"modern": ("127.0.1.2", "mx.opportunistic.test"), "legacy": ("127.0.1.3", "mx.legacy.test"),
              "exim": ("127.0.1.7", "mx.exim.test")}[case]

probe = json.loads(subprocess.run(ns + [intransit, "probe", addr, "--name", name, "--sweep", "--format", "json",
                                        "--ca-file", env["INTRANSIT_CA_FILE"]],
                                  capture_output=True, text=True).stdout)
import schema_check; schema_check.validate(probe)  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
if "versions" not in probe:
    print(f"no sweep: the probe ended {probe['outcome']}: {probe['detail']}")
    sys.exit(1)
ours = probe["versions"]
with tempfile.TemporaryDirectory() as tmp:
    report = f"{tmp}/testssl.json"  # testssl.sh refuses to write into an existing file
    run = subprocess.run(ns + ["testssl", "--quiet", "--color", "0", "--warnings", "off", "--nodns", "min",
                               "-t", "smtp", "-p", "--jsonfile", report, f"{addr}:25"],
                         capture_output=True, text=True, timeout=240)
    try:
        findings = {x["id"]: x["finding"] for x in json.load(open(report))}
    except (OSError, ValueError):
        print("testssl.sh wrote no report:", run.stdout[-2000:], run.stderr[-2000:])
        sys.exit(1)
ids = {"TLSv1.0": "TLS1", "TLSv1.1": "TLS1_1", "TLSv1.2": "TLS1_2", "TLSv1.3": "TLS1_3"}
bad = []
for version, tid in ids.items():
    theirs = findings.get(tid, "").startswith("offered")
    print(f"{version}: intransit {ours[version]}, testssl.sh '{findings.get(tid)}'")
    if ours[version] is not theirs:
        bad.append(version)
if bad:
    print("DISAGREE with testssl.sh on", ", ".join(bad))
    sys.exit(1)
