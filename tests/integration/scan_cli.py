#!/usr/bin/env python3
"""scan_cli.py INTRANSIT — `intransit scan` and `scan merge` without the lab (issue 16).

DNS goes to root hints at a loopback address where nothing listens (no packet leaves the
machine), so every domain is `untested` (no-network) at once: enough to test the file and the
command line. Checked: usage errors (exit 2), the header/footer contract (scan.schema.json, each
domain line check.schema.json), input normalisation (comments, blanks, case, trailing dot,
duplicates, CSV column), every domain exactly once, shards by stable hash partitioning the
input and the Slurm/Kubernetes environment defaults, --exclude as skipped lines, --resume after a
truncated last line, and `scan merge` (joins, refuses mixed inputs, names missing shards)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

intransit = sys.argv[1]
base_env = {k: v for k, v in os.environ.items()
            if not k.startswith(("INTRANSIT_", "SLURM_", "JOB_COMPLETION_INDEX"))}
tmp = tempfile.mkdtemp(prefix="intransit-scan-cli-")
hints = os.path.join(tmp, "dead.hints")
with open(hints, "w") as f:
    f.write(". 3600000 IN NS a.dead-root.\na.dead-root. 3600000 IN A 127.77.77.77\n")
OFFLINE = ["--root-hints", hints, "--dns-timeout", "30", "--quiet"]

DOMAINS = [f"d{i}.example" for i in range(40)]
listing = os.path.join(tmp, "domains.txt")
with open(listing, "w") as f:
    f.write("# a population\n\n")
    for i, d in enumerate(DOMAINS):
        f.write((d.upper() + "." if i % 3 == 0 else d) + ("  # note\n" if i % 5 == 0 else "\n"))
    f.write("D1.example\nnot a domain\n")  # a duplicate and an invalid line


def scan(*args, env=None, timeout=120):
    return subprocess.run([intransit, "scan", *args], capture_output=True, text=True, timeout=timeout,
                          env={**base_env, **(env or {})})


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def validate_all(docs, what):
    try:
        for d in docs:
            schema_check.validate(d)
        return check(True, f"{what}: every line matches its schema")
    except schema_check.SchemaError as e:
        return check(False, f"{what}: {e}")


# --- usage errors ---------------------------------------------------------------------------
for args, what in [((), "no --input/--output"),
                   (("--input", listing), "no --output"),
                   (("--input", listing, "--output", "x", "--shard", "4/4"), "shard 4/4"),
                   (("--input", listing, "--output", "x", "--shard", "a/b"), "shard a/b"),
                   (("--input", listing, "--output", "-", "--resume"), "--resume to stdout"),
                   (("--input", os.path.join(tmp, "absent"), "--output", os.path.join(tmp, "o")), "unreadable input"),
                   (("--input", listing, "--output", "x", "--per-address", "0"), "--per-address 0")]:
    r = scan(*args, *OFFLINE)
    check(r.returncode == 2 and r.stderr.strip() != "", f"usage error for {what}: exit 2 with a message ({r.returncode})")
r = scan("--input", listing, "--output", os.path.join(tmp, "o"), *OFFLINE, env={"JOB_COMPLETION_INDEX": "1"})
check(r.returncode == 2 and "--shards" in r.stderr, "JOB_COMPLETION_INDEX without --shards is a usage error naming --shards")
bad_exclude = os.path.join(tmp, "bad.exclude")
with open(bad_exclude, "w") as f:
    f.write("ok.example\n10.0.0.0/99\n")
r = scan("--input", listing, "--output", os.path.join(tmp, "o"), "--exclude", bad_exclude, *OFFLINE)
check(r.returncode == 2 and "line 2" in r.stderr, f"a bad exclude line is a usage error naming its line ({r.stderr.strip()})")

# --- one complete scan ----------------------------------------------------------------------
exclude = os.path.join(tmp, "exclude")
with open(exclude, "w") as f:
    f.write("# opt-outs\nd7.example\n192.0.2.0/24\n")
full = os.path.join(tmp, "full.jsonl")
r = scan("--input", listing, "--output", full, "--exclude", exclude, "--contact", "lab scan", *OFFLINE)
check(r.returncode == 0, f"a whole scan exits 0 ({r.returncode}; {r.stderr[-300:]!r})")
docs = lines(full)
validate_all(docs, "full scan")
header, footer, body = docs[0], docs[-1], docs[1:-1]
check(header.get("type") == "header" and header["shard"] == {"index": 0, "count": 1}, "first line: header, shard 0/1")
check(header["options"]["contact"] == "lab scan" and header["options"]["exclude"] is True, "header options name contact and exclude")
check(footer.get("type") == "footer" and footer["complete"] is True, "last line: footer, complete")
names = [d["domain"] for d in body]
check(sorted(names) == sorted(DOMAINS), f"every domain exactly once, normalised ({len(names)} lines for {len(DOMAINS)})")
check(footer["domains"] == len(DOMAINS) and footer["errors"] == 1, f"footer counts domains and the invalid line ({footer})")
skipped = [d for d in body if d.get("type") == "skipped"]
check([d["domain"] for d in skipped] == ["d7.example"], "the excluded domain is a skipped line, not audited")
check(footer["counts"] == {"untested": len(DOMAINS) - 1, "skipped": 1}, f"footer counts by verdict ({footer['counts']})")
check(all(d.get("untested_reason") == "no-network" for d in body if d.get("schema") == "intransit.check/1"),
      "offline, each domain is untested: no-network (the audit of check)")

# Standard input and a CSV column give the same domains and the same input hash for the same bytes.
with open(listing, "rb") as f:
    r = subprocess.run([intransit, "scan", "--input", "-", "--output", "-", *OFFLINE], input=f.read(),
                       capture_output=True, timeout=120, env=base_env)
piped = [json.loads(line) for line in r.stdout.decode().splitlines()]
check(r.returncode == 0 and piped[0]["input_sha256"] == header["input_sha256"],
      "stdin to stdout: exit 0, the same input_sha256 as the file")
csv = os.path.join(tmp, "domains.csv")
with open(csv, "w") as f:
    f.write("rank,domain\n" + "".join(f'{i},"{d}"\n' for i, d in enumerate(DOMAINS[:5])))
out = os.path.join(tmp, "csv.jsonl")
r = scan("--input", csv, "--output", out, "--column", "2", *OFFLINE)
csv_docs = lines(out)
got = sorted(d["domain"] for d in csv_docs[1:-1])
check(r.returncode == 0 and got == sorted(DOMAINS[:5]), f"--column 2 reads the CSV's domains ({got})")
check(csv_docs[-1]["errors"] == 1, "the CSV's header row ('domain', no dot) is counted as an error, not scanned")

# --- shards ---------------------------------------------------------------------------------
shard_files = []
for k in range(4):
    path = os.path.join(tmp, f"shard{k}.jsonl")
    env = {"SLURM_ARRAY_TASK_ID": str(k + 10), "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "4"}
    r = scan("--input", listing, "--output", path, "--exclude", exclude, "--contact", "lab scan", *OFFLINE, env=env)
    check(r.returncode == 0, f"shard {k} from SLURM_ARRAY_TASK_* exits 0")
    shard_files.append(path)
per_shard = [lines(p) for p in shard_files]
check([s[0]["shard"] for s in per_shard] == [{"index": k, "count": 4} for k in range(4)], "each file's header names its shard")
union = sorted(d["domain"] for s in per_shard for d in s[1:-1])
check(union == sorted(DOMAINS), "the four shards partition the domains (each in exactly one)")
check(all(len(s) > 2 for s in per_shard), "every shard got some of 40 domains")
again = os.path.join(tmp, "again.jsonl")
scan("--input", listing, "--output", again, "--shard", "2/4", "--exclude", exclude, "--contact", "lab scan", *OFFLINE)
check(sorted(d["domain"] for d in lines(again)[1:-1]) == sorted(d["domain"] for d in per_shard[2][1:-1]),
      "--shard 2/4 holds the same domains as SLURM_ARRAY_TASK_ID 12 of min 10 (stable hash)")

merge = subprocess.run([intransit, "scan", "merge", *shard_files], capture_output=True, text=True, timeout=60, env=base_env)
merged = [json.loads(line) for line in merge.stdout.splitlines()]
check(merge.returncode == 0, f"merge of all four shards exits 0 ({merge.returncode}: {merge.stderr.strip()})")
validate_all(merged, "merged file")
check(merged[0]["shard"] == {"index": 0, "count": 1} and merged[0].get("merged_shards") == 4, "merged header: one file of 4 shards")
by_domain = {d["domain"]: d for d in body}
check({d["domain"]: d for d in merged[1:-1]} == by_domain, "merged lines equal the single-process scan, domain for domain")
check(merged[-1]["counts"] == footer["counts"] and merged[-1]["complete"] is True, "merged footer sums the shards' counts")
merge = subprocess.run([intransit, "scan", "merge", *shard_files[:3]], capture_output=True, text=True, timeout=60, env=base_env)
check(merge.returncode == 4 and "missing shard(s): 3" in merge.stderr, f"a missing shard is named, exit 4 ({merge.stderr.strip()})")
check(json.loads(merge.stdout.splitlines()[-1])["complete"] is False, "merge with a missing shard: footer complete false")
merge = subprocess.run([intransit, "scan", "merge", shard_files[0], csv], capture_output=True, text=True, timeout=60, env=base_env)
check(merge.returncode == 1 and merge.stdout == "", "merge refuses a file that is no scan (exit 1, nothing written)")
merge = subprocess.run([intransit, "scan", "merge", shard_files[0], out], capture_output=True, text=True, timeout=60, env=base_env)
check(merge.returncode == 1 and "input_sha256" in merge.stderr, "merge refuses shards of different inputs, naming input_sha256")
merge = subprocess.run([intransit, "scan", "merge", shard_files[0], shard_files[0]], capture_output=True, text=True, timeout=60, env=base_env)
check(merge.returncode == 1 and "again" in merge.stderr, "merge refuses the same shard twice")

# --- resume ---------------------------------------------------------------------------------
with open(full, "rb") as f:
    data = f.read()
cut = data.rfind(b"\n", 0, data.rfind(b"\n", 0, len(data) // 2)) + 1
partial = os.path.join(tmp, "partial.jsonl")
with open(partial, "wb") as f:
    f.write(data[:cut] + data[cut:cut + 25])  # whole lines, then a line cut short (a crash)
kept = len(lines_before := [json.loads(x) for x in data[:cut].decode().splitlines()]) - 1
r = scan("--input", listing, "--output", partial, "--resume", "--exclude", exclude, "--contact", "lab scan", *OFFLINE)
docs = lines(partial)
check(r.returncode == 0, f"--resume after a truncated line exits 0 ({r.stderr.strip()[-200:]})")
validate_all(docs, "resumed file")
check(sorted(d["domain"] for d in docs[1:-1]) == sorted(DOMAINS), "resumed: every domain exactly once")
check(docs[1:kept + 1] == lines_before[1:], "resumed: the lines written before are kept as they were")
check(sum(1 for d in docs if d.get("type") == "header") == 1 and sum(1 for d in docs if d.get("type") == "footer") == 1,
      "resumed: one header, one footer")
check(docs[-1]["domains"] == len(DOMAINS) and docs[-1]["complete"] is True, "resumed footer counts the whole file")
r = scan("--input", listing, "--output", partial, "--resume", "--contact", "lab scan", *OFFLINE)
check(r.returncode == 2 and "options" in r.stderr, "--resume with other options is refused (exit 2), naming options")
r = scan("--input", csv, "--output", partial, "--resume", "--column", "2", *OFFLINE)
check(r.returncode == 2, "--resume of another input is refused (exit 2)")

sys.exit(exit_status())
