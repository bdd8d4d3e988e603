#!/usr/bin/env python3
"""report_browser.py INTRANSIT DATA_DIR SHOT_DIR — `intransit report` pages in a real browser
(issue 17): Debian's headless chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe; Python standard library only). For each fixture: the page loads with no
console error, no CSP violation and ZERO network requests besides the page itself; the key facts
are in the DOM (verdict text, counts equal to the input's); on the population page the table
filter works; first contentful paint is measured; a screenshot per fixture is saved under
SHOT_DIR (plus dark-mode and phone-width ones of the domain page). Host names resolve to nothing
inside the browser (--host-resolver-rules), so even a mistake could not leave the machine.
Skipped (77) when chromium is not installed."""
import json
import os
import subprocess
import sys
import tempfile

from browser_cdp import CHROMIUM, Browser  # tests/integration/browser_cdp.py

intransit, data, shots = sys.argv[1:4]
if not CHROMIUM:
    print("chromium not installed (scripts/install-deps): skipped")
    sys.exit(77)
os.makedirs(shots, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="report-browser-")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def docs(path):
    text = open(path, encoding="utf-8").read()
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError:
        return [json.loads(text)]


def render(name, *inputs, extra=()):
    out = os.path.join(tmp, name + ".html")
    r = subprocess.run([intransit, "report", *[os.path.join(data, i) for i in inputs], "-o", out, *extra],
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"{name}: rendered ({r.stderr.strip()})")
    return out


def visit(b, name, path):
    requests, errors, seconds = b.load(path)
    check(requests == [], f"{name}: zero network requests besides the page ({requests[:3]})")
    check(errors == [], f"{name}: no console error or CSP violation ({errors[:2]})")
    fcp = b.eval("new Promise(r=>{let n=0;const f=()=>{const e=performance.getEntriesByName("
                 "'first-contentful-paint')[0];if(e||n++>100)r(e?e.startTime:-1);else setTimeout(f,50)};f()})")
    print(f"     {name}: load {seconds:.2f} s, first contentful paint {fcp:.0f} ms")
    check(fcp > 0, f"{name}: painted")
    b.screenshot(name)


b = Browser(os.path.join(tmp, "profile"), shots)
try:
    b.open_page()
    # The monitor itself: a page without CSP that asks for an image must show that request
    # (the host resolves to nothing, so it goes nowhere).
    control = os.path.join(tmp, "control.html")
    with open(control, "w") as f:
        f.write('<!DOCTYPE html><title>control</title><img src="http://control.invalid/x.png" alt="">')
    requests, _, _ = b.load(control)
    check(any("control.invalid" in u for u in requests), f"control: the request monitor sees a page's request ({requests})")

    one = docs(os.path.join(data, "check-dane.json"))[0]
    visit(b, "domain", render("domain", "check-dane.json"))
    check(one["verdict"] in b.eval("document.getElementById('verdict').textContent"), f"domain: verdict {one['verdict']} in the DOM")
    check(b.eval("document.querySelectorAll('svg[role=img] > title').length") >= 1, "domain: diagram with a title")
    b.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    b.screenshot("domain-dark")
    dark_bg = b.eval("getComputedStyle(document.body).backgroundColor")
    check(dark_bg != "rgb(255, 255, 255)", f"domain: dark mode changes the background ({dark_bg})")
    b.send("Emulation.setEmulatedMedia", {"features": []})
    b.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    b.load(render("domain-phone", "check-dane.json"))
    b.screenshot("domain-phone")
    overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 0, f"domain: no sideways scrolling on a 390 px phone ({overflow} px)")
    b.send("Emulation.clearDeviceMetricsOverride")

    scan = [d for d in docs(os.path.join(data, "scan.jsonl")) if d["schema"] == "intransit.check/1"]
    visit(b, "scan", render("scan", "scan.jsonl", extra=["--baseline", os.path.join(data, "scan-baseline.jsonl")]))
    check(b.eval("document.getElementById('pop-n').textContent") == str(len(scan)), f"scan: {len(scan)} domains in the DOM")
    rows = b.eval("document.querySelectorAll('#domains tbody tr').length")
    check(rows == len(scan), f"scan: {rows} table rows")
    check(b.eval("document.getElementById('qf').hidden") is False, "scan: the script showed the filter")
    target = sorted(scan, key=lambda d: d["domain"])[0]
    shown = b.eval("var q=document.getElementById('q');q.value=%s;q.dispatchEvent(new Event('input'));"
                   "[...document.querySelectorAll('#domains tbody tr')].filter(r=>!r.hidden).map(r=>r.querySelector('th').textContent)"
                   % json.dumps(target["domain"]))
    expected = [d["domain"] for d in scan if target["domain"] in d["domain"]]
    check(sorted(shown) == sorted(expected), f"scan: text filter {target['domain']!r} shows {len(expected)} rows ({shown[:3]})")
    verdict = scan[0]["verdict"]
    n = b.eval("var q=document.getElementById('q');q.value='';q.dispatchEvent(new Event('input'));"
               "var v=document.getElementById('qv');v.value=%s;v.dispatchEvent(new Event('change'));"
               "[...document.querySelectorAll('#domains tbody tr')].filter(r=>!r.hidden).length" % json.dumps(verdict))
    check(n == sum(d["verdict"] == verdict for d in scan), f"scan: verdict filter {verdict} shows {n} rows")
    check(b.eval("document.getElementById('qc').textContent").startswith(f"{n} of {len(scan)}"), "scan: filter says how many")
    b.eval("var v=document.getElementById('qv');v.value='';v.dispatchEvent(new Event('change'));1")
    # Click-to-sort: the script turned each heading into a button; Domain sorts by name, twice
    # reverses, Findings sorts as numbers, aria-sort says which.
    names = "[...document.querySelectorAll('#domains tbody tr')].map(r=>r.cells[0].textContent)"
    b.eval("document.querySelector('#domains thead th button').click();1")
    shown = b.eval(names)
    check(shown == sorted(d["domain"] for d in scan), f"scan: the Domain heading sorts by name ({shown[:3]})")
    check(b.eval("document.querySelector('#domains thead th').getAttribute('aria-sort')") == "ascending", "scan: aria-sort ascending")
    b.eval("document.querySelector('#domains thead th button').click();1")
    check(b.eval(names) == sorted((d["domain"] for d in scan), reverse=True), "scan: a second click reverses")
    counts = b.eval("document.querySelectorAll('#domains thead th button')[5].click();"
                    "[...document.querySelectorAll('#domains tbody tr')].map(r=>+r.cells[5].textContent)")
    check(counts == sorted(counts), f"scan: the Findings heading sorts as numbers ({counts[:5]})")

    visit(b, "checks", render("checks", "check-all.jsonl"))
    mailbox = [d for d in docs(os.path.join(data, "trace-mailbox.jsonl")) if d["schema"] == "intransit.trace/1"]
    visit(b, "mailbox", render("mailbox", "trace-mailbox.jsonl"))
    check(b.eval("document.getElementById('mbox-n').textContent") == str(len(mailbox)), f"mailbox: {len(mailbox)} messages")
    msg = docs(os.path.join(data, "trace-message.json"))[0]
    visit(b, "message", render("message", "trace-message.json"))
    check(msg["message_id"] in b.eval("document.getElementById('msg-h').textContent"), "message: its Message-ID")
    sink = docs(os.path.join(data, "sink-report.json"))[0]
    visit(b, "sink", render("sink", "sink-report.json"))
    check(b.eval("document.getElementById('sink-n').textContent") == str(len(sink["senders"])), "sink: senders counted")
    check(b.eval("document.querySelectorAll('#senders tbody tr').length") == len(sink["senders"]), "sink: a row per sender")
    visit(b, "outbound", render("outbound", "outbound.jsonl"))

    # Explicit encryption and mail client legs (issue 21).
    keys = docs(os.path.join(data, "keys.jsonl"))
    visit(b, "keys", render("keys", "keys.jsonl"))
    check(b.eval("document.getElementById('keys-n').textContent") == str(len(keys)), f"keys: {len(keys)} addresses in the DOM")
    shown = b.eval("[...document.querySelectorAll('#keys tbody tr')].map(r=>[r.cells[0].textContent,r.dataset.keys])")
    check(shown == [[k["address"], k["verdict"]] for k in keys], f"keys: a verdict row per address, in order ({shown[:2]})")
    ck = docs(os.path.join(data, "check-keys.json"))[0]
    visit(b, "check-keys", render("check-keys", "check-keys.json"))
    check(ck["verdict"] in b.eval("document.getElementById('verdict').textContent"), "check-keys: the domain verdict")
    shown = b.eval("[...document.querySelectorAll('#keys tbody tr')].map(r=>r.cells[1].textContent)")
    check(len(shown) == len(ck["keys"]) and all(k["summary"] in t for k, t in zip(ck["keys"], shown)),
          f"check-keys: each address's verdict in words ({shown})")
    client = docs(os.path.join(data, "client-disco.json"))[0]
    visit(b, "client", render("client", "client-disco.json"))
    legs = b.eval("[...document.querySelectorAll('.client-legs tbody tr')].map(r=>[r.dataset.leg,r.cells[1].textContent])")
    check([l[0] for l in legs] == [l["leg"] for l in client["legs"]] and
          all(c["verdict"] in t for c, (_, t) in zip(client["legs"], legs)), f"client: a verdict per leg ({legs})")
    check(b.eval("document.querySelectorAll('.client-servers tbody tr').length") == len(client["servers"]), "client: a row per server")
    visit(b, "hostile-keys", render("hostile-keys", "hostile-keys.jsonl"))
    check(b.eval("typeof window.pwned") == "undefined", "hostile keys and client: no input script ran")

    visit(b, "hostile", render("hostile", "hostile-check.jsonl", "hostile-trace.json", "hostile-sink.json"))
    check(b.eval("typeof window.pwned") == "undefined", "hostile: no input script ran")
    check(b.eval("document.scripts.length") == 1, "hostile: the page's own script only")
    check("<script>" in b.eval("document.body.textContent"), "hostile: the hostile text is shown as text")
finally:
    b.close()

print(f"{len(failures)} failure(s); screenshots in {shots}")
sys.exit(1 if failures else 0)
