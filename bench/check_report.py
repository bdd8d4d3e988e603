#!/usr/bin/env python3
"""check_report.py OUT_DIR — bench/check's hyperfine JSON as the Markdown tables of
bench/README.md. Ratios are peer time / intransit time: above 1 means intransit is faster."""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])


def load(name):
    return {r["command"]: r for r in json.loads((out / f"{name}.json").read_text())["results"]}


def rows(results, base=None):
    for cmd, r in results.items():
        ratio = f"{r['median'] / base:.0f}×" if base else "—"
        print(f"| {cmd} | {r['median'] * 1000:.0f} ms | {r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} ms "
              f"| {r['user'] * 1000:.0f} + {r['system'] * 1000:.0f} ms | {ratio} |")


head = "| command | median wall | mean ± sd | CPU user + sys (mean) | ratio (peer / intransit) |\n|---|---|---|---|---|"
one = load("check_one")
print("\n### One domain, full audit (DNSSEC, DANE, MTA-STS fetch, one probe per MX address)\n")
print(head)
rows(one)
hand = load("check_by_hand")
print("\n### dane.test: intransit check vs the same facts by hand\n")
print(head)
base = one["check dane.test"]["median"]
rows({"check dane.test": one["check dane.test"]}, base)
rows(hand, base)
sweep = load("check_sweep")
print("\n### With the TLS sweep: check --sweep vs testssl.sh --mx -p -S (mixed.test, two MX)\n")
print(head)
rows(sweep, sweep["check --sweep mixed.test"]["median"])
print("\n### Every lab domain in one invocation\n")
print(head)
rows(load("check_all"))
rows(load("check_all_default"))
