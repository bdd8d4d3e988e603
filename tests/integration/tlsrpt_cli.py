#!/usr/bin/env python3
"""tlsrpt_cli.py INTRANSIT DATA — `intransit tlsrpt` end to end (no lab, no network): report files
(.json, gzip under any name), a MIME message with both RFC 8460 §5.3 part types, an mbox, a
Maildir, a directory; reading twice into a --store changes nothing; reporters that disagree;
the intransit.tlsrpt/1 JSON contract (docs/schema/tlsrpt.schema.json); exit codes; and hostile
inputs (RELIABILITY.md items 51 and 54, "Defaults" TLS-RPT row): a gzip bomb, JSON nested
100 000 deep, a 100 MB report, invalid UTF-8 — each bounded in time, quarantined with a reason,
and the run goes on. `tlsrpt generate`'s usage and input errors, and its JSON for a day without
deliveries (the round trip is lab.tlsrpt.generate). Also: every option of `tlsrpt --help` is in the man page's TLSRPT OPTIONS."""
import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

intransit, data = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
tmp = tempfile.mkdtemp(prefix="tlsrpt-cli-")


def fixture(name):
    with open(os.path.join(data, name), "rb") as f:
        return f.read()


def put(name, content):
    path = os.path.join(tmp, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)
    return path


def run(*args, fmt="json"):
    started = time.monotonic()
    r = subprocess.run([intransit, "tlsrpt", "--format", fmt, *args], capture_output=True, timeout=300)
    r.seconds = time.monotonic() - started
    if fmt == "json" and r.stdout.strip():
        r.doc = schema_check.validate(json.loads(r.stdout))
    else:
        r.doc = None
    r.text = r.stdout.decode("utf-8")  # must be valid UTF-8 whatever the input held
    return r


RFC = fixture("rfc8460-appendix-b.json")
GOOGLE = fixture("google-style.json")
MICROSOFT = fixture("microsoft-style.json")
QUIRKS = fixture("quirks.json")


def message(*parts, subject="Report Domain: mtasts.test"):
    m = EmailMessage()
    m["From"] = "noreply-smtp-tls-reporting@reporter.example"
    m["To"] = "tlsrpt@mtasts.test"
    m["Subject"] = subject
    m["TLS-Report-Domain"] = "mtasts.test"
    m["TLS-Report-Submitter"] = "reporter.example"
    m.set_content("This is an aggregate TLS report.")
    for content, subtype, name in parts:
        m.add_attachment(content, maintype="application", subtype=subtype, filename=name)
    return m.as_bytes()


# --- one report file: the JSON contract, RFC 8460 Appendix B read strictly -------------------
r = run(put("rfc.json", RFC))
check(r.returncode == 1, f"a report with failed sessions exits 1 (got {r.returncode}; {r.stderr[-300:]!r})")
d = r.doc["domains"][0]
check(d["policy_domain"] == "company-y.example" and d["day"] == "2016-04-01", "summary per policy domain and day")
check(d["successful_sessions"] == 5326 and d["failed_sessions"] == 303, "session counts as reported")
check([m["host"] for m in d["mx"]][0] == "mx2.mail.company-y.example", "MX rows worst first")
fetch = {x["result_type"]: x for x in d["result_types"]}
check(fetch["certificate-expired"]["remedy"] and fetch["certificate-expired"]["rfc"] == "RFC 8460 §4.3.1",
      "each result type carries its meaning, RFC section and remedy")
check(r.doc["reports"][0]["notes"] == [], "a strict report needs no tolerance")

# --- gzip under any name, told by its magic bytes ---------------------------------------------
r = run(put("google!mtasts.test!1!2.bin", gzip.compress(GOOGLE)))
check(r.returncode == 0, f"a gzip report without failures exits 0 (got {r.returncode})")
check(r.doc["reports"][0]["gzip"] is True and r.doc["reports"][0]["organization"] == "Google Inc.", "gzip read by magic")

# --- a MIME message with both part types, and one with a generic type ---------------------------
both = put("both.eml", message((gzip.compress(MICROSOFT), "tlsrpt+gzip", "microsoft.com!mtasts.test!1!2.json.gz"),
                               (GOOGLE, "tlsrpt+json", "google.com!mtasts.test!1!2.json")))
r = run(both)
check(r.doc["counts"]["reports"] == 2 and r.doc["counts"]["messages"] == 1, "both part types read from one message")
check(sorted(x["gzip"] for x in r.doc["reports"]) == [False, True], "one gzip part, one JSON part")
dis = r.doc["domains"][0]["disagreements"]
check(len(dis) == 1 and dis[0]["mx"] == "mx.mtasts.test" and dis[0]["failing"][0]["organization"] == "Microsoft Corporation"
      and dis[0]["succeeding"][0]["organization"] == "Google Inc.", "reporters that disagree about an MX and day")
t = run(both, fmt="text")
check(t.text.startswith("TLS-RPT: 2 report(s) read"), "text: the counts come first")
check("reporters disagree" in t.text and "Google Inc." in t.text, "text: the disagreement side by side")
check("means:" in t.text and "remedy:" in t.text, "text: meaning and remedy in plain words")
generic = put("generic.eml", message((gzip.compress(RFC), "gzip", "company-x.example!company-y.example!1!2.json.gz")))
r = run(generic)
check(r.doc["counts"]["reports"] == 1 and any(n["id"] == "generic-media-type" for n in r.doc["reports"][0]["notes"]),
      "a report under application/gzip is read and the tolerance named")

# --- an mbox, a Maildir, a directory ----------------------------------------------------------
one = message((gzip.compress(RFC), "tlsrpt+gzip", "a.json.gz"))
two = message((QUIRKS, "tlsrpt+json", "b.json"))
plain = message(subject="hello")
mbox = put("box.mbox", b"".join(b"From reporter@example Mon Dec  1 00:00:00 2026\n" + m + b"\n" for m in (one, plain, two)))
r = run(mbox)
check(r.doc["counts"]["messages"] == 3 and r.doc["counts"]["messages_without_report"] == 1 and
      r.doc["counts"]["reports"] == 2, "mbox: 3 messages, 2 reports, 1 message without one")
check([x["source"].split(" ")[0].rsplit("#", 1)[-1] for x in r.doc["reports"]] == ["1", "3"], "mbox sources name the message")
quirk = [x for x in r.doc["reports"] if x["organization"] == "Quirky Mailer"][0]
ids = {n["id"] for n in quirk["notes"]}
check({"utf8-bom", "number-as-string", "policy-string-not-list", "date-without-zone"} <= ids,
      f"tolerances named on the report ({sorted(ids)})")
put("maildir/new/1.eml", one)
put("maildir/cur/2.eml:2,S", two)
os.makedirs(os.path.join(tmp, "maildir", "tmp"), exist_ok=True)
r = run(os.path.join(tmp, "maildir"))
check(r.doc["counts"]["reports"] == 2 and r.doc["counts"]["messages"] == 2, "Maildir: new/ and cur/")
put("dir/a.json", RFC)
put("dir/sub/b.gz", gzip.compress(GOOGLE))
put("dir/c.eml", message((MICROSOFT, "tlsrpt+json", "c.json")))
r = run(os.path.join(tmp, "dir"))
check(r.doc["counts"]["reports"] == 3 and r.doc["counts"]["files"] == 3, "a directory: files, .gz and a message, recursively")

# --- reading twice into a store changes nothing ----------------------------------------------
store = os.path.join(tmp, "tlsrpt.db")
first = run("--store", store, mbox, both)
db = sqlite3.connect(store)
rows = db.execute("SELECT COUNT(*) FROM tlsrpt_reports").fetchone()[0]
check(first.doc["counts"]["new"] == 4 and first.doc["counts"]["known"] == 0 and rows == 4, "first read: 4 new, stored")
second = run("--store", store, mbox, both)
rows2 = db.execute("SELECT COUNT(*) FROM tlsrpt_reports").fetchone()[0]
check(second.doc["counts"]["new"] == 0 and second.doc["counts"]["known"] == 4 and rows2 == 4,
      "second read: 4 already known, nothing added")
check(second.doc["domains"] == first.doc["domains"], "the explanation is the same on the second read")
same = run(mbox, mbox)
check(same.doc["counts"]["duplicate"] == 2 and same.doc["domains"] == run(mbox).doc["domains"],
      "the same report twice in one run is counted once")

# --- hostile inputs: bounded, quarantined with a reason, the run goes on ---------------------
bomb = put("bomb.json.gz", gzip.compress(b"{" + b" " * (64 << 20) + b"}", compresslevel=9))
deep = put("deep.json", b"[" * 100000 + b"]" * 100000)
huge = put("huge.json", b"{\"organization-name\":\"" + b"A" * (100 << 20) + b"\"}")
bad_utf8 = put("bad-utf8.json", fixture("invalid-utf8.json"))
garbage_gz = put("garbage.gz", b"\x1f\x8b" + os.urandom(4000))
r = run(bomb, deep, huge, garbage_gz, bad_utf8, put("ok.json", GOOGLE))
reasons = {os.path.basename(q["source"]): q["reason"] for q in r.doc["quarantined"]}
check(r.returncode == 3, f"a quarantined report exits 3 (got {r.returncode})")
check("refused" in reasons.get("bomb.json.gz", ""), f"gzip bomb refused: {reasons.get('bomb.json.gz')}")
check("nested deeper than 64" in reasons.get("deep.json", ""), f"deep JSON refused: {reasons.get('deep.json')}")
check("larger than 16 MiB" in reasons.get("huge.json", ""), f"100 MB report refused: {reasons.get('huge.json')}")
check("gzip" in reasons.get("garbage.gz", ""), f"corrupt gzip quarantined: {reasons.get('garbage.gz')}")
check(r.doc["counts"]["reports"] == 2, "the readable reports around them are still read")
check(r.seconds < 60, f"hostile inputs bounded in time ({r.seconds:.1f} s)")
os.remove(huge)  # 100 MB: not left behind
bad = [x for x in r.doc["reports"] if x["report_id"] == "utf8-1"]
check(bad and any(n["id"] == "invalid-utf8" for n in bad[0]["notes"]), "invalid UTF-8 repaired and named")
t = run(bomb, deep, fmt="text")
check("Quarantined" in t.text and t.returncode == 3 and "quarantined" in t.stderr.decode(), "text: the quarantine and its reasons")
with_store = run("--store", os.path.join(tmp, "q.db"), deep)
qrows = sqlite3.connect(os.path.join(tmp, "q.db")).execute("SELECT reason FROM tlsrpt_quarantine").fetchall()
check(len(qrows) == 1 and "nested" in qrows[0][0], "the quarantine is kept in the store with its reason")

# --- inputs without reports, usage -------------------------------------------------------------
r = run(put("note.txt", b"Subject: hi\n\nno report here\n"))
check(r.returncode == 3 and "no TLS-RPT report" in r.stderr.decode(), "an input without a report exits 3 and says so")
r = run(os.path.join(tmp, "missing.json"))
check(r.returncode == 3 and "missing.json" in r.stderr.decode(), "a missing input exits 3, naming it")
r = subprocess.run([intransit, "tlsrpt"], capture_output=True)
check(r.returncode == 2, "no INPUT is a usage error (exit 2)")
r = subprocess.run([intransit, "tlsrpt", "--format", "xml", mbox], capture_output=True)
check(r.returncode == 2, "--format xml is a usage error (exit 2)")

# --- tlsrpt generate without a network: usage, unreadable and empty logs, another day --------
def generate(*args):
    return subprocess.run([intransit, "tlsrpt", "generate", *args], capture_output=True, text=True,
                          env=dict(os.environ, INTRANSIT_NOW="1796216400"))  # 2026-12-02T13:00:00Z


log = put("mail.log", b"Dec 02 13:01:10 mx postfix/smtp[1]: Verified TLS connection established to "
          b"mx.a.test[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n"
          b"Dec 02 13:01:10 mx postfix/smtp[1]: AAAA1: to=<u@a.test>, relay=mx.a.test[192.0.2.1]:25, "
          b"delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n")
ORG = ["--org", "Example", "--contact", "tlsrpt@sender.test"]
check(generate("--from-logs", log, "--contact", "a@b.test").returncode == 2, "generate without --org: exit 2")
check(generate("--from-logs", log, *ORG, "--date", "2026-13-45").returncode == 2, "generate --date 2026-13-45: exit 2")
check(generate("--from-logs", log, "--org", "X", "--contact", "https://x.test/").returncode == 2,
      "generate: a --contact without a domain needs --submitter (exit 2)")
check(generate("--from-logs", log, *ORG, "--mail-relay", "relay.test:0").returncode == 2, "generate: relay port 0, exit 2")
r = generate("--from-logs", os.path.join(tmp, "missing.log"), *ORG)
check(r.returncode == 3 and "missing.log" in r.stderr, f"generate: a missing log exits 3, naming it ({r.returncode})")
r = generate("--from-logs", put("empty.log", b"nothing here\n"), *ORG)
check(r.returncode == 3 and "no delivery found" in r.stderr, f"generate: no delivery: exit 3, says so ({r.returncode})")
# The deliveries are of 2026-12-02; yesterday (the default) is 2026-12-01: no report, no lookup.
r = generate("--from-logs", log, *ORG, "--format", "json", "--out", tmp)
doc = schema_check.validate(json.loads(r.stdout)) if r.stdout.strip() else {}
check(r.returncode == 0 and doc.get("date") == "2026-12-01" and doc.get("deliveries_other_days") == 1
      and doc.get("domains") == [] and doc.get("submitter") == "sender.test",
      f"generate: yesterday by default, the other day's delivery left out, valid JSON ({r.returncode}, {r.stderr!r})")
r = generate("--from-logs", log, *ORG, "--date", "2026-11-30")
check(r.returncode == 0 and "1 on other days" in r.stdout and "0 written" in r.stdout, f"generate text: {r.stdout!r}")

# --- --help and the man page agree --------------------------------------------------------------
help_text = subprocess.run([intransit, "tlsrpt", "--help"], capture_output=True, text=True).stdout
check("Example:" in help_text, "--help has an Example: line")
with open(os.path.join(HERE, "..", "..", "docs", "intransit.1"), encoding="utf-8") as f:
    man = f.read()
section = man.split(".SH TLSRPT OPTIONS", 1)[1].split("\n.SH ", 1)[0] if ".SH TLSRPT OPTIONS" in man else ""
# The options --help lists (a line that starts with one), not those its descriptions mention.
options = sorted(set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_text, re.M)) - {"--help"})
check(section and all(o.replace("-", r"\-") in section for o in options),
      f"every tlsrpt option ({', '.join(options)}) is in the man page's TLSRPT OPTIONS")

status = exit_status(f"files kept in {tmp}")
if status == 0:
    shutil.rmtree(tmp)
sys.exit(status)
