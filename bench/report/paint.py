#!/usr/bin/env python3
"""paint.py PAGE — opens PAGE in headless chromium and prints its first contentful paint as soon as
it is recorded (issue 17: under 3 s for a 100,000-domain page), then its load event. A minimal
copy of the DevTools-over-a-pipe driver in tests/integration/report_browser.py. Host names resolve to nothing in the browser: no
packet leaves the machine."""
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time

page = os.path.abspath(sys.argv[1])
profile = tempfile.mkdtemp(prefix="report-paint-")
r_child, w_parent = os.pipe()
r_parent, w_child = os.pipe()
r_child = fcntl.fcntl(r_child, fcntl.F_DUPFD, 10)
w_child = fcntl.fcntl(w_child, fcntl.F_DUPFD, 10)


def fds():
    os.dup2(r_child, 3)
    os.dup2(w_child, 4)


proc = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         f"--user-data-dir={profile}", "--no-first-run", "--disable-background-networking",
                         "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
                        preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(r_child)
os.close(w_child)
buf = b""
ids = 0


def send(method, params=None, session=None):
    global buf, ids
    ids += 1
    msg = {"id": ids, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(w_parent, json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in buf:
            buf += os.read(r_parent, 1 << 20)
        raw, buf = buf.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == ids:
            return reply.get("result", {})


target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
started = time.time()
send("Page.navigate", {"url": "file://" + page}, session)
# First contentful paint as soon as the browser records it (the page is still being parsed and
# laid out then: a 100,000-row table reaches its load event much later), then the load event.
fcp_expr = ("new Promise(r=>{const f=()=>{const e=performance.getEntriesByName('first-contentful-paint')[0];"
            "if(e)r(e.startTime);else setTimeout(f,20)};f()})")
fcp = send("Runtime.evaluate", {"expression": fcp_expr, "awaitPromise": True, "returnByValue": True},
           session)["result"]["value"]
print(f"chromium: first contentful paint {fcp:.0f} ms (wall {time.time() - started:.1f} s)", flush=True)
load_expr = ("new Promise(r=>{const f=()=>{if(document.readyState==='complete')"
             "r(performance.timing.loadEventEnd-performance.timing.navigationStart);else setTimeout(f,50)};f()})")
load = send("Runtime.evaluate", {"expression": load_expr, "awaitPromise": True, "returnByValue": True},
            session)["result"]["value"]
print(f"chromium: load event {load:.0f} ms (wall {time.time() - started:.1f} s)", flush=True)
send("Browser.close")
proc.wait(timeout=30)
