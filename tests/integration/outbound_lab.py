#!/usr/bin/env python3
"""outbound_lab.py STATE_DIR INTRANSIT — `intransit outbound` over real sending-MTA logs, checked
against a second, independent witness (issue 19): the lab's Postfix senders (may, encrypt, dane,
verify, mta-sts) each deliver messages to lab domains of every kind; then
  - `outbound` over the senders' own maillogs must count, per destination domain, exactly the
    deliveries, the plaintext ones and the TLS versions that the *receiving* MTAs' logs record
    (Postfix smtpd_tls_loglevel = 1 and Exim's X= on "<=" lines, matched by Message-ID);
  - every delivery's queue id and protection is what the sender logged for it (Verified and
    Untrusted/Trusted lines; none without one);
  - with --check, the advice for the lab domains: dane.test -> dane-only, mtasts.test -> secure,
    plain.test -> none, mixed.test -> none (mx2 takes plaintext), opportunistic.test -> encrypt;
    and the deliveries that a stronger policy would have deferred are exactly the plaintext ones.
The JSON output is validated against docs/schema/outbound.schema.json.
"""
import json
import os
import re
import subprocess
import sys
import time

import jsonschema

from checklist import check, exit_status  # tests/integration/checklist.py

import lab_env  # tests/integration/lab_env.py

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
SENDERS = dict(s.split("@") for s in env["INTRANSIT_LAB_SENDERS"].split())  # level -> address
HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = json.load(open(os.path.join(HERE, "..", "..", "docs", "schema", "outbound.schema.json")))
TAG = f"ob{os.getpid()}x{int(time.time())}"

# Which sender sends to which domains (messages each). Senders that do not authenticate do not
# send to dane.test and mtasts.test: the advice there must be "all past deliveries verified".
PLAN = {
    "may": {"plain.test": 2, "opportunistic.test": 2, "mixed.test": 1, "selfsigned.test": 1, "legacy.test": 1,
            "exim.test": 1},
    "encrypt": {"opportunistic.test": 1, "exim.test": 1, "expired.test": 1},
    "dane": {"dane.test": 2, "opportunistic.test": 1},
    "verify": {"dane.test": 1, "mtasts.test": 1, "opportunistic.test": 1},
    "mta-sts": {"mtasts.test": 2},
}
# The receiving MTA's log for each destination domain (lab/domains.tsv, lab/lib/dns.sh).
RECEIVER = {"plain.test": "plain", "opportunistic.test": "modern", "mixed.test": "modern", "dane.test": "modern",
            "mtasts.test": "modern", "selfsigned.test": "selfsigned", "legacy.test": "legacy",
            "expired.test": "expired", "exim.test": "exim"}


def maillog(name):
    path = f"{state}/exim/log/mainlog" if name == "exim" else f"{state}/postfix/{name}/log/maillog"
    with open(path, errors="replace") as f:
        return f.read()


def inject(level, domain, n):
    mid = f"<{TAG}-{level}-{domain}-{n}@lab.test>"
    r = subprocess.run(ns + ["swaks", "--server", SENDERS[level], "--to", f"t{n}@{domain}", "--from",
                             f"{level}@lab.test", "--header", f"Message-Id: {mid}"],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"queued as ([0-9A-Za-z]+)", r.stdout)
    check(m is not None, f"{level}: the Postfix sender accepted a message for {domain}")
    return m.group(1) if m else None


since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
queued = {}  # (level, qid) -> domain
for level, domains in PLAN.items():
    for domain, count in domains.items():
        for n in range(count):
            qid = inject(level, domain, n)
            if qid:
                queued[(level, qid)] = domain

# Wait until each sender logged a final or deferred status for each of its messages.
deadline = time.time() + 90
status_re = re.compile(r"postfix/smtp\[\d+\]: ([0-9A-Za-z]+): to=<[^>]*>, relay=.*? status=(\w+)")
while time.time() < deadline:
    done = {(level, m.group(1)) for level in PLAN for m in status_re.finditer(maillog(f"sender-{level}"))}
    if all(k in done for k in queued):
        break
    for level in PLAN:
        subprocess.run(ns + ["postqueue", "-c", f"{state}/postfix/sender-{level}/etc", "-f"], capture_output=True)
    time.sleep(1)
check(all(k in done for k in queued), f"every sender logged a status for all {len(queued)} messages")
time.sleep(1)  # the receivers' cleanup lines follow the senders' status lines

logs = [f"{state}/postfix/sender-{level}/log/maillog" for level in PLAN]
args = [intransit, "outbound", "--format", "json", "--since", since, *logs]
r = subprocess.run(ns + args, capture_output=True, text=True, timeout=120)
records = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
for rec in records:
    try:
        jsonschema.validate(rec, SCHEMA)
    except jsonschema.ValidationError as e:
        check(False, f"record validates against outbound.schema.json: {e.message}")
        break
else:
    check(bool(records), f"{len(records)} records validate against docs/schema/outbound.schema.json")
deliveries = [d for d in records if d["record"] == "delivery" and (d["host"].removeprefix("sender-"), d["queue_id"])
              in queued]
summary = records[-1] if records else {}
check(summary.get("record") == "summary", "the last record is the summary")
check(len(deliveries) == len(queued), f"one delivery record per message sent ({len(deliveries)} of {len(queued)})")

# Witness 1: each sender's own TLS line: the last line of the delivering process before the
# delivery line, if it is a TLS line (a delivery line of another message means a new connection).
for d in deliveries:
    log = maillog(f"sender-{d['host'].removeprefix('sender-')}").splitlines()
    at = next((i for i, l in enumerate(log) if f"{d['queue_id']}: to=<" in l), None)
    pid = re.search(r"smtp\[(\d+)\]", log[at]).group(1) if at is not None else None
    expect = "plaintext"
    for line in reversed(log[:at] if at is not None else []):
        if f"smtp[{pid}]: " not in line:
            continue
        m = re.search(r": (\w+) TLS connection established to", line)
        if m:
            expect = "verified" if m.group(1) == "Verified" else "encrypted-unverified"
            break
        if ": to=<" in line and d["queue_id"] not in line:
            break
    check(d["protection"] == expect, f"{d['host']} {d['queue_id']} to {d['recipient_domain']}: {d['protection']} "
                                     f"as the sender logged ({expect})")

# Witness 2: the receiving MTAs. Postfix smtpd: "TLS connection established from" then
# "QID: client=" in the same process, and cleanup's "QID: message-id=<TAG-...>"; Exim: "<=" lines
# with X= and id=.
received = {}  # domain -> {"n": count, "plaintext": count, "versions": {v: count}}
for name in set(RECEIVER.values()):
    log = maillog(name)
    if name == "exim":
        for line in log.splitlines():
            # Exim logs the Message-ID without its angle brackets.
            mm = re.search(rf" id=<?{TAG}-(?:may|encrypt|dane|verify|mta-sts)-([a-z.-]+\.test)-\d+@lab\.test\b", line)
            if " <= " not in line or not mm:
                continue
            x = re.search(r" X=TLS([\d.]+):", line)
            e = received.setdefault(mm.group(1), {"n": 0, "plaintext": 0, "versions": {}})
            e["n"] += 1
            if x:
                e["versions"]["TLSv" + x.group(1)] = e["versions"].get("TLSv" + x.group(1), 0) + 1
            else:
                e["plaintext"] += 1
        continue
    tls_of_pid, tls_of_qid, domain_of_qid = {}, {}, {}
    for line in log.splitlines():
        m = re.search(r"smtpd\[(\d+)\]: \w+ TLS connection established from \S+: (TLSv[\d.]+) with", line)
        if m:
            tls_of_pid[m.group(1)] = m.group(2)
            continue
        m = re.search(r"smtpd\[(\d+)\]: disconnect from", line)
        if m:
            tls_of_pid.pop(m.group(1), None)
            continue
        m = re.search(r"smtpd\[(\d+)\]: ([0-9A-Za-z]+): client=", line)
        if m:
            tls_of_qid[m.group(2)] = tls_of_pid.get(m.group(1))
            continue
        m = re.search(rf"cleanup\[\d+\]: ([0-9A-Za-z]+): message-id=<{TAG}-(?:may|encrypt|dane|verify|mta-sts)-"
                      rf"([a-z.-]+\.test)-\d+@lab\.test>", line)
        if m:
            domain_of_qid[m.group(1)] = m.group(2)
    for qid, domain in domain_of_qid.items():
        e = received.setdefault(domain, {"n": 0, "plaintext": 0, "versions": {}})
        e["n"] += 1
        v = tls_of_qid.get(qid)
        if v:
            e["versions"][v] = e["versions"].get(v, 0) + 1
        else:
            e["plaintext"] += 1

sent = {}
for d in deliveries:
    if d["result"] != "sent":
        continue
    e = sent.setdefault(d["recipient_domain"], {"n": 0, "plaintext": 0, "versions": {}})
    e["n"] += 1
    if d["protection"] == "plaintext":
        e["plaintext"] += 1
    elif d["tls"]:
        e["versions"][d["tls"]["version"]] = e["versions"].get(d["tls"]["version"], 0) + 1
for domain in sorted(set(sent) | set(received)):
    check(sent.get(domain) == received.get(domain),
          f"{domain}: outbound {sent.get(domain)} == receiver's log {received.get(domain)}")
check(set(sent) >= {"plain.test", "opportunistic.test", "dane.test", "mtasts.test", "exim.test"},
      f"deliveries to every kind of domain were seen ({sorted(sent)})")

# The summary's per-domain counts agree with the delivery records (no --since for others here).
by_domain = {x["domain"]: x for x in summary.get("domains", [])}
for domain, e in sent.items():
    check(by_domain.get(domain, {}).get("plaintext") == e["plaintext"], f"summary: {domain} plaintext {e['plaintext']}")

# Enforcement advice with the audit of each destination domain.
# The audit itself is `check`'s (tested by lab.check.*); on a machine loaded enough that an
# MTA-STS fetch times out, it says "opportunistic" for mtasts.test. Then the audit is run once
# more: what is tested here is the advice given what the audit found.
PUBLISHED = {"dane.test": "enforced", "mtasts.test": "enforced", "plain.test": "plaintext", "mixed.test": "partial"}
for attempt in range(2):
    r = subprocess.run(ns + [intransit, "outbound", "--format", "json", "--check", "--since", since,
                             *env["INTRANSIT_LAB_ARGS"].split(), "--timeout", "60", *logs],
                       capture_output=True, text=True, timeout=600)
    last = json.loads(r.stdout.splitlines()[-1]) if r.stdout.strip() else {}
    verdicts = {a["domain"]: a["published"]["verdict"] for a in last.get("advice", [])}
    if all(verdicts.get(d) == v for d, v in PUBLISHED.items()):
        break
    print(f"note: the audit found {verdicts}; once more")
check(all(verdicts.get(d) == v for d, v in PUBLISHED.items()), f"the audit's verdicts are the lab's ({verdicts})")
try:
    jsonschema.validate(last, SCHEMA)
    check(True, "the summary with advice validates against the schema")
except jsonschema.ValidationError as e:
    check(False, f"the summary with advice validates: {e.message}")
advice = {a["domain"]: a for a in last.get("advice", [])}
for domain, want in {"dane.test": "dane-only", "mtasts.test": "secure", "plain.test": "none", "mixed.test": "none",
                     "opportunistic.test": "encrypt"}.items():
    got = advice.get(domain, {}).get("proposal")
    check(got == want, f"advice for {domain}: {want} (got {got}: {advice.get(domain, {}).get('reason')})")
deferred = {(x["queue_id"]) for a in advice.values() for x in a["would_defer_examples"]}
plaintext = {d["queue_id"] for d in deliveries if d["protection"] == "plaintext"}
check(deferred == plaintext and plaintext, f"would have been deferred = the plaintext deliveries ({sorted(plaintext)})")

r = subprocess.run(ns + [intransit, "outbound", "--check", "--since", since, *env["INTRANSIT_LAB_ARGS"].split(),
                         "--timeout", "60", *logs], capture_output=True, text=True, timeout=600)
check(re.search(r"^  dane\.test\tdane-only$", r.stdout, re.M) is not None, "text: Postfix policy line dane.test dane-only")
check("hosts_require_tls = " in r.stdout, "text: an Exim hosts_require_tls list")
check("left over TLS" in r.stdout.splitlines()[0], f"text starts with the summary sentence: {r.stdout.splitlines()[:1]}")
print(r.stdout)

# Exim as the sender (issue 19): the lab's Exim relays trace.test to the modern Postfix with
# hosts_require_tls and no certificate check (lab/lib/exim.sh). Its main log's "=>" line (X=,
# CV=no) must read as encrypted-unverified to the modern Postfix's address, with the TLS version
# the receiving Postfix logged for that message (matched by Message-ID): two witnesses again.
exim_since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
exim_mid = f"{TAG}-exim-out@lab.test"
subprocess.run(ns + ["swaks", "--server", "127.0.1.7", "--to", "exim-out@trace.test", "--from", "exim@lab.test",
                     "--header", f"Message-Id: <{exim_mid}>"], capture_output=True, text=True, timeout=60)
exim_id, deadline = None, time.time() + 60
while time.time() < deadline:
    log = maillog("exim")
    m = re.search(rf"^\S+ \S+ (\S+) <= .* id={re.escape(exim_mid)}", log, re.M)
    if m and re.search(rf"^\S+ \S+ {re.escape(m.group(1))} => ", log, re.M):
        exim_id = m.group(1)
        break
    time.sleep(0.5)
check(exim_id is not None, "Exim relayed the message to trace.test and logged its delivery")
r = subprocess.run(ns + [intransit, "outbound", "--format", "json", "--since", exim_since, f"{state}/exim/log/mainlog"],
                   capture_output=True, text=True, timeout=120)
exim_recs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
mine = [d for d in exim_recs if d.get("record") == "delivery" and d.get("queue_id") == exim_id]
receiver_tls = None
modern = maillog("modern")
m = re.search(rf"cleanup\[\d+\]: ([0-9A-Za-z]+): message-id=<{re.escape(exim_mid)}>", modern)
if m:
    client = re.search(rf"smtpd\[(\d+)\]: {m.group(1)}: client=", modern)
    if client:
        tls = re.findall(rf"smtpd\[{client.group(1)}\]: \w+ TLS connection established from \S+: (TLSv[\d.]+)",
                         modern[:client.start()])
        receiver_tls = tls[-1] if tls else None
if check(len(mine) == 1, f"outbound reads Exim's delivery of {exim_id} ({len(mine)} records; {r.stderr[:200]!r})"):
    d = mine[0]
    check(d["recipient_domain"] == "trace.test" and d["result"] == "sent", f"Exim delivery: trace.test, sent ({d['result']})")
    check(d["protection"] == "encrypted-unverified", f"Exim delivery: CV=no is encrypted-unverified ({d['protection']})")
    check(d["tls"] is not None and d["tls"]["version"] == receiver_tls,
          f"Exim delivery: TLS version {d['tls'] and d['tls']['version']} = the receiving Postfix's {receiver_tls}")
sys.exit(exit_status(f"state {state}"))
