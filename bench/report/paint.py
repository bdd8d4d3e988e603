#!/usr/bin/env python3
"""paint.py PAGE — opens PAGE in headless chromium and prints its first contentful paint and load
time (issue 17: under 3 s for a 100,000-domain page). A minimal copy of the DevTools-over-a-pipe
driver in tests/integration/report_browser.py. Host names resolve to nothing in the browser: no
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
expr = ("new Promise(r=>{const f=()=>{const e=performance.getEntriesByName('first-contentful-paint')[0];"
        "if(e&&document.readyState==='complete')r([e.startTime,performance.timing.loadEventEnd-performance.timing.navigationStart]);"
        "else setTimeout(f,50)};f()})")
res = send("Runtime.evaluate", {"expression": expr, "awaitPromise": True, "returnByValue": True}, session)
fcp, load = res["result"]["value"]
print(f"chromium: first contentful paint {fcp:.0f} ms, load event {load:.0f} ms (wall {time.time() - started:.1f} s)")
send("Browser.close")
proc.wait(timeout=30)
