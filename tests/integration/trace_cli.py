#!/usr/bin/env python3
"""trace_cli.py INTRANSIT DATA_DIR — `intransit trace` end to end on message files (no lab):
the verdicts and JSON contract (docs/json-schema.md) for a single message, an mbox and a
Maildir; exit codes; and RELIABILITY.md item 37 — a mailbox with a 2 MB header line, 100 000
continuation lines, NUL bytes and a 1 MB header block and a From_ line followed by no header at all, between good messages: the run finishes,
the good messages are all reported with their verdicts, nothing is lost."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import schema_check

intransit, data = sys.argv[1:3]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args, stdin=None):
    r = subprocess.run([intransit, "trace", *args], capture_output=True, timeout=120, input=stdin)
    if "json" in args and r.stdout.strip(): schema_check.validate_text(r.stdout.decode())  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
    return r


def contract(doc):
    for key in ("schema", "source", "message_id", "hops", "verdict", "e2e"):
        check(key in doc, f"{doc.get('source')}: has {key}")
    check(doc["schema"] == "intransit.trace/1", "schema intransit.trace/1")
    for h in doc["hops"]:
        check({"index", "from", "by", "with", "verdict", "tls_version", "cipher", "authenticated", "evidence", "raw"}
              <= h.keys() and h["verdict"] in ("tls", "plaintext", "local", "unknown"), f"hop {h.get('index')} complete")


# One message, all TLS.
r = run("--format", "json", f"{data}/tls-path.eml")
doc = json.loads(r.stdout)
contract(doc)
check(r.returncode == 0, f"all-TLS message exits 0 (got {r.returncode})")
check(doc["verdict"] == "all-tls", f"tls-path.eml is all-tls ({doc['verdict']})")
check([h["verdict"] for h in doc["hops"]] == ["tls", "tls", "local"], "hops in transit order: tls, tls, local")
check(doc["hops"][0]["authenticated"] and doc["hops"][0]["tls_version"] == "TLSv1.3", "first hop: authenticated TLSv1.3")
check([h["trusted"] for h in doc["hops"]] == [False, True, True],
      "default trust: the top-most hop (LMTP) and the MX hop it names as its sender")
r = run("--format", "json", "--trusted-domain", "example.net", f"{data}/tls-path.eml")
check([h["trusted"] for h in json.loads(r.stdout)["hops"]] == [False, True, True], "--trusted-domain example.net trusts hops 2-3")

# Standard input.
r = run("--format", "json", "-", stdin=open(f"{data}/tls-path.eml", "rb").read())
check(json.loads(r.stdout)["message_id"] == "tls-path@example.org", "reads a message from standard input")

# An mbox: JSON Lines, then the summary.
r = run("--format", "json", f"{data}/sample.mbox")
check(r.stdout == subprocess.run([intransit, "trace", "--format", "json", f"{data}/sample.mbox"], capture_output=True,
                                 env={**os.environ, "INTRANSIT_TRACE_GMIME_ONLY": "1"}).stdout,
      "mbox: the fast path's output is byte-identical to GMime's alone")
lines = [json.loads(x) for x in r.stdout.splitlines()]
check(len(lines) == 5, f"mbox: 4 messages + summary ({len(lines)} lines)")
check([d["verdict"] for d in lines[:4]] == ["all-tls", "plaintext-hop", "all-tls", "all-tls"], "mbox verdicts")
check(lines[2]["e2e"] == "pgp-encrypted", "PGP/MIME encrypted message recognised")
check(lines[3]["e2e"] == "pgp-inline-signed", f"base64-encoded inline PGP signature recognised ({lines[3]['e2e']})")
summary = lines[4]
check(summary["schema"] == "intransit.trace-summary/1" and summary["messages"] == 4 and summary["all_tls"] == 3,
      "summary counts")
check(r.returncode == 1, f"a plaintext hop exits 1 (got {r.returncode})")

# A Maildir.
with tempfile.TemporaryDirectory() as tmp:
    for sub in ("cur", "new", "tmp"):
        os.makedirs(f"{tmp}/md/{sub}")
    shutil.copy(f"{data}/tls-path.eml", f"{tmp}/md/cur/1700000000.1.host:2,S")
    shutil.copy(f"{data}/tls-path.eml", f"{tmp}/md/new/1700000001.2.host")
    r = run("--format", "json", f"{tmp}/md")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    check(len(lines) == 3 and lines[-1]["messages"] == 2, f"Maildir: 2 messages + summary ({len(lines)} lines)")

    # RELIABILITY item 37: hostile header blocks between good messages.
    good = open(f"{data}/tls-path.eml", "rb").read()
    hostile = [
        b"Received: " + b"x" * 2_000_000 + b"\nSubject: long line\n\nbody\n",
        b"Received: from a by b with ESMTP;\n" + b" continued\n" * 100_000 + b"\nbody\n",
        b"Received: from a\x00b by c with ESMTPS (using TLSv1.3 with cipher X);\x00 date\nSubject: nul\n\nbody\n",
        b"".join(b"X-Filler-%d: %s\n" % (i, b"y" * 200) for i in range(5000)) + b"\nbody\n",
        b"".join(b"Received: from h%d by h%d with SMTP; date\n" % (i, i + 1) for i in range(1000)) + b"\nbody\n",
        b"\x06\x06\x06 bytes that are no header at all\n",  # GMime stops without moving (found by fuzzing)
    ]
    with open(f"{tmp}/hostile.mbox", "wb") as f:
        for i, h in enumerate(hostile):
            f.write(b"From good@example.org Sat Nov 28 10:00:00 2026\n" + good.replace(b"tls-path@", b"good%d@" % i) + b"\n")
            f.write(b"From bad@example.org Sat Nov 28 10:00:00 2026\n" + h + b"\n")
        f.write(b"From good@example.org Sat Nov 28 10:00:00 2026\n" + good.replace(b"tls-path@", b"last@") + b"\n")
    r = run("--format", "json", f"{tmp}/hostile.mbox")
    check(r.returncode in (0, 1), f"hostile mbox: the run finishes (exit {r.returncode})")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    docs = [d for d in lines if d.get("schema") == "intransit.trace/1"]
    goods = [d for d in docs if d["message_id"].startswith(("good", "last"))]
    check(len(goods) == 7 and all(d["verdict"] == "all-tls" for d in goods),
          f"hostile mbox: all 7 good messages reported intact ({len(goods)})")
    check(lines[-1].get("messages") == len(docs), "hostile mbox: summary counts every message")
    # The fast path (header blocks read from the mapping, both cores) against GMime alone.
    reference = subprocess.run([intransit, "trace", "--format", "json", f"{tmp}/hostile.mbox"], capture_output=True,
                               timeout=120, env={**os.environ, "INTRANSIT_TRACE_GMIME_ONLY": "1"})
    check(reference.stdout == r.stdout, "hostile mbox: the fast path's output is byte-identical to GMime's alone")
    # Several 8 MiB chunks, so both worker threads, the in-order hand-over and the page release
    # run (under ASan in the test build): a 20 MB generated mailbox with the sample appended, fast
    # path against GMime alone.
    big = f"{tmp}/big.mbox"
    subprocess.run([sys.executable, f"{os.path.dirname(os.path.abspath(__file__))}/../../bench/gen_mbox.py", big, "20"],
                   check=True)
    # (The hostile messages are compared above; under ASan one of them, 100 000 continuation
    # lines, costs ~45 s per read in GMime, so they are not read twice more here.)
    with open(big, "ab") as out, open(f"{data}/sample.mbox", "rb") as smp:
        out.write(smp.read())
    fast = subprocess.run([intransit, "trace", "--format", "json", big], capture_output=True, timeout=600)
    slow = subprocess.run([intransit, "trace", "--format", "json", big], capture_output=True, timeout=600,
                          env={**os.environ, "INTRANSIT_TRACE_GMIME_ONLY": "1"})
    count = len(schema_check.validate_text(fast.stdout.decode()))  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
    check(fast.returncode == slow.returncode and fast.stdout == slow.stdout and count > 3000,
          f"20 MB mailbox over several chunks and both cores: byte-identical to GMime alone ({count} lines)")
    # Ranges of 64 KiB with 16 KiB of slack: many messages straddle a range or outgrow the read
    # window and are read through the mapping instead.
    small = subprocess.run([intransit, "trace", "--format", "json", big], capture_output=True, timeout=600,
                           env={**os.environ, "INTRANSIT_TRACE_CHUNK_BYTES": "65521"})
    check(small.stdout == fast.stdout, "20 MB mailbox in 64 KiB ranges: the same output")
    capped = [d for d in docs if d.get("received_dropped", 0) > 0]
    check(len(capped) == 1 and capped[0]["received_dropped"] == 900, "1000 Received fields: 100 read, 900 counted")
    long_line = [d for d in docs if any(h["raw"].startswith("xxxx") for h in d["hops"])]
    check(len(long_line) == 1 and len(long_line[0]["hops"][0]["raw"]) <= 16 * 1024,
          "a 2 MB Received field is read up to the 16 KiB cap")

r = run(f"{data}/does-not-exist")
check(r.returncode == 3 and b"cannot open" in r.stderr, f"missing input exits 3 with a reason (got {r.returncode})")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
