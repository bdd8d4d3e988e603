#!/usr/bin/env python3
"""report.py OUT_DIR — turns bench/run's hyperfine JSON and connection counts into the ratio
table of bench/README.md (Markdown on stdout). Ratios are peer time / intransit time, so a
number above 1 means intransit is faster."""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
conns = dict(line.split("\t") for line in (out / "connections.tsv").read_text().splitlines() if line)


def load(name):
    return {r["command"]: r for r in json.loads((out / f"{name}.json").read_text())["results"]}


def table(title, results, ours):
    base = results[ours]["median"]
    print(f"\n### {title}\n")
    print("| tool | median | mean ± sd | connections | ratio (tool / intransit) |")
    print("|---|---|---|---|---|")
    for cmd, r in results.items():
        print(f"| {cmd} | {r['median'] * 1000:.1f} ms | {r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} ms "
              f"| {conns.get(cmd, '?')} | {r['median'] / base:.1f}× |")


sweep = load("sweep")
sweep.update(load("testssl"))
table("TLS version and cipher sweep of one MTA", sweep, "intransit probe --sweep")
table("One STARTTLS probe with certificate verification, whole process", load("single"), "intransit probe")

inproc = json.loads((out / "inprocess.json").read_text())
floor_line = (out / "s_time.txt").read_text().strip()
floor_ms = None
if "connections/user sec" in floor_line:
    per_user_sec = float(floor_line.split(";")[1].split("connections/user sec")[0])
    floor_ms = 1000.0 / per_user_sec
print("\n### In-process cost per probe (STARTTLS + TLS 1.3 + verify, shared SSL_CTX and trust store)\n")
print("| measure | per probe |")
print("|---|---|")
print(f"| intransit client user CPU | {inproc['client_user_ms_per_probe']:.2f} ms |")
print(f"| intransit client system CPU | {inproc['client_system_ms_per_probe']:.2f} ms |")
print(f"| intransit wall (sequential) | {inproc['wall_ms_per_probe']:.2f} ms |")
if floor_ms is not None:
    print(f"| floor: bare TLS 1.3 handshake, user CPU (openssl s_time) | {floor_ms:.2f} ms |")
    print(f"| ratio user CPU intransit / floor | {inproc['client_user_ms_per_probe'] / floor_ms:.2f}× |")
