#!/usr/bin/env python3
"""serve_browser.py STATE_DIR INTRANSIT SHOT_DIR — `intransit serve` in a real browser with its
monitor (issue 18): Debian's headless chromium types a lab domain into the page and sees its
verdict, pastes a message's headers and sees its hops, signs in with the admin token and adds
a monitored domain; then the lab changes under it (the `intransit sink` answering for
valid.sink.test is restarted with the expired certificate) and the alert appears in the UI, in
a webhook receiver and, by mail through the lab's Postfix, in a mailbox. Every page loads with
no console error and no request leaving the server. Screenshots in SHOT_DIR."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import lab_env  # tests/integration/lab_env.py
from browser_cdp import CHROMIUM, Browser  # tests/integration/browser_cdp.py
from checklist import check, exit_status  # tests/integration/checklist.py
from serve_support import Serve, free_port, request

state, intransit, shots = sys.argv[1:4]
if not CHROMIUM:
    print("chromium not installed (scripts/install-deps): skipped")
    sys.exit(77)
env, _ = lab_env.load(state)
env = {**os.environ, **env}
os.makedirs(shots, exist_ok=True)
work = tempfile.mkdtemp(prefix="serve-browser-")
token = "browser-admin-token-0123456789"
with open(f"{work}/token", "w") as f:
    f.write(token)

# The webhook receiver: every POST body kept.
hooks = []


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        hooks.append(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


hook_server = HTTPServer(("127.0.0.1", free_port()), Hook)
threading.Thread(target=hook_server.serve_forever, daemon=True).start()

# The MX of valid.sink.test: an `intransit sink` with the valid certificate, later the expired one.
sink_addr = next(s.split("@")[1] for s in env["INTRANSIT_LAB_SINK_LISTEN"].split() if s.startswith("valid@"))


def start_sink(cert, key):
    p = subprocess.Popen([intransit, "sink", "--listen", f"valid@{sink_addr}", "--store", f"{work}/sink.db",
                          "--hostname", "sink.lab.test", "--cert", cert, "--key", key],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    host, port = sink_addr.rsplit(":", 1)
    for _ in range(200):
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return p
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the sink did not listen")


sink = start_sink(env["INTRANSIT_LAB_SINK_CERT"], env["INTRANSIT_LAB_SINK_KEY"])
mail_to = "postmaster@opportunistic.test"
serve = Serve(intransit, env, f"{work}/data", "--allow-private", "--admin-token-file", f"{work}/token",
              "--monitor-interval", "3", "--cooldown", "0", "--cert-days", "14",
              "--webhook", f"http://127.0.0.1:{hook_server.server_port}/hook",
              "--mail-relay", "127.0.1.2:25", "--mail-to", mail_to, "--mail-from", "intransit@serve.lab.test")
base = serve.base
b = Browser(f"{work}/profile", shots, host_rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")


def visit(name, url):
    requests, errors, seconds = b.load(url)
    others = [u for u in requests if not u.startswith(base)]
    check(others == [], f"{name}: nothing requested from anywhere but the server ({others[:3]})")
    check(errors == [], f"{name}: no console error or CSP violation ({errors[:2]})")
    return seconds


def submit(form_selector, fields):
    """Types each field's value (as a user would, into the focused element) and submits."""
    for selector, value in fields.items():
        b.eval(f"document.querySelector({json.dumps(selector)}).focus()")
        b.send("Input.insertText", {"text": value})
    b.events.clear()
    b.eval(f"document.querySelector({json.dumps(form_selector)}).requestSubmit()")
    b.wait_event("Page.loadEventFired", timeout=120)


try:
    b.open_page()
    visit("home", base + "/")
    submit("form", {"#domain": "dane.test"})
    text = b.eval("document.body.innerText")
    check("enforced" in text and "Check again now" in text, "typed dane.test: the page says enforced")
    b.screenshot("serve-check")

    visit("trace", base + "/trace")
    submit("form", {"#headers": open(os.path.join(os.path.dirname(__file__), "..", "data", "trace", "tls-path.eml")).read()})
    text = b.eval("document.body.innerText")
    check("mail.example.org" in text and "mx.example.net" in text, "pasted headers: the hops are shown")
    b.screenshot("serve-trace")

    visit("monitor-login", base + "/monitor")
    submit("form", {"#token": token})
    check("Monitored domains" in b.eval("document.body.innerText"), "signed in with the token")
    submit("form.filter", {"#add": "valid.sink.test"})
    check("valid.sink.test" in b.eval("document.body.innerText"), "valid.sink.test is monitored")
    # Its first check (the baseline) within a few seconds.
    cookie = {"Authorization": f"Bearer {token}"}
    baseline = None
    for _ in range(120):
        _, _, raw = request(base, "GET", "/api/v1/domains/valid.sink.test", headers=cookie)
        latest = json.loads(raw).get("latest")
        if latest:
            baseline = latest
            break
        time.sleep(0.5)
    check(baseline is not None, f"the monitor checked valid.sink.test ({baseline and baseline.get('verdict')})")

    # The lab changes: the MX now presents the expired certificate.
    sink.terminate()
    sink.wait(timeout=30)
    cert, key = env["INTRANSIT_LAB_SINK_EXPIRED"].split(",")
    sink = start_sink(cert, key)
    # A check that falls in the moment the sink restarts finds no server and raises an "untested"
    # alert (rightly); the certificate's alert comes with the next check, 3 s later.
    alerts = []
    for _ in range(240):
        _, _, raw = request(base, "GET", "/api/v1/alerts?domain=valid.sink.test", headers=cookie)
        alerts = json.loads(raw)["alerts"]
        if any(a["kind"] == "certificate-expired" for a in alerts) and all(a["delivery"] != "pending" for a in alerts):
            break
        time.sleep(0.5)
    check(alerts != [], f"an alert was raised after the certificate changed ({[a['kind'] for a in alerts]})")
    why = " ".join(a["why"] for a in alerts)
    check("expired" in why.lower(), f"the alert says why: the certificate expired ({why[:200]})")
    visit("monitor", base + "/monitor")
    text = b.eval("document.getElementById('alerts') ? document.getElementById('alerts').innerText : ''")
    check("valid.sink.test" in text, "the alert is in the page's alert log")
    b.screenshot("serve-monitor")

    payloads = [json.loads(h) for h in hooks]
    check(any("valid.sink.test" in json.dumps(p) for p in payloads), f"the webhook received the alert ({len(payloads)} POSTs)")
    delivery = " ".join(a["delivery"] for a in alerts)
    check("mail sent" in delivery, f"the alert mail went through the lab's Postfix ({delivery[:200]})")
finally:
    b.close()
    serve.stop()
    sink.terminate()
    hook_server.shutdown()
shutil.rmtree(work, ignore_errors=True)
sys.exit(exit_status("serve browser"))
