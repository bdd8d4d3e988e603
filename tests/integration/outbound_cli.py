#!/usr/bin/env python3
"""outbound_cli.py INTRANSIT — `intransit outbound` end to end on log files (no lab): the JSON
contract (validated against docs/schema/outbound.schema.json), the text summary, exit codes, and
hostile logs (RELIABILITY.md items 51 and 54): binary garbage, a 10 MB line, a truncated last
line and a truncated .gz, interleaved processes, rotated .gz files given in any order, standard
input, journalctl -o json, --since/--until, and --follow across a rotation and a truncation."""
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import jsonschema

from checklist import check, exit_status  # tests/integration/checklist.py

intransit = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = json.load(open(os.path.join(HERE, "..", "..", "docs", "schema", "outbound.schema.json")))
tmp = tempfile.mkdtemp(prefix="outbound-cli-")


def tls(pid, trust, host, addr, t="13:01:10", version="TLSv1.3"):
    return (f"Dec 02 {t} mx postfix/smtp[{pid}]: {trust} TLS connection established to {host}[{addr}]:25: "
            f"{version} with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)")


def delivery(pid, qid, rcpt, host, addr, t="13:01:10", status="sent"):
    return (f"Dec 02 {t} mx postfix/smtp[{pid}]: {qid}: to=<{rcpt}>, relay={host}[{addr}]:25, delay=0.1, "
            f"delays=0/0/0/0.1, dsn=2.0.0, status={status} (250 2.0.0 Ok)")


GOOD = [
    tls(1, "Verified", "mx.a.test", "192.0.2.1"),
    delivery(1, "AAAA1", "u@a.test", "mx.a.test", "192.0.2.1"),
    tls(2, "Untrusted", "mx.b.test", "192.0.2.2"),
    delivery(2, "BBBB1", "u@b.test", "mx.b.test", "192.0.2.2"),
    delivery(3, "CCCC1", "u@plain.test", "mx.plain.test", "192.0.2.3", t="13:05:00"),
    "Dec 02 13:06:00 mx postfix/qmgr[9]: CCCC1: removed",
]


def write(name, lines, mode="w"):
    path = os.path.join(tmp, name)
    if name.endswith(".gz"):
        with gzip.open(path, "wt") as f:
            f.write("\n".join(lines) + "\n")
    else:
        with open(path, mode) as f:
            f.write("\n".join(lines) + "\n")
    return path


def run(*args, stdin=None, env=None):
    e = dict(os.environ, INTRANSIT_NOW="1796216400")  # 2026-12-02T13:00:00Z: the year of "Dec 02"
    return subprocess.run([intransit, "outbound", *args], capture_output=True, timeout=120, input=stdin, env=e)


def records(r):
    out = [json.loads(line) for line in r.stdout.decode().splitlines() if line.strip()]
    for rec in out:
        jsonschema.validate(rec, SCHEMA)
    return out


# Plain file: JSON contract, protections, exit 1 (a plaintext delivery).
good = write("maillog", GOOD)
r = run("--format", "json", good)
recs = records(r)
check(r.returncode == 1, f"a plaintext delivery exits 1 (got {r.returncode})")
check([d["protection"] for d in recs[:-1]] == ["verified", "encrypted-unverified", "plaintext"],
      "protections: verified, encrypted-unverified, plaintext")
check(recs[0]["time"] == "2026-12-02T13:01:10Z" and recs[0]["tls"]["version"] == "TLSv1.3", "time and TLS version")
check(recs[-1]["record"] == "summary" and recs[-1]["deliveries"] == 3, "summary record last, 3 deliveries")
check(recs[-1]["domains"][0]["domain"] == "plain.test", "domains worst first: plain.test")

# Text: the summary sentence for people first, then the domain table.
r = run(good)
out = r.stdout.decode()
check(out.startswith("2 of 3 deliveries (66.7%) left over TLS; 1 went in plaintext to 1 domain: plain.test; only 50.0%"),
      f"text summary sentence: {out.splitlines()[0]!r}")
check("By destination domain, worst first" in out and "plain.test" in out.split("worst first")[1], "domain table")

# Only TLS: exit 0.
r = run(write("tls-only", GOOD[:4]))
check(r.returncode == 0, f"all TLS exits 0 (got {r.returncode})")

# --since/--until: the plaintext delivery at 13:05 is outside.
r = run("--format", "json", "--until", "2026-12-02T13:02:00Z", good)
recs = records(r)
check(recs[-1]["deliveries"] == 2 and recs[-1]["outside_period"] == 1, "--until leaves out the later delivery")
r = run("--since", "yesterday", good)
check(r.returncode == 2, "--since with a word that is not a time is a usage error")

# RELIABILITY.md item 51: binary garbage. Counted as unparsed, no crash, no delivery: exit 3.
random.seed(19)
garbage = os.path.join(tmp, "garbage")
with open(garbage, "wb") as f:
    f.write(random.randbytes(1 << 20))
r = run("--format", "json", garbage)
recs = records(r)
check(r.returncode == 3 and recs[-1]["deliveries"] == 0, f"garbage: no delivery, exit 3 (got {r.returncode})")
check(recs[-1]["lines"]["unparsed"] > 0 and len(recs[-1]["unparsed_samples"]) > 0, "garbage: unparsed lines counted, shown")
r = run(garbage)
check(r.returncode == 3 and "not understood" in r.stdout.decode(), "garbage: text names what was not understood")

# A 10 MB line between good ones: skipped and counted, the rest read.
big = os.path.join(tmp, "bigline")
with open(big, "w") as f:
    f.write("\n".join(GOOD[:2]) + "\n" + "Dec 02 13:01:10 mx postfix/smtp[1]: " + "x" * (10 << 20) + "\n" +
            "\n".join(GOOD[2:]) + "\n")
r = run("--format", "json", big)
recs = records(r)
check(recs[-1]["deliveries"] == 3 and recs[-1]["lines"]["cut"] == 1, "10 MB line: cut and counted, 3 deliveries read")

# Truncated last line (no LF, cut mid-field): the good lines count, the stub is not a delivery.
trunc = os.path.join(tmp, "truncated")
with open(trunc, "w") as f:
    f.write("\n".join(GOOD[:4]) + "\n" + GOOD[4][:60])
r = run("--format", "json", trunc)
recs = records(r)
check(recs[-1]["deliveries"] == 2, "truncated last line: 2 deliveries")

# Interleaved processes: TLS lines of two processes before either delivers.
inter = write("interleaved", [GOOD[0], GOOD[2], GOOD[3], GOOD[1]])
recs = records(run("--format", "json", inter))
check([d["protection"] for d in recs[:-1]] == ["encrypted-unverified", "verified"], "interleaved: joined by process")

# Rotation: maillog.1.gz ends with the TLS line, maillog starts with its delivery; given newest
# first, they are read oldest first and join.
old = write("maillog.2.gz", [tls(5, "Verified", "mx.z.test", "192.0.2.9", t="12:00:00"),
                             delivery(5, "ZZZZ1", "u@z.test", "mx.z.test", "192.0.2.9", t="12:00:00")])
mid = write("maillog.1.gz", [tls(7, "Verified", "mx.a.test", "192.0.2.1", t="12:59:59")])
new = write("maillog.0", [delivery(7, "AAAA7", "u@a.test", "mx.a.test", "192.0.2.1", t="13:00:00")])
recs = records(run("--format", "json", new, mid, old))
check([(d["queue_id"], d["protection"]) for d in recs[:-1]] == [("ZZZZ1", "verified"), ("AAAA7", "verified")],
      "rotated .gz in any order: read oldest first, joined across files")

# A truncated .gz: what could be read is reported, the error is named, exit 3.
with open(os.path.join(tmp, "maillog.2.gz"), "rb") as f:
    data = f.read()
cut_gz = os.path.join(tmp, "cut.gz")
with open(cut_gz, "wb") as f:
    f.write(data[: len(data) - 12])
r = run("--format", "json", cut_gz)
recs = records(r)
check(r.returncode == 3 and recs[-1]["inputs"][0]["error"], f"truncated .gz: error named, exit 3 ({r.returncode})")

# Standard input, compressed or not.
recs = records(run("--format", "json", "-", stdin=("\n".join(GOOD) + "\n").encode()))
check(recs[-1]["deliveries"] == 3, "standard input")
recs = records(run("--format", "json", "-", stdin=gzip.compress(("\n".join(GOOD) + "\n").encode())))
check(recs[-1]["deliveries"] == 3, "gzip on standard input")

# journalctl -o json: MESSAGE as a string, and as an array of bytes (not UTF-8).
def journal(msg, pid, usec):
    return json.dumps({"__REALTIME_TIMESTAMP": str(usec), "_HOSTNAME": "mx", "SYSLOG_IDENTIFIER": "postfix/smtp",
                       "_PID": str(pid), "MESSAGE": msg})


msgs = [l.split(": ", 1)[1] for l in GOOD[:4]]
jl = [journal(msgs[0], 1, 1796216470000000), journal(msgs[1], 1, 1796216470100000),
      json.dumps({"__REALTIME_TIMESTAMP": "1796216470200000", "_HOSTNAME": "mx", "SYSLOG_IDENTIFIER": "postfix/smtp",
                  "_PID": "2",
                  "MESSAGE": list(msgs[2].encode())}),
      journal(msgs[3].replace("u@b.test", "u\udcff@b.test".encode("utf-8", "surrogateescape").decode("latin-1")), 2,
              1796216470300000),
      '{"MESSAGE": 5}', "{broken"]
recs = records(run("--format", "json", write("journal.json", jl)))
check([d["protection"] for d in recs[:-1]] == ["verified", "encrypted-unverified"], "journald JSON: joined, byte arrays read")
check(recs[0]["time"] == "2026-12-02T13:01:10.100000Z", f"journald time from __REALTIME_TIMESTAMP ({recs[0]['time']})")
check(recs[-1]["lines"]["unparsed"] == 1, "journald: a broken JSON line is unparsed")

# journalctl -o export: the same entries as text fields and as a binary MESSAGE field (a length
# in 64-bit little endian, for a value that is not text), read from a gzip file too.
def export_entry(msg, pid, usec, binary=False):
    head = (f"__CURSOR=s=1;i={usec}\n__REALTIME_TIMESTAMP={usec}\n_HOSTNAME=mx\n"
            f"SYSLOG_IDENTIFIER=postfix/smtp\n_PID={pid}\n").encode()
    raw = msg.encode("utf-8", "surrogateescape")
    field = (b"MESSAGE\n" + len(raw).to_bytes(8, "little") + raw + b"\n") if binary else b"MESSAGE=" + raw + b"\n"
    return head + field + b"\n"


export = b"".join([export_entry(msgs[0], 1, 1796216470000000), export_entry(msgs[1], 1, 1796216470100000, binary=True),
                   export_entry(msgs[2], 2, 1796216470200000, binary=True), export_entry(msgs[3], 2, 1796216470300000)])
for name, data in (("journal.export", export), ("journal.export.gz", gzip.compress(export))):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    recs = records(run("--format", "json", path))
    check([d["protection"] for d in recs[:-1]] == ["verified", "encrypted-unverified"],
          f"journalctl -o export ({name}): text and binary fields, joined")
    check(recs and recs[0]["time"] == "2026-12-02T13:01:10.100000Z", f"export ({name}): time from __REALTIME_TIMESTAMP")

# Exim and Sendmail logs together with Postfix.
exim = write("exim-mainlog", [
    "2026-12-02 13:02:01 1kABCD-0001Ab-Cd => u@exim.test R=dnslookup T=remote_smtp H=mx.exim.test [192.0.2.7] "
    "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 OK\"",
    "2026-12-02 13:02:02 1kABCE-0001Ab-Cd => u@plain.test R=dnslookup T=remote_smtp H=mx.plain.test [192.0.2.3] C=\"250\""])
sm = write("sendmail.log", [
    "Dec  2 13:03:01 mail sm-mta[2345]: STARTTLS=client, relay=mx.example.org., version=TLSv1.2, verify=FAIL, "
    "cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256/256",
    "Dec  2 13:03:01 mail sm-mta[2345]: 0B2D3E4F012345: to=<a@example.org>, delay=00:00:01, xdelay=00:00:01, "
    "mailer=esmtp, pri=120000, relay=mx.example.org. [192.0.2.1], dsn=2.0.0, stat=Sent (Ok)"])
recs = records(run("--format", "json", exim, sm, good))
check(sorted((d["mta"], d["protection"]) for d in recs[:-1]) ==
      sorted([("exim", "verified"), ("exim", "plaintext"), ("sendmail", "encrypted-unverified"),
              ("postfix", "verified"), ("postfix", "encrypted-unverified"), ("postfix", "plaintext")]),
      "Exim, Sendmail and Postfix logs in one run")

# Inputs that cannot be read (RELIABILITY.md item 54): a directory, a missing file, an empty one.
r = run(tmp)
check(r.returncode == 3 and b"directory" in r.stderr, "a directory: exit 3 with the reason")
r = run(os.path.join(tmp, "missing"))
check(r.returncode == 3 and b"No such file" in r.stderr, "a missing file: exit 3 with the reason")
r = run(write("empty", []))
check(r.returncode == 3 and b"no delivery" in r.stderr, "an empty log: exit 3, no delivery")
r = run("--follow", good, good)
check(r.returncode == 2, "--follow with two files is a usage error")

# --follow: lines appended, the file rotated (renamed, a new one created; the MTA's last line
# still goes to the old one), then truncated; SIGTERM ends it with the summary. Each step waits
# until the previous delivery was printed (a sanitizer build starts slowly on a busy machine).
import threading

live = os.path.join(tmp, "live")
open(live, "w").write(GOOD[0] + "\n" + GOOD[1] + "\n")
p = subprocess.Popen([intransit, "outbound", "--follow", "--format", "json", live], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, env=dict(os.environ, INTRANSIT_NOW="1796216400"))
seen = []
reader = threading.Thread(target=lambda: seen.extend(iter(p.stdout.readline, b"")), daemon=True)
reader.start()


def printed(qid, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if any(f'"queue_id":"{qid}"'.encode() in line for line in list(seen)):
            return True
        time.sleep(0.05)
    return False


check(printed("AAAA1"), "--follow: the file's first delivery printed")
with open(live, "a") as f:
    f.write(GOOD[2] + "\n" + GOOD[3] + "\n")
check(printed("BBBB1"), "--follow: an appended delivery printed")
os.rename(live, live + ".1")
with open(live + ".1", "a") as f:
    f.write(GOOD[4] + "\n")
with open(live, "w") as f:
    f.write(delivery(4, "DDDD1", "u@d.test", "mx.d.test", "192.0.2.4") + "\n")
check(printed("CCCC1") and printed("DDDD1"), "--follow: rotation: the old file's last line and the new file read")
with open(live, "w") as f:  # truncated and written again, shorter
    f.write(delivery(5, "E1", "u@e.t", "mx.e.t", "192.0.2.5") + "\n")
check(printed("E1"), "--follow: truncation: read again from the start")
p.send_signal(signal.SIGTERM)
p.wait(timeout=30)
reader.join(timeout=10)
recs = [json.loads(line) for line in seen if line.strip()]
for rec in recs:
    jsonschema.validate(rec, SCHEMA)
check([d["queue_id"] for d in recs[:-1]] == ["AAAA1", "BBBB1", "CCCC1", "DDDD1", "E1"],
      f"--follow: every delivery once ({[d.get('queue_id') for d in recs[:-1]]})")
check(recs and recs[-1]["record"] == "summary" and recs[-1]["deliveries"] == 5, "--follow: SIGTERM prints the summary")

sys.exit(exit_status(tmp))
