"""browser_cdp.py — Debian's headless chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe; Python standard library only), for the report and serve browser
tests. Host names resolve to nothing inside the browser unless the caller maps them
(--host-resolver-rules), so even a mistake could not leave the machine."""
import base64
import fcntl
import json
import os
import shutil
import subprocess
import time

CHROMIUM = shutil.which("chromium")


class Browser:
    """chromium --remote-debugging-pipe: the browser reads commands on fd 3 and writes replies and
    events on fd 4, each a JSON text ended by a NUL byte."""

    def __init__(self, profile, shots, host_rules="MAP * ~NOTFOUND"):
        self.shots = shots
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # Out of the way of 3 and 4 before dup2 in the child.
        to_child_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        from_child_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)

        def fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--window-size=1280,900", "--no-first-run",
             "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--disable-default-apps", f"--host-resolver-rules={host_rules}",
             "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while True:
            e = self._read_message(deadline)
            if e.get("method") == method:
                return e
            self.events.append(e)

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(domain + ".enable")

    def eval(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluate: {r['exceptionDetails']}")
        return r["result"].get("value")

    def load(self, path):
        """Navigates to a file (a path) or a URL (http:...); (other requests, errors, seconds)."""
        self.events.clear()
        url = path if path.startswith(("http:", "https:")) else "file://" + os.path.abspath(path)
        started = time.time()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired", timeout=60)
        load_seconds = time.time() - started
        time.sleep(0.3)  # late console messages
        self.send("Runtime.evaluate", {"expression": "1"})  # drain events
        requests = [e["params"]["request"]["url"] for e in self.events
                    if e.get("method") == "Network.requestWillBeSent" and e["params"]["request"]["url"] != url]
        errors = [json.dumps(e["params"])[:300] for e in self.events
                  if e.get("method") == "Runtime.exceptionThrown"
                  or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "warning", "assert"))
                  or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))]
        return requests, errors, load_seconds

    def screenshot(self, name):
        png = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(os.path.join(self.shots, name + ".png"), "wb") as f:
            f.write(base64.b64decode(png))

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
