#!/usr/bin/env python3
"""serve_lab.py STATE_DIR INTRANSIT — `intransit serve` against the lab (issue 18): every API
route answers as docs/schema/serve-openapi.json documents it (errors as problem+json), the check
results are the verdicts lab/domains.tsv expects and valid intransit.check/1, stored results are
reused until a fresh check is asked for, async jobs, pasted headers traced, admin routes behind
the token, /metrics accepted by promtool, /probe in blackbox_exporter style, security headers on
every answer, size limits (413/431), per-client rate limits (429), the server's own pages, and a
restart with the same --data keeps the history and the monitored domains."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py
from serve_support import Serve, check_openapi_document, conforms, request

state, intransit = sys.argv[1:3]
env, _ = lab_env.load(state)
env = {**os.environ, **env}
EXPECTED = {}
for line in open(env["INTRANSIT_LAB_DOMAINS"]):
    if line.strip() and not line.startswith("#"):
        cols = line.split("\t")
        EXPECTED[cols[0]] = cols[1]

work = tempfile.mkdtemp(prefix="intransit-serve-")
token = "lab-admin-token-0123456789"
token_file = os.path.join(work, "token")
with open(token_file, "w") as f:
    f.write(token + "\n")
data = os.path.join(work, "data")
ADMIN = {"Authorization": f"Bearer {token}"}

serve = Serve(intransit, env, data, "--allow-private", "--admin-token-file", token_file,
              "--client-rate", "5", "--client-burst", "40", "--monitor-interval", "3600")
base = serve.base


def api(method, path, template, body=None, headers=None, want=None):
    status, hdrs, raw = request(base, method, path, body, headers)
    why = conforms(template, method, status, hdrs, raw)
    check(not why, f"{method} {path}: {status} as the OpenAPI document says {('(' + why + ')') if why else ''}")
    if want is not None:
        check(status == want, f"{method} {path}: status {want} (got {status}: {raw[:200]!r})")
    return status, hdrs, (json.loads(raw) if raw and hdrs.get("content-type", "").find("json") >= 0 else raw)


# The document itself, served byte for byte as shipped.
status, hdrs, raw = request(base, "GET", "/api/v1/openapi.json")
doc = json.loads(raw)
check(status == 200 and doc == json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "schema", "serve-openapi.json"))),
      "openapi.json is the shipped document")
problems = check_openapi_document(doc)
check(not problems, f"the OpenAPI document is well formed ({problems[:3]})")

# Checks: the lab's expected verdicts, valid check documents, the cache and fresh checks.
for domain in ("dane.test", "plain.test", "mtasts.test", "expired.test", "nullmx.test"):
    status, _, body = api("GET", f"/api/v1/check/{domain}?wait=100", "/api/v1/check/{domain}", want=200)
    if status == 200:
        check(body["verdict"] == EXPECTED[domain], f"{domain}: verdict {EXPECTED[domain]} (got {body['verdict']})")
        try:
            schema_check.validate(body["check"])
            check(True, f"{domain}: the check document is valid intransit.check/1")
        except schema_check.SchemaError as e:
            check(False, f"{domain}: the check document is valid intransit.check/1 ({e})")
        check(body["cached"] is False, f"{domain}: the first check is a new audit")
_, _, first = api("GET", "/api/v1/check/dane.test", "/api/v1/check/{domain}", want=200)
check(first["cached"] is True, "a second request reuses the stored result")
_, _, fresh = api("GET", "/api/v1/check/dane.test?fresh=1&wait=100", "/api/v1/check/{domain}", want=200)
check(fresh["cached"] is False and fresh["check_id"] != first["check_id"], "fresh=1 runs a new audit")

# Async jobs.
status, hdrs, job = api("POST", "/api/v1/jobs", "/api/v1/jobs", json.dumps({"domain": "mixed.test", "fresh": True}),
                        {"Content-Type": "application/json"}, want=202)
if status == 202:
    check(hdrs.get("location") == f"/api/v1/jobs/{job['id']}", "the job's Location header")
    _, _, done = api("GET", f"/api/v1/jobs/{job['id']}?wait=100", "/api/v1/jobs/{id}", want=200)
    check(done["status"] == "done" and done["result"]["verdict"] == EXPECTED["mixed.test"],
          f"the job ends with mixed.test's verdict ({done.get('status')}, {done.get('result', {}) and done['result'].get('verdict')})")
api("GET", "/api/v1/jobs/" + "0" * 32, "/api/v1/jobs/{id}", want=404)
api("POST", "/api/v1/jobs", "/api/v1/jobs", "not json", {"Content-Type": "application/json"}, want=400)

# Errors are problem+json.
api("GET", "/api/v1/check/not..a..domain", "/api/v1/check/{domain}", want=400)
for path, method, want in (("/api/v1/nothing", "GET", 404), ("/api/v1/check/x.test", "POST", 405)):
    status, hdrs, raw = request(base, method, path)
    check(status == want and hdrs.get("content-type") == "application/problem+json" and json.loads(raw)["status"] == want,
          f"{method} {path}: {want} problem+json (got {status} {hdrs.get('content-type')})")

# Pasted headers.
message = open(os.path.join(os.path.dirname(__file__), "..", "data", "trace", "tls-path.eml")).read()
_, _, traced = api("POST", "/api/v1/trace", "/api/v1/trace", message, {"Content-Type": "message/rfc822"}, want=200)
if isinstance(traced, dict):
    try:
        schema_check.validate(traced)
        check(len(traced.get("hops", [])) == 3, f"the trace has the message's 3 hops ({len(traced.get('hops', []))})")
    except schema_check.SchemaError as e:
        check(False, f"the trace is valid intransit.trace/1 ({e})")
api("POST", "/api/v1/trace", "/api/v1/trace", "", want=400)

# TLS-RPT reports by HTTPS POST (RFC 8460 §3), gzip and JSON, each stored once.
import gzip  # noqa: E402 - only this part needs it
report = open(os.path.join(os.path.dirname(__file__), "..", "data", "tlsrpt", "rfc8460-appendix-b.json"), "rb").read()
api("POST", "/tlsrpt", "/tlsrpt", gzip.compress(report), {"Content-Type": "application/tlsrpt+gzip"}, want=201)
api("POST", "/tlsrpt", "/tlsrpt", report, {"Content-Type": "application/tlsrpt+json"}, want=200)
api("POST", "/tlsrpt", "/tlsrpt", report, {"Content-Type": "application/json"}, want=415)
api("POST", "/tlsrpt", "/tlsrpt", b"{not json", {"Content-Type": "application/tlsrpt+json"}, want=400)
p = subprocess.run([intransit, "tlsrpt", "--store", os.path.join(data, "tlsrpt.sqlite"), "--format", "json",
                    os.path.join(os.path.dirname(__file__), "..", "data", "tlsrpt", "rfc8460-appendix-b.json")],
                   capture_output=True, text=True)
try:
    counts = json.loads(p.stdout)["counts"]
except (ValueError, KeyError):
    counts = {}
check(counts.get("known") == 1 and counts.get("new") == 0,
      f"`intransit tlsrpt --store` finds the POSTed report already in serve's store ({counts or p.stderr[:200]})")

# Size limits.
status, _, _ = request(base, "POST", "/api/v1/trace", "x" * (2 * 1024 * 1024))
check(status == 413, f"a 2 MiB body is refused with 413 (got {status})")
status, _, _ = request(base, "GET", "/", headers={"X-Big": "y" * 20000})
check(status == 431, f"a 20 KB header is refused with 431 (got {status})")

# Admin routes.
api("GET", "/api/v1/domains", "/api/v1/domains", want=401)
api("GET", "/api/v1/domains", "/api/v1/domains", headers={"Authorization": "Bearer wrong-token-0123456789"}, want=401)
api("PUT", "/api/v1/domains/dane.test", "/api/v1/domains/{domain}", headers=ADMIN, want=201)
api("PUT", "/api/v1/domains/dane.test", "/api/v1/domains/{domain}", headers=ADMIN, want=200)
api("PUT", "/api/v1/domains/plain.test", "/api/v1/domains/{domain}", headers=ADMIN, want=201)
_, _, listed = api("GET", "/api/v1/domains", "/api/v1/domains", headers=ADMIN, want=200)
check(sorted(d["domain"] for d in listed["domains"]) == ["dane.test", "plain.test"], "both domains are monitored")
_, _, one = api("GET", "/api/v1/domains/dane.test", "/api/v1/domains/{domain}", headers=ADMIN, want=200)
check(one.get("latest", {}).get("verdict") == "enforced", "a monitored domain carries its latest result")
_, _, hist = api("GET", "/api/v1/domains/dane.test/history", "/api/v1/domains/{domain}/history", headers=ADMIN, want=200)
check(len(hist["history"]) >= 2, f"dane.test's history holds its checks ({len(hist['history'])})")
api("DELETE", "/api/v1/domains/plain.test", "/api/v1/domains/{domain}", headers=ADMIN, want=204)
api("DELETE", "/api/v1/domains/plain.test", "/api/v1/domains/{domain}", headers=ADMIN, want=404)
api("GET", "/api/v1/alerts", "/api/v1/alerts", headers=ADMIN, want=200)

# /metrics and /probe.
status, hdrs, raw = request(base, "GET", "/metrics")
text = raw.decode()
check(status == 200 and hdrs.get("content-type", "").startswith("text/plain; version=0.0.4"), "/metrics in the exposition format")
check('intransit_domain_verdict{domain="dane.test",verdict="enforced"} 1' in text, "/metrics: the monitored domain's verdict")
check("intransit_http_requests_total{" in text and "intransit_checks_total{" in text, "/metrics: serve's own counters")
if shutil.which("promtool"):
    p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    check(p.returncode == 0, f"promtool accepts /metrics ({p.stdout[:300]}{p.stderr[:300]})")
status, _, raw = request(base, "GET", "/probe?target=mtasts.test")
text = raw.decode()
check(status == 200 and "intransit_probe_success 1" in text and
      'intransit_domain_verdict{domain="mtasts.test",verdict="enforced"} 1' in text, "/probe?target= gives that domain's metrics")
status, _, _ = request(base, "GET", "/probe")
check(status == 400, "/probe without a target is 400")

# Pages.
status, hdrs, raw = request(base, "GET", "/")
check(status == 200 and b"<form" in raw and "default-src 'none'" in hdrs.get("content-security-policy", ""),
      "the home page: a form, and a strict CSP header")
check(hdrs.get("x-frame-options") == "DENY" and hdrs.get("x-content-type-options") == "nosniff", "frame-deny and nosniff")
status, _, raw = request(base, "GET", "/check?domain=dane.test")
check(status == 200 and b"enforced" in raw and b"Check again now" in raw, "the result page says enforced and offers a fresh check")
status, _, raw = request(base, "GET", "/check?domain=%3Cscript%3E")
# The page's one inline script (the table filter, allowed by its CSP hash) is the only <script>.
check(status == 400 and b"&lt;script&gt;" in raw and raw.count(b"<script>") == raw.count(b"<script>(function(){"),
      "a hostile domain name is refused and escaped")
status, _, raw = request(base, "POST", "/trace", "headers=" + __import__("urllib.parse").parse.quote_plus(message),
                         {"Content-Type": "application/x-www-form-urlencoded"})
check(status == 200 and b"mail.example.org" in raw, "the trace page shows the pasted message's hops")
status, _, raw = request(base, "GET", "/monitor")
check(status == 200 and b"Admin" in raw and b"valid.sink.test" not in raw and b"dane.test</" not in raw,
      "the monitor page asks for the token and shows nothing else")

# Per-client rate: work requests beyond the burst get 429 problems with Retry-After... while a
# page still loads from another budget.
statuses = [request(base, "POST", "/api/v1/trace", message)[0] for _ in range(60)]
check(429 in statuses and set(statuses) <= {200, 429}, f"a burst of traces meets 429 and nothing else ({sorted(set(statuses))})")
status, hdrs, raw = request(base, "POST", "/api/v1/trace", message)
why = conforms("/api/v1/trace", "POST", status, hdrs, raw)
check(status == 429 and not why, f"the 429 is a documented problem ({why})")

# Restart with the same data: history and monitoring stay.
check(serve.stop() == 0, "SIGTERM stops serve with exit 0")
serve = Serve(intransit, env, data, "--allow-private", "--admin-token-file", token_file)
base = serve.base
_, _, listed = api("GET", "/api/v1/domains", "/api/v1/domains", headers=ADMIN, want=200)
check([d["domain"] for d in listed["domains"]] == ["dane.test"], "after a restart dane.test is still monitored")
_, _, again = api("GET", "/api/v1/check/dane.test", "/api/v1/check/{domain}", want=200)
check(again.get("cached") is True and again.get("check_id", 0) >= fresh["check_id"],
      "after a restart the stored result is reused")
serve.stop()

# Without --allow-private every lab address (loopback) is refused, and said so.
serve = Serve(intransit, env, os.path.join(work, "data2"))
base = serve.base
_, _, refused = api("GET", "/api/v1/check/opportunistic.test?wait=100", "/api/v1/check/{domain}", want=200)
if isinstance(refused, dict) and refused.get("check"):
    c = refused["check"]
    check(c["verdict"] == "untested" and c.get("untested_reason") == "not-permitted",
          f"without --allow-private a loopback MX is not-permitted ({c['verdict']}, {c.get('untested_reason')})")
serve.stop()
shutil.rmtree(work, ignore_errors=True)
sys.exit(exit_status("serve"))
