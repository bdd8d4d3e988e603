#!/usr/bin/env python3
"""sink_hostile.py INTRANSIT CASE — `intransit sink` and `strip-proxy` against the hostile
clients and conditions of issue 14 (RELIABILITY.md items 39, 51, 52, 56, 57), on loopback with
port 0 (no lab needed). One CASE per run, so each is its own ctest:

  strip-utf8  item 51/52: non-UTF-8 bytes (Subject: caf\\xe9, MAIL FROM) through the strip-proxy;
              the upstream's 250 must be relayed and the capture written as valid UTF-8 JSON
  sink-utf8   item 51: \\xff in EHLO and MAIL FROM; `sink report --format json` is valid UTF-8 JSON
  sigterm     item 57: sessions open mid-dialogue (after STARTTLS, in DATA, after a delivery)
              when SIGTERM arrives each get their session row
  pregreet    item 39: a client that sends EHLO before the banner gets 554, the session row
              records it and `sink report` names it as a finding for that sender
  emfile      item 56: the sink at its descriptor limit answers the extra clients 421 (or closes
              them), burns no CPU meanwhile, and serves again once descriptors are free
"""
import json
import os
import resource
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

from checklist import check, exit_status  # tests/integration/checklist.py

INTRANSIT = sys.argv[1]
CASE = sys.argv[2]


def start_sink(store, scenarios, extra=(), nofile=None):
    args = [INTRANSIT, "sink", "--store", store, "--hostname", "sink.test", *extra]
    for s in scenarios:
        args += ["--listen", f"{s}@127.0.0.1:0"]

    def limit():
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit)
    ports = {}
    while len(ports) < len(scenarios):
        line = proc.stdout.readline().decode()
        if not line:
            raise SystemExit("sink exited: " + proc.stderr.read().decode(errors="replace"))
        _, scenario, endpoint = line.split()
        ports[scenario] = int(endpoint.rsplit(":", 1)[1])
    return proc, ports


class Client:
    """A line-oriented SMTP client on bytes, upgradable to TLS."""

    def __init__(self, port, timeout=10, read_banner=True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.banner = self.reply() if read_banner else None

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def reply(self):
        lines = []
        while True:
            while b"\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return lines
                self.buf += chunk
            line, self.buf = self.buf.split(b"\n", 1)
            lines.append(line.rstrip(b"\r").decode(errors="replace"))
            if len(lines[-1]) < 4 or lines[-1][3] != "-":
                return lines

    def cmd(self, data):
        self.send((data if isinstance(data, bytes) else data.encode()) + b"\r\n")
        return self.reply()

    def starttls(self):
        r = self.cmd("STARTTLS")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.sock = ctx.wrap_socket(self.sock, server_hostname="sink.test")
        return r


def rows(store, sql):
    db = sqlite3.connect(store)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def strict_json(raw, what):
    """Parses bytes as JSON only if they are valid UTF-8 (RFC 8259 §8.1)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        check(False, f"{what}: valid UTF-8 JSON ({e})")
        return None


def strip_utf8(tmp):
    # Items 51 and 52: nlohmann::json threw type_error 316 while the proxy wrote its capture, inside
    # the coroutine that relays the upstream's replies: the 250 was never relayed, the capture never
    # written and the connection hung until the 300 s idle timeout.
    proc, ports = start_sink(os.path.join(tmp, "up.db"), ["no-starttls"])
    capture = os.path.join(tmp, "capture.jsonl")
    proxy = subprocess.Popen([INTRANSIT, "strip-proxy", "--listen", "127.0.0.1:0", "--upstream",
                              f"127.0.0.1:{ports['no-starttls']}", "--capture", capture],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    port = int(proxy.stdout.readline().decode().split()[1].rsplit(":", 1)[1])
    try:
        for n in range(2):  # the second message shows the proxy still serves after the first
            c = Client(port)
            c.cmd("EHLO client.test")
            c.cmd(b"MAIL FROM:<caf\xe9@example.org>")
            c.cmd("RCPT TO:<bob@example.org>")
            c.cmd("DATA")
            c.send(b"Subject: caf\xe9\r\nMessage-ID: <utf8-%d@test>\r\n\r\nbody line \xff\xfe\r\n.\r\n" % n)
            started = time.monotonic()
            try:
                r = c.reply()
            except socket.timeout:
                r = ["(timeout)"]
            check(r and r[-1].startswith("250"),
                  f"strip-proxy #{n}: the upstream's 250 reaches the sender ({r[-1] if r else 'nothing'}, "
                  f"{time.monotonic() - started:.1f} s)")
            try:
                q = c.cmd("QUIT")
            except socket.timeout:
                q = ["(timeout)"]
            check(q and q[-1].startswith("221"), f"strip-proxy #{n}: the session goes on after the message ({q[-1] if q else ''})")
            c.sock.close()
    finally:
        proxy.send_signal(signal.SIGTERM)
        proxy.wait(timeout=20)
        stop(proc)
    raw = open(capture, "rb").read() if os.path.exists(capture) else b""
    lines = [l for l in raw.split(b"\n") if l]
    check(len(lines) == 2, f"strip-proxy: two captures written ({len(lines)})")
    for line in lines:
        doc = strict_json(line, "strip-proxy capture")
        if doc:
            check("caf" in doc["mail_from"] and "Subject: caf" in doc["headers"] and doc["upstream_reply"].startswith("250"),
                  f"strip-proxy capture: envelope, headers and reply kept ({doc['mail_from']!r})")
            check("\n" in doc["headers"], "strip-proxy capture: header lines still one per line")


def sink_utf8(tmp):
    # Item 51: an EHLO name and a MAIL FROM with a \xff byte, stored and printed by `sink report`.
    store = os.path.join(tmp, "utf8.db")
    proc, ports = start_sink(store, ["no-starttls"])
    c = Client(ports["no-starttls"])
    check(c.cmd(b"EHLO h\xffst.test")[0].startswith("250"), "sink: EHLO with \\xff answered")
    check(c.cmd(b"MAIL FROM:<\xff@example.org>")[-1].startswith("250"), "sink: MAIL FROM with \\xff answered")
    c.cmd("RCPT TO:<bob@example.org>")
    c.cmd("DATA")
    c.send(b"Subject: \xff\r\n\r\nx\r\n.\r\n")
    check(c.reply()[-1].startswith("250"), "sink: message with \\xff accepted")
    c.cmd("QUIT")
    stop(proc)
    for fmt in ("json", "text"):
        r = subprocess.run([INTRANSIT, "sink", "report", "--store", store, "--format", fmt], capture_output=True)
        check(r.returncode in (0, 1), f"sink report --format {fmt}: exit {r.returncode} ({r.stderr[:200]!r})")
        if fmt == "json":
            doc = strict_json(r.stdout, "sink report --format json")
            check(doc is not None and any("h" in e and "st.test" in e for e in doc["senders"][0]["ehlo"]),
                  "sink report: the EHLO name is shown, escaped")
        else:
            try:
                r.stdout.decode("utf-8")
                check(True, "sink report text: valid UTF-8")
            except UnicodeDecodeError:
                check(False, "sink report text: valid UTF-8")


def sigterm(tmp):
    # Item 57: SIGTERM used to stop the loop at once; sessions still open never got their row, so
    # `sink report` rebuilt them from deliveries alone ("STARTTLS not offered").
    store = os.path.join(tmp, "term.db")
    proc, ports = start_sink(store, ["valid", "no-starttls"])
    after_tls = Client(ports["valid"])
    after_tls.cmd("EHLO tls.test")
    after_tls.starttls()
    after_tls.cmd("EHLO tls.test")
    delivered = Client(ports["valid"])
    delivered.cmd("EHLO delivered.test")
    delivered.starttls()
    delivered.cmd("EHLO delivered.test")
    delivered.cmd("MAIL FROM:<a@example.org>")
    delivered.cmd("RCPT TO:<b@example.org>")
    delivered.cmd("DATA")
    delivered.send("Message-ID: <term-1@test>\r\n\r\nx\r\n.\r\n")
    check(delivered.reply()[-1].startswith("250"), "sigterm: a message delivered over TLS before the signal")
    in_data = Client(ports["no-starttls"])
    in_data.cmd("EHLO data.test")
    in_data.cmd("MAIL FROM:<a@example.org>")
    in_data.cmd("RCPT TO:<b@example.org>")
    in_data.cmd("DATA")
    in_data.send("Message-ID: <term-2@test>\r\n\r\nhalf a mess")
    time.sleep(0.3)
    started = time.monotonic()
    code = stop(proc)
    check(code == 0, f"sigterm: the sink exits 0 ({code}) in {time.monotonic() - started:.1f} s")
    sessions = {r[0]: r[1:] for r in rows(store, "SELECT ehlo, scenario, starttls_offered, tls, end_reason FROM sessions")}
    check(sessions.get("tls.test", (None,))[:3] == ("valid", 1, "ok"), f"sigterm: the session after STARTTLS has its row {sessions.get('tls.test')}")
    check(sessions.get("delivered.test", (None,))[:3] == ("valid", 1, "ok"),
          f"sigterm: the session that delivered has its row {sessions.get('delivered.test')}")
    check(sessions.get("data.test", (None,))[:1] == ("no-starttls",), f"sigterm: the session in DATA has its row {sessions.get('data.test')}")
    check(len(sessions) == 3 and all(v[3] == "shutdown" for v in sessions.values()),
          f"sigterm: all three recorded as ended by the shutdown {sessions}")
    orphans = rows(store, "SELECT COUNT(*) FROM deliveries WHERE session_id NOT IN (SELECT id FROM sessions)")[0][0]
    check(orphans == 0, f"sigterm: no delivery without its session row ({orphans})")
    half = rows(store, "SELECT accepted, reply FROM deliveries WHERE message_id = '<term-2@test>'")
    check(len(half) == 1 and half[0][0] == 0 and "stopped" in half[0][1], f"sigterm: the message cut off in DATA is recorded as such {half}")
    r = subprocess.run([INTRANSIT, "sink", "report", "--store", store, "--format", "json"], capture_output=True, text=True)
    doc = json.loads(r.stdout)
    valid = [a for a in doc["senders"][0]["attempts"] if a["scenario"] == "valid"]
    check(len(valid) == 2 and all(a["starttls_offered"] and a["tls_outcome"] == "ok" for a in valid),
          f"sigterm: sink report says STARTTLS was offered and used on 'valid' {[(a['starttls_offered'], a['tls_outcome']) for a in valid]}")
    for c in (after_tls, delivered, in_data):
        c.sock.close()


def pregreet(tmp):
    # Item 39: an early talker (Postfix postscreen's pregreet test). The banner's first line goes out
    # at once ("220-"), the last after --greet-wait (default 0.5 s); a client must not speak before.
    store = os.path.join(tmp, "pregreet.db")
    proc, ports = start_sink(store, ["valid", "no-starttls"])
    early = socket.create_connection(("127.0.0.1", ports["no-starttls"]), timeout=10)
    early.sendall(b"EHLO early.test\r\n")
    got = b""
    try:
        while True:
            chunk = early.recv(4096)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        got += b"(timeout)"
    early.close()
    check(b"\r\n554 5.5.0" in got and got.endswith(b"\r\n"), f"pregreet: answered 554 and closed ({got[-80:]!r})")
    # A patient client on the same sink is served normally.
    c = Client(ports["no-starttls"])
    check(len(c.banner) == 2 and c.banner[-1].startswith("220 "), f"pregreet: a patient client gets the whole banner {c.banner}")
    check(c.cmd("EHLO patient.test")[0].startswith("250"), "pregreet: a patient client is served")
    c.cmd("QUIT")
    stop(proc)
    recorded = rows(store, "SELECT pregreet, end_reason FROM sessions ORDER BY id")
    check(recorded[:1] == [(1, "pregreet")] and all(r[0] == 0 for r in recorded[1:]),
          f"pregreet: the session row records the early talker only {recorded}")
    r = subprocess.run([INTRANSIT, "sink", "report", "--store", store, "--format", "json"], capture_output=True, text=True)
    doc = json.loads(r.stdout)
    ids = [b["id"] for s in doc["senders"] for b in s["behaviours"]]
    check("talks-before-greeting" in ids, f"pregreet: sink report names the finding {ids}")
    text = subprocess.run([INTRANSIT, "sink", "report", "--store", store], capture_output=True, text=True).stdout
    check("before the server's greeting" in text, "pregreet: sink report text says so in words")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def emfile(tmp):
    # Item 56: at RLIMIT_NOFILE, accept() failing with EMFILE used to be retried at once, forever: a
    # core spun and the clients waiting in the backlog got neither a banner nor a 421.
    store = os.path.join(tmp, "emfile.db")
    proc, ports = start_sink(store, ["no-starttls"], nofile=40)
    port = ports["no-starttls"]
    # One session that ends in EOF before the descriptors run out: UBSan's first type check of
    # Asio's error category (on that first EOF) opens /proc/self/maps, which it cannot do at the
    # limit, and would then report a false "invalid vptr" and end the sink (the ASan build only).
    warm = Client(port, timeout=10)
    warm.cmd("QUIT")
    warm.sock.close()
    early = socket.create_connection(("127.0.0.1", port), timeout=3)
    early.close()
    time.sleep(0.7)
    held = []
    for _ in range(40):  # more than the limit: some of these reach the sink, the rest wait
        s = socket.create_connection(("127.0.0.1", port), timeout=3)
        try:
            if s.recv(200).startswith(b"220"):
                held.append(s)
                continue
        except socket.timeout:
            pass
        s.close()
        break
    check(5 < len(held) < 40, f"emfile: the sink served {len(held)} clients before its descriptors ran out")
    before = cpu_seconds(proc.pid)
    extra = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(5)]
    answers = []
    for s in extra:
        try:
            answers.append(s.recv(200))
        except socket.timeout:
            answers.append(b"(silence)")
        s.close()
    time.sleep(2)
    used = cpu_seconds(proc.pid) - before
    check(all(a.startswith(b"421") or a == b"" for a in answers), f"emfile: extra clients get 421 or a clean close {answers}")
    check(used < 1.0, f"emfile: {used:.2f} s of CPU over the {2 + 0.1 * len(extra):.0f}+ s at the limit (no busy loop)")
    for s in held:
        s.close()
    time.sleep(1.5)
    c = Client(port, timeout=10)
    check(c.banner and c.banner[-1].startswith("220"), f"emfile: serves again once descriptors are free {c.banner}")
    check(c.cmd("EHLO again.test")[0].startswith("250"), "emfile: the new session works")
    c.cmd("QUIT")
    check(stop(proc) == 0, "emfile: the sink still stops cleanly")


def main():
    cases = {"strip-utf8": strip_utf8, "sink-utf8": sink_utf8, "sigterm": sigterm, "pregreet": pregreet, "emfile": emfile}
    with tempfile.TemporaryDirectory() as tmp:
        cases[CASE](tmp)
    return exit_status(CASE)


if __name__ == "__main__":
    sys.exit(main())
