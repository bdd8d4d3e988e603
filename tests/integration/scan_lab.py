#!/usr/bin/env python3
"""scan_lab.py STATE_DIR INTRANSIT all|resume — `intransit scan` against the real lab (issue 16).

all:    every domain of lab/domains.tsv in one scan: each verdict equals the expected column and
        equals `check`'s for the same domain; the file matches scan.schema.json/check.schema.json;
        and each unique probe (MX address, server name, DANE inputs) is ONE connection: counted
        in the lab Postfix instances' own logs ("connect from") during the scan, per address
        (Exim logs no connection without mail by default), and in the footer's
        probes.connections for every address.
population: lab/population adds 2,000 domains over the lab's MX hosts (twelve kinds, known
        verdicts); one scan gives each its expected verdict with ONE connection per unique MX
        address (Postfix logs and footer), every other use answered from the shared probe.
        Tarpit isolation: with only 16 domains at work at once, the tarpit MX's domains (greeting
        one byte every 3 s) end untested (tarpit), and every other domain's line comes before
        the first of theirs: they waited parked, not in the others' way.
        Back-off: the busy MX (421 to every connection) is connected to exactly 3 times (its
        own log: the first try and two more after the prefix's pause), its domains end untested
        (rate-limited), and the footer counts the pauses.
resume: a scan stopped by SIGTERM writes a valid file with "complete": false and exits 4;
        --resume then completes it: every domain exactly once, verdicts as expected."""
import glob
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit, case = sys.argv[1:4]
env, ns = lab_env.load(state)
run_env = {**env, "PATH": env.get("PATH", "/usr/bin:/bin")}
expected = {}
for line in open(env["INTRANSIT_LAB_DOMAINS"]):
    if line.startswith("#") or not line.strip():
        continue
    domain, verdict, _ = line.split("\t", 2)
    expected[domain] = verdict
tmp = tempfile.mkdtemp(prefix="intransit-scan-lab-")
listing = os.path.join(tmp, "domains.txt")
with open(listing, "w") as f:
    f.write("".join(d + "\n" for d in expected))


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def verdicts_match(docs, what):
    got = {d["domain"]: d.get("verdict") for d in docs}
    wrong = {d: (got.get(d), v) for d, v in expected.items() if got.get(d) != v}
    check(not wrong, f"{what}: every lab domain has its expected verdict (wrong: {wrong})")
    check(sorted(got) == sorted(expected) and len(docs) == len(expected), f"{what}: every domain exactly once")


def mta_logs():
    """{address: (log path, pattern)} for the lab's receiving Postfix instances."""
    logs = {}
    for main_cf in glob.glob(os.path.join(state, "postfix", "*", "etc", "main.cf")):
        text = open(main_cf).read()
        m = re.search(r"^inet_interfaces = (\S+)", text, re.M)
        if m and "sender" not in main_cf:
            logs[m.group(1)] = (os.path.join(os.path.dirname(os.path.dirname(main_cf)), "log", "maillog"),
                                re.compile(r"smtpd\[\d+\]: connect from "))
    return logs


def count_connections(logs):
    counts = {}
    for addr, (path, pattern) in logs.items():
        try:
            with open(path, errors="replace") as f:
                counts[addr] = sum(1 for line in f if pattern.search(line))
        except FileNotFoundError:
            counts[addr] = 0
    return counts


def probe_keys(docs):
    """The unique probes a scan needs: (ip, server name, DANE inputs) over every probed address."""
    keys = set()
    for d in docs:
        for mx in d.get("mx", []):
            dane = (mx["tlsa_base"], json.dumps(mx["tlsa"], sort_keys=True)) if mx["dane_applies"] else None
            for a in mx["addresses"]:
                keys.add((a["ip"], mx["host"], dane))
    return keys


def scan(out, *extra):
    return [*ns, intransit, "scan", "--input", listing, "--output", out, "--quiet", *extra]


if case == "all":
    logs = mta_logs()
    check(len(logs) >= 6, f"found the lab MTAs' logs ({sorted(logs)})")
    before = count_connections(logs)
    policy_log = os.path.join(state, "nginx", "logs", "access.log")
    policy_log_start = os.path.getsize(policy_log)
    out = os.path.join(tmp, "scan.jsonl")
    started = time.monotonic()
    r = subprocess.run(scan(out), capture_output=True, text=True, timeout=600, env=run_env)
    took = time.monotonic() - started
    time.sleep(1)  # the MTAs write their log lines as they accept
    after = count_connections(logs)
    check(r.returncode == 0, f"scan exits 0 ({r.returncode}; {r.stderr[-400:]!r})")
    docs = lines(out)
    try:
        for d in docs:
            schema_check.validate(d)
        check(True, "every line matches scan.schema.json or check.schema.json")
    except schema_check.SchemaError as e:
        check(False, str(e))
    body = docs[1:-1]
    verdicts_match(body, "scan")
    footer = docs[-1]
    check(footer["complete"] is True and footer["domains"] == len(expected), f"footer: complete, {len(expected)} domains")
    keys = probe_keys(body)
    check(footer["probes"]["connections"] == len(keys),
          f"footer: {footer['probes']['connections']} probe connections for {len(keys)} unique (address, name, DANE) probes")
    for addr in sorted(logs):
        wanted = sum(1 for k in keys if k[0] == addr)
        seen = after[addr] - before[addr]
        check(seen == wanted, f"{addr}: {seen} connection(s) in the MTA's log during the scan, {wanted} unique probe(s) of it")
    # MTA-STS: one policy fetch per policy host per scan, counted in nginx's own log (its lines
    # start with the Host; lab/lib/nginx.sh). A fetch that reached HTTP (any status) is logged;
    # one refused in TLS (the self-signed host) is not.
    with open(policy_log, "rb") as f:
        f.seek(policy_log_start)
        fetched = [l.decode(errors="replace").split(" ", 1)[0] for l in f
                   if b'"GET /.well-known/mta-sts.txt ' in l]
    per_host = {h: fetched.count(h) for h in set(fetched)}
    reached_http = {"ok", "not-found", "redirect", "http-status", "content-type", "content-coding", "too-large"}
    wanted_hosts = {"mta-sts." + d["domain"] for d in body
                    if ((d.get("mta_sts") or {}).get("fetch") or {}).get("status") in reached_http}
    check(wanted_hosts and all(n == 1 for n in per_host.values()),
          f"each MTA-STS policy host fetched exactly once during the scan ({per_host})")
    check(set(per_host) == wanted_hosts,
          f"the policy hosts nginx served are those whose fetch reached HTTP ({sorted(wanted_hosts)})")
    shared_addrs = {k[0] for k in keys}
    uses = sum(len(mx["addresses"]) for d in body for mx in d.get("mx", []))
    print(f"     {len(body)} domains in {took:.1f} s; {uses} address uses, {len(keys)} probes, "
          f"{len(shared_addrs)} addresses")

    r = subprocess.run([*ns, intransit, "check", "--format", "json", *expected], capture_output=True, text=True,
                       timeout=600, env=run_env)
    checked = {json.loads(line)["domain"]: json.loads(line)["verdict"] for line in r.stdout.splitlines() if line.strip()}
    scanned = {d["domain"]: d["verdict"] for d in body}
    differ = {d: (scanned.get(d), checked.get(d)) for d in expected if scanned.get(d) != checked.get(d)}
    check(not differ, f"scan's verdict equals check's for every domain (differ: {differ})")

elif case == "population":
    pop = os.path.join(tmp, "population.tsv")
    subprocess.run([os.path.join(os.path.dirname(__file__), "..", "..", "lab", "population"), state, "2000", pop],
                   check=True, timeout=300)
    expected = dict(line.rstrip("\n").split("\t") for line in open(pop))
    with open(listing, "w") as f:
        f.write("".join(d + "\n" for d in expected))
    logs = mta_logs()
    before = count_connections(logs)
    busy_log = os.path.join(state, "tarpit", "busy.log")
    busy_before = sum(1 for line in open(busy_log) if line.startswith("connect from"))
    out = os.path.join(tmp, "population.jsonl")
    started = time.monotonic()
    r = subprocess.run(scan(out, "--dns-concurrency", "16"), capture_output=True, text=True, timeout=900,
                       env=run_env)
    took = time.monotonic() - started
    time.sleep(1)
    after = count_connections(logs)
    check(r.returncode == 0, f"scan of the population exits 0 ({r.returncode}; {r.stderr[-400:]!r})")
    docs = lines(out)
    body, footer = docs[1:-1], docs[-1]
    verdicts_match(body, "population")
    keys = probe_keys(body)
    uses = sum(len(mx["addresses"]) for d in body for mx in d.get("mx", []))
    check(footer["probes"]["connections"] == len(keys) and footer["probes"]["shared"] == uses - len(keys),
          f"footer: {footer['probes']} for {len(keys)} unique probes and {uses} address uses")
    for addr in sorted(logs):
        wanted = sum(1 for k in keys if k[0] == addr)
        seen = after[addr] - before[addr]
        check(seen == wanted, f"{addr}: {seen} connection(s) in the MTA's log, {wanted} unique probe(s) of it")
    tarpit = [i for i, d in enumerate(body) if any(mx["host"].startswith("mx-tarpit.") for mx in d.get("mx", []))]
    others = [i for i, d in enumerate(body) if i not in set(tarpit)]
    check(len(tarpit) > 0 and all(body[i].get("untested_reason") == "tarpit" for i in tarpit),
          f"{len(tarpit)} tarpit domains, all untested (tarpit)")
    check(tarpit and others and max(others) < min(tarpit),
          "every other domain finished before the first tarpit domain (a tarpit does not slow the rest)")
    busy = [d for d in body if any(mx["host"].startswith("mx-busy.") for mx in d.get("mx", []))]
    busy_seen = sum(1 for line in open(busy_log) if line.startswith("connect from")) - busy_before
    check(busy and all(d.get("untested_reason") == "rate-limited" for d in busy),
          f"{len(busy)} domains of the 421 MX, all untested (rate-limited)")
    check(busy_seen == 3, f"the 421 MX saw {busy_seen} connection(s) during the scan: 1 + 2 retries after pauses")
    check(footer["backoff"]["pauses"] >= 3, f"footer: backoff {footer['backoff']}")
    print(f"     {len(body)} domains in {took:.1f} s ({len(body) / took:.0f}/s); {uses} address uses, "
          f"{len(keys)} connections")

elif case == "resume":
    out = os.path.join(tmp, "resume.jsonl")
    # Two domains at a time, so that the scan is still running when SIGTERM arrives.
    proc = subprocess.Popen(scan(out, "--dns-concurrency", "2"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=run_env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(out) and sum(1 for _ in open(out)) >= 4:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=300)
    check(proc.returncode == 4, f"SIGTERM: exit 4 ({proc.returncode}; {err[-300:]!r})")
    check("stopping" in err and "--resume" in err, "SIGTERM: says it stops and how to finish")
    docs = lines(out)
    for d in docs:
        schema_check.validate(d)
    footer = docs[-1]
    check(footer.get("type") == "footer" and footer["complete"] is False, "interrupted file ends in a footer, complete false")
    done_first = len(docs) - 2
    check(0 < done_first < len(expected), f"stopped part way ({done_first} of {len(expected)} domains)")
    r = subprocess.run(scan(out, "--dns-concurrency", "2", "--resume"), capture_output=True, text=True, timeout=600,
                       env=run_env)
    check(r.returncode == 0, f"--resume exits 0 ({r.returncode}; {r.stderr[-300:]!r})")
    docs = lines(out)
    for d in docs:
        schema_check.validate(d)
    check([d.get("type") for d in (docs[0], docs[-1])] == ["header", "footer"] and
          sum(1 for d in docs if d.get("type") in ("header", "footer")) == 2, "one header, one footer")
    verdicts_match(docs[1:-1], "resumed scan")
    check(docs[-1]["complete"] is True and docs[-1]["domains"] == len(expected), "resumed footer: complete, all domains")
else:
    sys.exit(f"unknown case {case}")
sys.exit(exit_status())
