#!/usr/bin/env python3
"""sweep_lab.py STATE_DIR INTRANSIT CASE — `intransit probe --sweep` against a real lab MTA,
checked suite by suite with `openssl s_client -starttls smtp`: every version the sweep calls
supported connects with s_client, every other version does not; at each supported version every
suite the sweep lists connects on its own and every other suite s_client can offer is refused.
Also checks the sweep kept to the elimination minimum of connections."""
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import lab_env  # tests/integration/lab_env.py

state, intransit, case = sys.argv[1:4]
env, ns = lab_env.load(state)
targets = {
    "modern": ("127.0.1.2", "mx.opportunistic.test", {"TLSv1.0": False, "TLSv1.1": False, "TLSv1.2": True, "TLSv1.3": True}),
    "legacy": ("127.0.1.3", "mx.legacy.test", {"TLSv1.0": True, "TLSv1.1": True, "TLSv1.2": False, "TLSv1.3": False}),
    "exim": ("127.0.1.7", "mx.exim.test", None),  # whatever Debian's GnuTLS build offers; s_client decides
}
addr, name, expected_versions = targets[case]
flags = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}
ALL = "ALL:COMPLEMENTOFALL:@SECLEVEL=0"
ALL13 = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"

out = subprocess.run(ns + [intransit, "probe", addr, "--name", name, "--ca-file", env["INTRANSIT_CA_FILE"],
                           "--sweep", "--format", "json"], capture_output=True, text=True)
r = json.loads(out.stdout)
import schema_check; schema_check.validate(r)  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
failures = []


def s_client(version, ciphers=None, suites=None):
    cmd = ns + ["timeout", "20", "openssl", "s_client", "-starttls", "smtp", "-connect", f"{addr}:25",
                "-servername", name, flags[version], "-brief"]
    cmd += ["-cipher", ciphers or ALL]
    if suites:
        cmd += ["-ciphersuites", suites]
    for pause in (0.5, 1, 2, 4, 0):  # the server may defer us with 421 (Exim does after a sweep)
        p = subprocess.run(cmd, input="QUIT\n", capture_output=True, text=True)
        if "421" not in p.stdout + p.stderr or pause == 0:
            break
        time.sleep(pause)
    for line in (p.stdout + p.stderr).splitlines():
        if line.startswith("Ciphersuite: "):
            return line.split(": ", 1)[1]
    return None


def offerable(version):
    if version == "TLSv1.3":
        return ALL13.split(":")
    p = subprocess.run(["openssl", "ciphers", "-s", flags[version], ALL], capture_output=True, text=True)
    return [c for c in p.stdout.strip().split(":") if c and not c.startswith("TLS_")]


checked = 0
for version, flag in flags.items():
    ours = r["versions"][version]
    theirs = s_client(version) is not None
    if ours is not theirs:
        failures.append(f"{version}: sweep says {ours}, s_client connects: {theirs}")
    if expected_versions is not None and ours is not expected_versions[version]:
        failures.append(f"{version}: sweep says {ours}, the lab configured {expected_versions[version]}")
    if not ours:
        continue
    accepted = [c["name"] for c in r["ciphers"][version]]
    suites = offerable(version)

    def one(suite, version=version):
        return s_client(version, suites=suite) if version == "TLSv1.3" else s_client(version, ciphers=suite + ":@SECLEVEL=0")

    # A few at a time: some servers (Exim) pause after each refused handshake.
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, suites))
    for suite, got in zip(suites, results):
        checked += 1
        if (got == suite) != (suite in accepted):
            failures.append(f"{version} {suite}: sweep {'lists' if suite in accepted else 'omits'} it, s_client got {got}")
    print(f"{version}: {len(accepted)} suites agree with s_client; ratings {sorted(set(c['rating'] for c in r['ciphers'][version]))}")

# Elimination minimum: per version one connection per accepted suite plus one, one for order.
budget = sum(len(r["ciphers"][v]) + 1 + (1 if len(r["ciphers"][v]) >= 2 else 0) for v in flags) + r["sweep_deferrals"]
if r["sweep_errors"]:
    failures.append(f"sweep incomplete: {r['sweep_errors']}")
if r["sweep_connections"] != budget:
    failures.append(f"{r['sweep_connections']} sweep connections, elimination minimum is {budget}")
print(f"{checked} suites cross-checked with openssl s_client; {r['sweep_connections']} sweep connections "
      f"(minimum {budget}, including {r['sweep_deferrals']} retries after 421)")
if failures:
    print("FAILURES:\n  " + "\n  ".join(failures))
    sys.exit(1)
