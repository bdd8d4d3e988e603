#!/usr/bin/env python3
"""sink_lab.py STATE_DIR INTRANSIT — `intransit sink` and `strip-proxy` judged against real
sending MTAs (issue 6). Inside the lab namespace the sink listens on every scenario's address
(sink.test in the lab DNS gives each its own signed MX) and the strip-proxy sits in front of the
modern Postfix. Five lab Postfix instances send one message to every scenario, each with its own
smtp_tls_security_level (may, encrypt, dane, verify, and may plus postfix-mta-sts-resolver's
MTA-STS policy map); swaks is a second, differently behaving sender. Then:
  - what the sink recorded must agree with what each Postfix logged for the same delivery
    (sent or deferred; TLS version and cipher; "Verified"/"Untrusted"),
  - `sink report` must name each sender's behaviour (plaintext fallback, accepts any
    certificate, honours DANE, checks certificates),
  - the strip-proxy's capture must show the "may" sender's message and no "encrypt" one (and the
    "dane" one: stripped.sink.test publishes no TLSA, so DANE is only opportunistic there).
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

from checklist import check, exit_status, failures  # tests/integration/checklist.py

import lab_env  # tests/integration/lab_env.py
import schema_check

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
SCENARIOS = [s.split("@")[0] for s in env["INTRANSIT_LAB_SINK_LISTEN"].split()]
SENDERS = dict(s.split("@") for s in env["INTRANSIT_LAB_SENDERS"].split())  # level -> address
TARGETS = SCENARIOS + ["stripped"]


def maillog(level):
    with open(f"{state}/postfix/sender-{level}/log/maillog", errors="replace") as f:
        return f.read()


def start(args, out):
    return subprocess.Popen(ns + args, stdout=open(out, "w"), stderr=subprocess.STDOUT)


def wait_listening(proc, path, count):
    deadline = time.time() + 30
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(path) and open(path).read().count("listening ") >= count:
            return True
        time.sleep(0.05)
    return False


def inject(level, scenario):
    """Hands one message to the Postfix sender; returns its queue id."""
    mid = f"<{level}-{scenario}-{os.getpid()}@lab.test>"
    r = subprocess.run(ns + ["swaks", "--server", SENDERS[level], "--to", f"t@{scenario}.sink.test",
                             "--from", f"{level}@lab.test", "--header", f"Message-ID: {mid}"],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"queued as ([0-9A-F]+)", r.stdout)
    check(m is not None, f"{level}: Postfix accepted the message for {scenario}")
    return m.group(1) if m else None, mid


def postfix_status(level, queue_id):
    """(status, relay line) once Postfix logged the outcome of the first attempt."""
    m = re.search(rf"{queue_id}: to=<[^>]+>, relay=[^,]*, .*status=(sent|deferred|bounced) \((.*)\)", maillog(level))
    return (m.group(1), m.group(2)) if m else (None, None)


def tls_line(level, scenario):
    found = re.findall(rf"(\w+) TLS connection established to mx\.{re.escape(scenario)}\.sink\.test\[[^]]+\]:25: "
                       r"(\S+) with cipher (\S+)", maillog(level))
    return found[-1] if found else None  # the newest: this run's


def main():
    tmp = tempfile.mkdtemp(prefix="sink-lab-")
    store, capture = f"{tmp}/sink.db", f"{tmp}/capture.jsonl"
    listen = [a for spec in env["INTRANSIT_LAB_SINK_LISTEN"].split() for a in ("--listen", spec)]
    sink = start([intransit, "sink", *listen, "--store", store, "--hostname", "sink.lab.test",
                  "--cert", env["INTRANSIT_LAB_SINK_CERT"], "--key", env["INTRANSIT_LAB_SINK_KEY"],
                  "--scenario-cert", "expired=" + env["INTRANSIT_LAB_SINK_EXPIRED"]], f"{tmp}/sink.out")
    proxy = start([intransit, "strip-proxy", "--listen", env["INTRANSIT_LAB_STRIP"],
                   "--upstream", env["INTRANSIT_LAB_STRIP_UPSTREAM"], "--capture", capture], f"{tmp}/proxy.out")
    try:
        check(wait_listening(sink, f"{tmp}/sink.out", len(SCENARIOS)), "sink listens on every scenario address")
        check(wait_listening(proxy, f"{tmp}/proxy.out", 1), "strip-proxy listens")
        if failures:
            print(open(f"{tmp}/sink.out").read() + open(f"{tmp}/proxy.out").read())
            return 1
        queued = {}
        for level in SENDERS:
            for scenario in TARGETS:
                queued[(level, scenario)] = inject(level, scenario)
        # swaks, the second sender: tries TLS, carries on in plaintext on the same connection.
        swaks_outcome = {}
        for scenario in ("no-starttls", "starttls-refused", "handshake-fails", "self-signed", "valid"):
            r = subprocess.run(ns + ["swaks", "--server", f"mx.{scenario}.sink.test", "--tls-optional",
                                     "--local-interface", env["INTRANSIT_LAB_SWAKS_SENDER"],
                                     "--to", f"t@{scenario}.sink.test", "--from", "swaks@lab.test"],
                               capture_output=True, text=True, timeout=60)
            swaks_outcome[scenario] = "250 2.0.0 Ok" in r.stdout
        deadline = time.time() + 90
        status = {}
        while time.time() < deadline:
            status = {k: postfix_status(k[0], q) for k, (q, _) in queued.items() if q}
            if all(s[0] for s in status.values()):
                break
            time.sleep(0.5)
        check(all(s[0] for s in status.values()), f"every Postfix logged an outcome ({sum(1 for s in status.values() if s[0])}/{len(status)})")
    finally:
        for p in (sink, proxy):
            p.terminate()
            p.wait(timeout=30)

    # 1. The sink's record agrees with each Postfix's log, delivery by delivery.
    db = sqlite3.connect(store)
    delivered = {(r[0], r[1]): (r[2], r[3], r[4]) for r in
                 db.execute("SELECT client_ip, scenario, tls, tls_version, tls_cipher FROM deliveries WHERE accepted = 1")}
    for (level, scenario), (pf_status, _) in sorted(status.items()):
        if scenario == "stripped":
            continue
        in_sink = (SENDERS[level], scenario) in delivered
        check(in_sink == (pf_status == "sent"),
              f"{level} -> {scenario}: Postfix says {pf_status}, the sink {'recorded' if in_sink else 'has no'} delivery")
        tls = tls_line(level, scenario)
        if in_sink and tls:
            got = delivered[(SENDERS[level], scenario)]
            check(got[0] == 1 and got[1] == tls[1] and got[2] == tls[2],
                  f"{level} -> {scenario}: TLS as Postfix logged it ({tls[1]} {tls[2]} = {got[1]} {got[2]})")

    # 2. What the report says about each sender.
    run = subprocess.run([intransit, "sink", "report", "--store", store, "--format", "json"], capture_output=True, text=True)
    check(run.returncode == 1, f"report: exit 1, some sender is weak ({run.returncode})")
    report = {s["client"]: s for s in schema_check.validate(json.loads(run.stdout))["senders"]}  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
    ids = {c: {b["id"] for b in s["behaviours"]} for c, s in report.items()}
    verdict = {c: s["verdict"] for c, s in report.items()}
    may, encrypt, dane, verify, sts = (SENDERS[x] for x in ("may", "encrypt", "dane", "verify", "mta-sts"))
    check(verdict.get(may) == "plaintext-fallback", f"may: plaintext-fallback ({verdict.get(may)})")
    check({"plaintext-fallback", "accepts-any-certificate", "uses-starttls"} <= ids.get(may, set()), f"may: {sorted(ids.get(may, []))}")
    check(verdict.get(encrypt) == "accepts-any-certificate", f"encrypt: accepts-any-certificate ({verdict.get(encrypt)})")
    check("refuses-plaintext" in ids.get(encrypt, set()) and "plaintext-fallback" not in ids.get(encrypt, set()),
          f"encrypt: never delivers in plaintext {sorted(ids.get(encrypt, []))}")
    check("honours-dane" in ids.get(dane, set()), f"dane: honours DANE on dane-mismatch {sorted(ids.get(dane, []))}")
    check(verdict.get(verify) == "verifies", f"verify: verifies ({verdict.get(verify)})")
    check("checks-certificates" in ids.get(verify, set()), "verify: checks certificates")
    check("honours-mta-sts" in ids.get(sts, set()), f"mta-sts: honours MTA-STS on mtasts-mismatch {sorted(ids.get(sts, []))}")
    check("ignores-mta-sts" in ids.get(may, set()), "may: ignores MTA-STS (it does not use it)")
    check(status.get(("mta-sts", "mtasts-mismatch"), (None,))[0] == "deferred", "mta-sts -> mtasts-mismatch: Postfix deferred it")
    check(status.get(("mta-sts", "valid"), (None,))[0] == "sent" and (tls_line("mta-sts", "valid") or ["?"])[0] == "Verified",
          "mta-sts -> valid: delivered, certificate verified as the policy demands")
    for level, scenario in (("encrypt", "no-starttls"), ("verify", "wrong-name"), ("verify", "self-signed"),
                            ("verify", "expired"), ("dane", "dane-mismatch")):
        check(status.get((level, scenario), (None,))[0] == "deferred", f"{level} -> {scenario}: Postfix deferred it")
    for scenario in ("valid",):
        for level in ("dane", "verify"):
            check(tls_line(level, scenario) is not None and tls_line(level, scenario)[0] == "Verified",
                  f"{level} -> {scenario}: Postfix verified the sink's certificate")
    swaks = report.get(env["INTRANSIT_LAB_SWAKS_SENDER"], {})
    check(swaks.get("verdict") == "plaintext-fallback", f"swaks --tls-optional: plaintext-fallback ({swaks.get('verdict')})")
    refused = [a for a in swaks.get("attempts", []) if a["scenario"] == "starttls-refused"]
    check(len(refused) == 1 and refused[0]["tls_outcome"] == "refused" and refused[0]["delivered"],
          "swaks: after the 454 it delivered in plaintext on the same connection")
    check(swaks_outcome.get("handshake-fails") is False, "swaks: gave up after the failed handshake (no retry)")

    # 3. The strip-proxy read the opportunistic sender's message, and nothing from "encrypt".
    captures = [schema_check.validate(json.loads(l)) for l in open(capture)] if os.path.exists(capture) else []
    mine = [c for c in captures if c["mail_from"] == "may@lab.test"]
    check(len(mine) == 1 and mine[0]["starttls_removed"] and queued[("may", "stripped")][1] in mine[0]["headers"],
          "strip-proxy: captured the may sender's message, headers and all, with STARTTLS removed")
    check(mine and mine[0]["upstream_reply"] and mine[0]["upstream_reply"].startswith("250"), "strip-proxy: upstream accepted it")
    check(status.get(("may", "stripped"), (None,))[0] == "sent", "may -> stripped: Postfix says sent (it never knew)")
    check(not [c for c in captures if c["mail_from"] in ("encrypt@lab.test", "verify@lab.test")],
          "strip-proxy: nothing from the encrypt or verify senders")
    # RFC 7672 §2.2: without TLSA records (stripped.sink.test has none) DANE is opportunistic TLS,
    # so a stripping attacker reads the "dane" sender's mail too.
    check([c for c in captures if c["mail_from"] == "dane@lab.test"],
          "strip-proxy: the dane sender delivers in plaintext where no TLSA record exists")
    check(status.get(("encrypt", "stripped"), (None,))[0] == "deferred", "encrypt -> stripped: Postfix deferred it")
    return exit_status(f"files in {tmp}")


sys.exit(main())
