#!/usr/bin/env python3
"""trace_lab.py STATE_DIR INTRANSIT CASE — `intransit trace` on Received headers written by a
real Postfix: swaks (from the lab's non-loopback sender address) sends one message to the lab
MTA, the MTA writes it with its own Received header to an mbox (lab/lib/postfix.sh,
trace.test), and the hop intransit reads must agree with what Postfix itself logged for that
session (TLS version and cipher, or no TLS).
CASE: modern-tls (TLS 1.3), modern-plain (no STARTTLS), legacy-tls (TLS 1.1), exim-postfix:
two real hops, swaks -> Exim -> (TLS) -> Postfix, each checked against its own MTA's log, and
opensmtpd-plain: the hop OpenSMTPD writes, checked against OpenSMTPD's log."""
import json
import re
import subprocess
import sys
import time
import uuid

import lab_env  # tests/integration/lab_env.py

state, intransit, case = sys.argv[1:4]
env, ns = lab_env.load(state)
instance, addr, tls_args = {
    "modern-tls": ("modern", "127.0.1.2", ["--tls"]),
    "modern-plain": ("modern", "127.0.1.2", []),
    "legacy-tls": ("legacy", "127.0.1.3", ["--tls", "--tls-protocol", "tlsv1_1", "--tls-cipher", "DEFAULT@SECLEVEL=0"]),
    "exim-postfix": ("modern", "127.0.1.7", ["--tls"]),
    "opensmtpd-plain": ("opensmtpd", "127.0.1.8", []),  # OpenSMTPD 6.8 on OpenSSL 3: no TLS (lab/lib/opensmtpd.sh)
}[case]
mbox = f"{env['INTRANSIT_LAB_TRACE_DIR']}/{instance}.mbox"
maillog = f"{state}/opensmtpd/smtpd.log" if instance == "opensmtpd" else f"{state}/postfix/{instance}/log/maillog"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


msgid = f"{case}-{uuid.uuid4().hex}@lab.test"
sent = subprocess.run(ns + ["swaks", "--server", addr, "--local-interface", env["INTRANSIT_LAB_SENDER"],
                            "--to", "u@trace.test", "--from", "sender@opportunistic.test",
                            "--header", f"Message-ID: <{msgid}>", *tls_args],
                      capture_output=True, text=True, timeout=60)
check(sent.returncode == 0, f"swaks delivered to {instance} (exit {sent.returncode})")
if sent.returncode != 0:
    print(sent.stdout[-2000:], sent.stderr[-2000:])
deadline = time.time() + 15
while time.time() < deadline and msgid not in open(mbox, errors="replace").read():
    time.sleep(0.2)

run = subprocess.run([intransit, "trace", "--format", "json", mbox], capture_output=True, text=True, timeout=60)
docs = [json.loads(line) for line in run.stdout.splitlines()]
import schema_check; [schema_check.validate(d) for d in docs]  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
mine = [d for d in docs if d.get("message_id") == msgid]
check(len(mine) == 1, f"the message is in {mbox} and traced ({len(mine)})")
if mine and case == "exim-postfix":
    hops = mine[0]["hops"]
    check(len(hops) == 2 and [h["by"] for h in hops] == ["mx.exim.test", "mx.modern.test"],
          f"two hops in transit order: Exim, then Postfix ({[h['by'] for h in hops]})")
    exim_log = open(f"{state}/exim/log/mainlog", errors="replace").read()
    exim_version = re.findall(r"<= .*P=esmtps X=(TLS1\.\d)", exim_log)
    want = "TLSv" + exim_version[-1][3:] if exim_version else None
    check(hops[0]["verdict"] == "tls" and hops[0]["tls_version"] == want,
          f"Exim hop: tls {hops[0]['tls_version']} equals Exim's log ({want})")
    check(hops[0]["cipher"] is not None and hops[0]["with"] == "ESMTPS", f"Exim hop: cipher {hops[0]['cipher']} stated")
    log = open(maillog, errors="replace").read()
    established = re.findall(r"TLS connection established from \S+\[" + re.escape(env["INTRANSIT_LAB_SENDER"]) +
                             r"\]: (\S+) with cipher (\S+)", log)
    version, cipher = established[-1] if established else (None, None)
    check(hops[1]["verdict"] == "tls" and hops[1]["tls_version"] == version and hops[1]["cipher"] == cipher,
          f"Postfix hop: {hops[1]['tls_version']} {hops[1]['cipher']} equals Postfix's log ({version} {cipher})")
    check(mine[0]["verdict"] == "all-tls", f"message verdict all-tls ({mine[0]['verdict']})")
    mine = []  # the single-hop checks below do not apply
if mine:
    hop = mine[0]["hops"][-1]
    print("hop:", json.dumps(hop)[:600])
    # What Postfix logged for this connection (the last session from the sender address).
    log = open(maillog, errors="replace").read()
    established = re.findall(r"TLS connection established from \S+\[" + re.escape(env["INTRANSIT_LAB_SENDER"]) +
                             r"\]: (\S+) with cipher (\S+)", log)
    if tls_args:
        check(hop["verdict"] == "tls", f"hop verdict tls ({hop['verdict']})")
        version, cipher = established[-1] if established else (None, None)
        check(hop["tls_version"] == version, f"TLS version {hop['tls_version']} equals Postfix's log ({version})")
        check(hop["cipher"] == cipher, f"cipher {hop['cipher']} equals Postfix's log ({cipher})")
        check(mine[0]["verdict"] == "all-tls", f"message verdict all-tls ({mine[0]['verdict']})")
    else:
        if instance == "opensmtpd":
            # OpenSMTPD's own log for the session: the message came in over ESMTP, with no STARTTLS.
            sessions = re.findall(r"^(\w+) smtp connected address=" + re.escape(env["INTRANSIT_LAB_SENDER"]), log, re.M)
            session_log = [l for l in log.splitlines() if sessions and l.startswith(sessions[-1])]
            check(any("smtp message" in l and "proto=ESMTP" in l for l in session_log) and
                  not any("STARTTLS" in l or "tls" in l.lower() for l in session_log),
                  f"OpenSMTPD logged the session as plain ESMTP ({len(session_log)} lines)")
            check(hop["with"] == "ESMTP" and "OpenSMTPD" in hop["by_info"], f"hop with {hop['with']}, by ({hop['by_info']})")
        check(hop["verdict"] == "plaintext", f"hop verdict plaintext ({hop['verdict']}: {hop['evidence']})")
        check(hop["tls_version"] is None and hop["cipher"] is None, "no TLS version or cipher")
        check(mine[0]["verdict"] == "plaintext-hop", f"message verdict plaintext-hop ({mine[0]['verdict']})")
    check(hop["by"] == f"mx.{instance}.test", f"hop by {hop['by']}")
    check(env["INTRANSIT_LAB_SENDER"] in hop["from_info"], f"hop from_info names the sender ({hop['from_info']})")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
