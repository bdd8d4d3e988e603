#!/usr/bin/env python3
"""gen_scan.py TEMPLATES OUT N — writes a synthetic intransit.scan/1 file of N domains for the
`report` benchmark: a header line, N intransit.check/1 lines, a footer line. Each domain is a
real check document from TEMPLATES (JSON Lines saved from `intransit check` in the lab, e.g.
tests/data/report/check-all.jsonl, transcripts and certificates included) with the domain renamed,
its MX hosts moved to one of 2,000 operators (a few carry most domains, as on the internet) and a
TLS version drawn per domain. Deterministic (seeded). No network."""
import hashlib
import json
import random
import sys

templates_path, out_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(17)
templates = [json.loads(line) for line in open(templates_path, encoding="utf-8") if line.strip()]
templates = [t for t in templates if t.get("schema") == "intransit.check/1"]
operators = [f"provider{i}.example" for i in range(2000)]
weights = [1.0 / (i + 1) for i in range(len(operators))]  # Zipf-like: the top few carry most mail
versions = ["TLSv1.3"] * 6 + ["TLSv1.2"] * 3 + ["TLSv1.0"]

with open(out_path, "w", encoding="utf-8") as out:
    counts = {}
    out.write(json.dumps({"schema": "intransit.scan/1", "type": "header", "tool_version": "bench",
                          "options": {}, "input_sha256": hashlib.sha256(str(n).encode()).hexdigest(),
                          "started": "2026-12-01T00:00:00Z", "shard": None}) + "\n")
    for i in range(n):
        doc = json.loads(json.dumps(rng.choice(templates)))
        old = doc["domain"]
        doc["domain"] = f"d{i:06d}-{old}"
        op = rng.choices(operators, weights)[0]
        version = rng.choice(versions)
        for k, mx in enumerate(doc.get("mx", [])):
            mx["host"] = f"mx{k}.{op}"
            for a in mx.get("addresses", []):
                if isinstance(a.get("tls"), dict):
                    a["tls"]["version"] = version
        counts[doc["verdict"]] = counts.get(doc["verdict"], 0) + 1
        out.write(json.dumps(doc, separators=(",", ":")) + "\n")
    out.write(json.dumps({"schema": "intransit.scan/1", "type": "footer", "counts": counts, "domains": n,
                          "errors": 0, "elapsed_seconds": 0, "finished": "2026-12-01T01:00:00Z",
                          "complete": True}) + "\n")
