#!/usr/bin/env python3
"""tlsrpt_generate_lab.py STATE_DIR INTRANSIT — `intransit tlsrpt generate` round trip in the lab
(issue 20): the lab's Postfix senders "may" and "verify" deliver messages to tlsrpt.test (which
publishes rua=mailto:tlsrpt@tlsrpt.test,https://reports.tlsrpt.test:8443/tlsrpt) and to
opportunistic.test (no TLS-RPT record); then, over the part of the senders' own maillogs those
deliveries wrote,
  - `tlsrpt generate --submit --mail-relay <sender may>` writes one report, for tlsrpt.test, with
    as many successful sessions as messages were delivered there (its MX offers TLS and it has no
    policy: every TLS session succeeds), none failed, policy-type no-policy-found, the §5.3 file
    name, and says opportunistic.test gets none because it publishes no TLS-RPT record;
  - the file written is the gzip'd report (the same report-id, organization, counts);
  - the https: rua gets it by POST: `intransit serve` listens there (with the lab CA's certificate
    for reports.tlsrpt.test), and its store holds the very report (`tlsrpt --store` calls it known);
  - the mail reaches tlsrpt.test's MX (lab Postfix "modern", which files tlsrpt.test's mail in
    STATE/tlsrpt/modern.mbox), and `intransit tlsrpt` reading that mailbox finds the report: the
    same organization, report-id, policy domain and session counts as generate wrote.
The JSON of both commands is validated against docs/schema (schema_check.py)."""
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
LAB_ARGS = env["INTRANSIT_LAB_ARGS"].split()
SENDERS = dict(s.split("@") for s in env["INTRANSIT_LAB_SENDERS"].split())  # level -> address
TAG = f"gen{os.getpid()}x{int(time.time())}"
PLAN = {"may": {"tlsrpt.test": 2, "opportunistic.test": 1}, "verify": {"tlsrpt.test": 1}}
MBOX = f"{state}/tlsrpt/modern.mbox"
# reports.tlsrpt.test is the modern Postfix's address (lab/lib/dns.sh), which the strip-proxy's
# upstream names too.
REPORTS_ADDR = env["INTRANSIT_LAB_STRIP_UPSTREAM"].rsplit(":", 1)[0]


def maillog(level):
    return f"{state}/postfix/sender-{level}/log/maillog"


def inject(level, domain, n):
    r = subprocess.run(ns + ["swaks", "--server", SENDERS[level], "--to", f"t{n}@{domain}", "--from",
                             f"{level}@lab.test", "--header", f"Message-Id: <{TAG}-{level}-{domain}-{n}@lab.test>"],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"queued as ([0-9A-Za-z]+)", r.stdout)
    check(m is not None, f"{level}: the Postfix sender accepted a message for {domain}")
    return m.group(1) if m else None


check(os.path.exists(MBOX), f"the lab files tlsrpt.test's mail in {MBOX} (lab/lib/postfix.sh)")
start = {level: os.path.getsize(maillog(level)) for level in PLAN}
queued = {}
for level, domains in PLAN.items():
    for domain, count in domains.items():
        for n in range(count):
            qid = inject(level, domain, n)
            if qid:
                queued[(level, qid)] = domain

# Each sender's status lines for its messages; then the log part they are in is the input.
status_re = re.compile(r"postfix/smtp\[\d+\]: ([0-9A-Za-z]+): to=<[^>]*>, relay=.*? status=(\w+)")
deadline = time.time() + 90
while time.time() < deadline:
    done = {}
    for level in PLAN:
        with open(maillog(level), errors="replace") as f:
            f.seek(start[level])
            done.update({(level, m.group(1)): m.group(2) for m in status_re.finditer(f.read())})
    if all(k in done for k in queued):
        break
    for level in PLAN:
        subprocess.run(ns + ["postqueue", "-c", f"{state}/postfix/sender-{level}/etc", "-f"], capture_output=True)
    time.sleep(1)
check(all(done.get(k) == "sent" for k in queued), f"every message was delivered ({len(done)} of {len(queued)})")
expected = sum(1 for k, d in queued.items() if d == "tlsrpt.test" and done.get(k) == "sent")

work = tempfile.mkdtemp(prefix="intransit-gen-")
logs = []
for level in PLAN:
    with open(maillog(level), "rb") as f:
        f.seek(start[level])
        part = f.read()
    logs.append(os.path.join(work, f"sender-{level}.log"))
    with open(logs[-1], "wb") as f:
        f.write(part)

serve_data = os.path.join(work, "serve")
serve = subprocess.Popen(ns + [intransit, "serve", "--listen", f"{REPORTS_ADDR}:8443", "--data", serve_data,
                               "--tls-cert", f"{state}/ca/certs/modern.chain", "--tls-key",
                               f"{state}/ca/certs/modern.key", *LAB_ARGS],
                         stderr=subprocess.PIPE, text=True)
started = serve.stderr.readline()
check("listening on" in started, f"serve listens on reports.tlsrpt.test:8443 ({started.strip()!r})")

today = time.strftime("%Y-%m-%d", time.gmtime())
out = os.path.join(work, "out")
os.mkdir(out)
mbox_before = os.path.getsize(MBOX)
r = subprocess.run(ns + [intransit, "tlsrpt", "generate", "--from-logs", *logs, "--org", "intransit lab", "--contact",
                         "tlsrpt-reports@lab.test", "--date", today, "--out", out, "--submit", "--mail-relay",
                         f"{SENDERS['may']}:25", "--format", "json", *LAB_ARGS, "--timeout", "30"],
                   capture_output=True, text=True, timeout=300)
check(r.returncode == 0, f"generate --submit: exit 0 (got {r.returncode}; {r.stderr[-400:]!r})")
doc = schema_check.validate(json.loads(r.stdout)) if r.stdout.strip() else {}
check(doc.get("schema") == "intransit.tlsrpt-generate/1", "generate's JSON is intransit.tlsrpt-generate/1")
domains = {d["domain"]: d for d in doc.get("domains", [])}
gen = domains.get("tlsrpt.test", {})
rep = gen.get("report") or {}
check(rep.get("successful") == expected and rep.get("failed") == 0,
      f"tlsrpt.test: {expected} successful sessions, none failed ({rep})")
check(gen.get("policy_type") == "no-policy-found"
      and gen.get("rua") == ["mailto:tlsrpt@tlsrpt.test", "https://reports.tlsrpt.test:8443/tlsrpt"],
      f"tlsrpt.test: no-policy-found, its rua ({gen.get('policy_type')}, {gen.get('rua')})")
check(re.fullmatch(rf"lab\.test!tlsrpt\.test!\d+!\d+!\w+\.json\.gz", rep.get("file_name", "")) is not None,
      f"RFC 8460 §5.3 file name ({rep.get('file_name')})")
sub = {x["rua"]: x for x in gen.get("submitted", [])}
mail_sub = sub.get("mailto:tlsrpt@tlsrpt.test", {})
post_sub = sub.get("https://reports.tlsrpt.test:8443/tlsrpt", {})
check(len(sub) == 2 and mail_sub.get("ok"), f"submitted to the mailto: rua through the relay ({mail_sub})")
check(post_sub.get("ok") and "answered 20" in post_sub.get("detail", ""), f"POSTed to the https: rua ({post_sub})")
opp = domains.get("opportunistic.test", {})
check(opp.get("report") is None and "no TLS-RPT record" in (opp.get("skipped") or ""),
      f"opportunistic.test: no report, and why ({opp.get('skipped')!r})")

written = {}
if rep.get("path") and os.path.exists(rep["path"]):
    with gzip.open(rep["path"]) as f:
        written = json.load(f)
check(written.get("report-id") == rep.get("report_id") and written.get("organization-name") == "intransit lab",
      "the file written is the gzip'd report (report-id, organization-name)")
pol = (written.get("policies") or [{}])[0]
check(pol.get("policy", {}).get("policy-domain") == "tlsrpt.test"
      and pol.get("summary", {}).get("total-successful-session-count") == expected,
      f"the written report's policy and counts ({pol.get('summary')})")

# The POST: serve committed the report to its store before answering (RFC 8460 §5.4).
serve.terminate()
serve.wait(timeout=30)
if rep.get("path"):
    r = subprocess.run([intransit, "tlsrpt", "--store", os.path.join(serve_data, "tlsrpt.sqlite"), "--format", "json",
                        rep["path"]], capture_output=True, text=True, timeout=120)
    counts = json.loads(r.stdout).get("counts", {}) if r.stdout.strip() else {}
    check(counts.get("known") == 1 and counts.get("new") == 0,
          f"serve's store already holds the POSTed report ({counts}; {r.stderr[-200:]!r})")

# The mail through the relay to tlsrpt.test's MX and its mailbox.
deadline = time.time() + 90
got = ""
while time.time() < deadline:
    with open(MBOX, "rb") as f:
        f.seek(mbox_before)
        got = f.read().decode("utf-8", "replace")
    if rep.get("report_id", "\0") in got:
        break
    subprocess.run(ns + ["postqueue", "-c", f"{state}/postfix/sender-may/etc", "-f"], capture_output=True)
    time.sleep(1)
check(rep.get("report_id", "\0") in got, "the report mail reached tlsrpt.test's mailbox")
check(re.search(r"^TLS-Report-Domain: tlsrpt\.test\s*$", got, re.M) is not None
      and re.search(r"^TLS-Report-Submitter: lab\.test\s*$", got, re.M) is not None,
      "the mail carries TLS-Report-Domain and TLS-Report-Submitter")
arrived = os.path.join(work, "arrived.mbox")
with open(arrived, "w") as f:
    f.write(got)
r = subprocess.run([intransit, "tlsrpt", "--format", "json", arrived], capture_output=True, text=True, timeout=120)
read = schema_check.validate(json.loads(r.stdout)) if r.stdout.strip() else {}
back = [x for x in read.get("reports", []) if x["report_id"] == rep.get("report_id")]
check(len(back) == 1, f"`intransit tlsrpt` reads the report back from the mailbox ({len(back)}; {r.stderr[-300:]!r})")
if back:
    b = back[0]
    bp = (b.get("policies") or [{}])[0]
    check(b["organization"] == "intransit lab" and b["gzip"], f"organization and gzip part ({b['organization']})")
    check(bp.get("policy_domain") == "tlsrpt.test" and bp.get("policy_type") == "no-policy-found",
          f"policy domain and type read back ({bp.get('policy_domain')}, {bp.get('policy_type')})")
    check(bp.get("successful_sessions") == rep.get("successful") and bp.get("failed_sessions") == rep.get("failed"),
          f"session counts read back equal those written ({bp.get('successful_sessions')}, {bp.get('failed_sessions')})")
sys.exit(exit_status())
