#!/usr/bin/env python3
"""report_cli.py INTRANSIT DATA_DIR — `intransit report` end to end on saved JSON (issue 17; no
lab, no browser): for each fixture kind (one domain, several check documents, a scan with its
header and footer, a baseline comparison, a message, a mailbox, a sink report, an outbound
summary, explicit-encryption keys, a check with a `keys` member, mail client legs, hostile
strings) the page is written, parses under a strict HTML5 parser (html5lib,
strict), fetches nothing (no src/href/url() to load, a CSP whose script hash matches the one
inline script), holds the input's counts and no markup from the input; and the exit codes for
usage errors, unreadable, invalid or unknown input (naming the file and line) and an unwritable
output."""
import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import html5lib
except ImportError:  # a python3 first on PATH (pyenv) without Debian's python3-html5lib
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

intransit, data = sys.argv[1:3]
failures = []
tmp = tempfile.mkdtemp(prefix="report-cli-")


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([intransit, "report", *args], capture_output=True, text=True, timeout=120)


def docs(path):
    """The documents of a saved file (JSON Lines, or one indented document)."""
    text = open(path, encoding="utf-8").read()
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError:
        return [json.loads(text)]


def render(name, *inputs, extra=()):
    out = os.path.join(tmp, name + ".html")
    r = run(*[os.path.join(data, i) for i in inputs], "-o", out, *extra)
    check(r.returncode == 0, f"{name}: exit 0 ({r.returncode} {r.stderr.strip()})")
    page = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
    self_contained(name, page)
    return page


def self_contained(name, page):
    """The page as a browser's parser sees it (html5lib, strict: any parse error fails): one
    inline script whose hash the CSP names, no element or attribute that loads or runs anything,
    only RFC links, and every SVG chart with role=img, a title and a desc."""
    try:
        tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
        check(True, f"{name}: strict HTML5 parse")
    except Exception as e:  # html5lib raises ParseError with the position
        check(False, f"{name}: strict HTML5 parse: {e}")
        return
    elements = list(tree.iter())
    scripts = [e for e in elements if e.tag == "script"]
    check(len(scripts) == 1 and not scripts[0].attrib, f"{name}: exactly one inline script ({len(scripts)})")
    digest = base64.b64encode(hashlib.sha256((scripts[0].text or "").encode()).digest()).decode() if scripts else "?"
    metas = [e.attrib.get("content", "") for e in elements
             if e.tag == "meta" and e.attrib.get("http-equiv") == "Content-Security-Policy"]
    policy = metas[0] if metas else ""
    check("default-src 'none'" in policy and f"'sha256-{digest}'" in policy,
          f"{name}: CSP default-src 'none' with the script's hash")
    loaders = [e.tag for e in elements
               if isinstance(e.tag, str) and e.tag.split("}")[-1] in ("link", "img", "image", "iframe", "object", "embed",
                                                                      "audio", "video", "source", "base", "use", "foreignObject")]
    check(loaders == [], f"{name}: no element that loads ({loaders[:3]})")
    attrs = [(e.tag, k) for e in elements for k in e.attrib
             if k.lower().startswith("on") or k.lower() in ("src", "srcset", "background", "style")]
    check(attrs == [], f"{name}: no src/on*/style attribute ({attrs[:3]})")
    css = "".join(e.text or "" for e in elements if e.tag == "style")
    check("url(" not in css and "@import" not in css, f"{name}: the style sheet loads nothing")
    links = [e.attrib["href"] for e in elements if "href" in e.attrib]
    check(all(h.startswith("https://www.rfc-editor.org/rfc/rfc") for h in links), f"{name}: only RFC links ({len(links)})")
    svgs = [e for e in elements if isinstance(e.tag, str) and e.tag.endswith("}svg")]
    check(all(e.attrib.get("role") == "img" and e[0].tag.endswith("}title") and e[1].tag.endswith("}desc")
              for e in svgs), f"{name}: every chart ({len(svgs)}) has role=img, a title and a desc")
    tables = [e for e in elements if e.tag == "table"]
    check(all(t.find("thead/tr/th[@scope='col']") is not None for t in tables), f"{name}: every table has <th scope=col>")


def text_of(page, ident):
    m = re.search(r'id="' + ident + r'"[^>]*>([^<]*)<', page)
    return m.group(1) if m else None


# One domain (a lab `check --format json`).
one = docs(os.path.join(data, "check-dane.json"))[0]
page = render("domain", "check-dane.json")
check(f"{one['verdict']}</span>" in page, f"domain: verdict {one['verdict']} shown")
check(html.escape(one["summary"], quote=True).replace("&#x27;", "&#39;") in page, "domain: the verdict sentence first")
check(page.find('id="verdict"') < page.find("Findings"), "domain: verdict before the findings")
check("A passive eavesdropper" in page and "An active attacker" in page, "domain: what attackers can do")
for mx in one["mx"]:
    check(html.escape(mx["host"]) in page, f"domain: MX {mx['host']} in the diagram/table")

# Several check documents: a population.
checks = docs(os.path.join(data, "check-all.jsonl"))
page = render("checks", "check-all.jsonl")
check(text_of(page, "pop-n") == str(len(checks)), f"checks: {len(checks)} domains")
check(page.count("<tr data-v=") == len(checks), "checks: one table row per domain")
for v in {c["verdict"] for c in checks}:
    n = sum(c["verdict"] == v for c in checks)
    check(f"{v}: <strong>{n}</strong>" in page, f"checks: {n} × {v} in the verdict legend")

# A scan file (header, check lines, footer) and a baseline with a different domain list.
scan = docs(os.path.join(data, "scan.jsonl"))
page = render("scan", "scan.jsonl", extra=["--baseline", os.path.join(data, "scan-baseline.jsonl")])
body = [d for d in scan if d["schema"] == "intransit.check/1"]
check(text_of(page, "pop-n") == str(len(body)), f"scan: {len(body)} domains")
check(scan[0]["input_sha256"] in page and scan[0]["tool_version"] in page, "scan: stamped with input hash and version")
base = {d["domain"]: d["verdict"] for d in docs(os.path.join(data, "scan-baseline.jsonl")) if d["schema"] == "intransit.check/1"}
rank = {"enforced": 4, "opportunistic": 3, "partial": 2, "broken": 1, "plaintext": 0}
now = {d["domain"]: d["verdict"] for d in body}
both = [d for d in now if d in base and base[d] in rank and now[d] in rank]
improved = sum(rank[now[d]] > rank[base[d]] for d in both)
declined = sum(rank[now[d]] < rank[base[d]] for d in both)
check(text_of(page, "improved-n") == str(improved) and text_of(page, "declined-n") == str(declined),
      f"baseline: {improved} improved, {declined} declined")
check('id="lists-differ"' in page, "baseline: warning that the domain lists differ")
page_same = render("scan-same", "scan.jsonl", extra=["--baseline", os.path.join(data, "scan.jsonl")])
check('id="lists-differ"' not in page_same and text_of(page_same, "improved-n") == "0", "baseline: a scan against itself")
check(run(os.path.join(data, "scan.jsonl"), "-o", os.path.join(tmp, "x.html"), "--baseline",
          os.path.join(data, "trace-message.json")).returncode == 2, "baseline without check documents: exit 2")

# A message and a mailbox (trace), a sink report, an outbound summary.
page = render("message", "trace-message.json")
msg = docs(os.path.join(data, "trace-message.json"))[0]
check(html.escape(msg["message_id"]) in page and page.count("<tr><th scope=\"row\">") >= len(msg["hops"]), "message: every hop")
mailbox = docs(os.path.join(data, "trace-mailbox.jsonl"))
page = render("mailbox", "trace-mailbox.jsonl")
messages = [d for d in mailbox if d["schema"] == "intransit.trace/1"]
check(text_of(page, "mbox-n") == str(len(messages)), f"mailbox: {len(messages)} messages")
sink = docs(os.path.join(data, "sink-report.json"))[0]
page = render("sink", "sink-report.json")
check(text_of(page, "sink-n") == str(len(sink["senders"])), f"sink: {len(sink['senders'])} senders")
for s in sink["senders"]:
    check(html.escape(s["verdict_text"], quote=True).replace("&#x27;", "&#39;") in page, f"sink: {s['client']} verdict in words")
page = render("outbound", "outbound.jsonl")
check("Outbound deliveries" in page, "outbound: section")
page = render("title", "check-dane.json", extra=["--title", "<b>Q3</b> & co"])
check("<title>&lt;b&gt;Q3&lt;/b&gt; &amp; co</title>" in page, "--title is escaped")

# Explicit encryption (issue 21): `keys` of every lab address; the verdict table first, a row per
# address with its verdict, then each address's details with the fingerprints found.
def escaped(text):
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


keys = docs(os.path.join(data, "keys.jsonl"))
page = render("keys", "keys.jsonl")
check(text_of(page, "keys-n") == str(len(keys)), f"keys: {len(keys)} addresses")
check(page.count("<tr data-keys=") == len(keys), "keys: one verdict row per address")
for k in keys:
    row = f'<tr data-keys="{k["verdict"]}"><th scope="row">{escaped(k["address"])}</th>'
    check(row in page and escaped(k["summary"]) in page, f"keys: {k['address']} {k['verdict']} ({k['summary']})")
    fprs = [(k.get("wkd") or {}).get("key") or {}] + (k.get("openpgpkey") or {}).get("keys", [])
    for f in fprs:
        if f.get("fingerprint"):
            check(f["fingerprint"] in page, f"keys: {k['address']} fingerprint {f['fingerprint'][:8]}… shown")
check(page.find('id="keys"') < page.find("<h3>"), "keys: the verdict table before the details")

# A check with a `keys` member: the domain page, then its addresses' keys.
ck = docs(os.path.join(data, "check-keys.json"))[0]
page = render("check-keys", "check-keys.json")
check(f"{ck['verdict']}</span>" in page, f"check-keys: domain verdict {ck['verdict']}")
check(text_of(page, "keys-n") == str(len(ck["keys"])), f"check-keys: {len(ck['keys'])} addresses")
for k in ck["keys"]:
    check(f'<tr data-keys="{k["verdict"]}"><th scope="row">{escaped(k["address"])}</th>' in page,
          f"check-keys: {k['address']} {k['verdict']}")
check(page.find('id="verdict"') < page.find('id="keys-h"'), "check-keys: the transport verdict first")

# Mail client legs: a verdict per leg first, then each server and the discovery.
client = docs(os.path.join(data, "client-disco.json"))[0]
page = render("client", "client-disco.json")
check(text_of(page, "client-n") == "1", "client: one domain")
for leg in client["legs"]:
    check(f'<tr data-leg="{escaped(leg["leg"])}">' in page and escaped(leg["summary"]) in page,
          f"client: leg {leg['leg']} {leg['verdict']}")
check(page.find('class="client-legs"') < page.find('class="client-servers"'), "client: legs before servers")
for srv in client["servers"]:
    check(f"{escaped(srv['host'])}:{srv['port']}" in page, f"client: server {srv['host']}:{srv['port']}")
page = render("mixed", "check-keys.json", "keys.jsonl", "client-disco.json")
check(text_of(page, "keys-n") == str(len(keys) + len(ck["keys"])) and text_of(page, "client-n") == "1",
      "mixed: keys from `keys` and from a check's member, and a client document, on one page")

# Several check lines with `keys` members (a population): the fast row reader, which keeps only a
# row's fields, must leave such lines whole so that their keys are not lost.
pop = os.path.join(tmp, "check-keys-pop.jsonl")
with open(pop, "w") as f:
    for domain in ("keys.test", "keys2.test", "keys3.test"):
        f.write(json.dumps(dict(ck, domain=domain)) + "\n")
r = run(pop, "-o", os.path.join(tmp, "check-keys-pop.html"))
page = open(os.path.join(tmp, "check-keys-pop.html"), encoding="utf-8").read() if r.returncode == 0 else ""
check(text_of(page, "pop-n") == "3" and text_of(page, "keys-n") == str(3 * len(ck["keys"])),
      f"check-keys population: 3 domains, the keys of every line ({text_of(page, 'keys-n')})")

# Hostile strings everywhere: never markup.
page = render("hostile", "hostile-check.jsonl", "hostile-trace.json", "hostile-sink.json")
for bad in ("<script>window", "<img", "</title><script"):
    check(bad not in page, f"hostile: no {bad!r} in the page")
check("&lt;script&gt;" in page, "hostile: <script> shown as text")
page = render("hostile-keys", "hostile-keys.jsonl")
for bad in ("<script>window", "<img", "</title><script"):
    check(bad not in page, f"hostile keys and client: no {bad!r} in the page")
check(text_of(page, "keys-n") == "2" and "&lt;script&gt;" in page, "hostile keys and client: shown as text")
page = render("hostile-one", "hostile-check-one.json")
check("<script>window" not in page and "&lt;script&gt;" in page, "hostile: one domain page escapes too")

# Exit codes and error messages.
out = os.path.join(tmp, "e.html")
r = run("-o", out)
check(r.returncode == 2, f"no input: exit 2 ({r.returncode})")
r = run(os.path.join(data, "check-dane.json"))
check(r.returncode == 2, f"no -o: exit 2 ({r.returncode})")
r = run(os.path.join(tmp, "missing.json"), "-o", out)
check(r.returncode == 2 and "missing.json: cannot open" in r.stderr, f"missing input: exit 2 naming it ({r.stderr.strip()})")
bad = os.path.join(tmp, "bad.jsonl")
with open(bad, "w") as f:
    f.write(json.dumps(one) + "\n" + '{"schema": "intransit.check/1", "domain": \n')
r = run(bad, "-o", out)
check(r.returncode == 2 and "bad.jsonl:2: invalid JSON" in r.stderr, f"invalid JSON: exit 2, file:line ({r.stderr.strip()[:80]})")
with open(bad, "w") as f:
    f.write(json.dumps(one) + "\n\n" + '{"schema": "intransit.nonsense/7"}\n')
r = run(bad, "-o", out)
check(r.returncode == 2 and 'bad.jsonl:3: unknown schema "intransit.nonsense/7"' in r.stderr, f"unknown schema: exit 2 ({r.stderr.strip()})")
check(not os.path.exists(out), "no page is left behind by a failed run")
r = subprocess.run([intransit, "report", "/dev/zero", "-o", out], capture_output=True, text=True, timeout=120)
check(r.returncode == 2 and "longer than 64 MiB" in r.stderr, f"/dev/zero: refused at the line cap ({r.stderr.strip()})")
r = run(os.path.join(data, "check-dane.json"), "-o", os.path.join(tmp, "no", "such", "dir.html"))
check(r.returncode == 73 and "cannot write" in r.stderr, f"unwritable output: exit 73 ({r.returncode})")
with open(os.path.join(data, "check-dane.json"), "rb") as f:
    r = subprocess.run([intransit, "report", "-", "-o", out], stdin=f, capture_output=True, timeout=60)
check(r.returncode == 0 and os.path.exists(out), "reads standard input")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
