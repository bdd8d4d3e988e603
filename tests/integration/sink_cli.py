#!/usr/bin/env python3
"""sink_cli.py INTRANSIT — `intransit sink` end to end on loopback (port 0, no lab needed).

Each scenario is driven by a real TLS client (Python's ssl, OpenSSL underneath) and checked in
the reply *and* in the store; then the hostile clients of RELIABILITY.md items 38-48 (long lines,
STARTTLS injection, SMTP smuggling, recipient and error floods, over-size messages, hostile
paths, a client that leaves mid-DATA, the connection cap), each followed by a good delivery to
show the sink still serves others; then `kill -9` during a burst of deliveries: every message
that got a 250 must be in the store. `sink report` is checked on what these clients did.
"""
import json
import os
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from checklist import check, exit_status  # tests/integration/checklist.py
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.0 on purpose

INTRANSIT = sys.argv[1]
SCENARIOS = ["valid", "no-starttls", "starttls-refused", "handshake-fails", "self-signed", "expired",
             "wrong-name", "tls10-only", "requiretls"]


def start_sink(store):
    args = [INTRANSIT, "sink", "--store", store, "--hostname", "sink.test"]
    for s in SCENARIOS:
        args += ["--listen", f"{s}@127.0.0.1:0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ports = {}
    while len(ports) < len(SCENARIOS):
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("sink exited: " + proc.stderr.read())
        _, scenario, endpoint = line.split()
        ports[scenario] = int(endpoint.rsplit(":", 1)[1])
    return proc, ports


class Client:
    """A line-oriented SMTP client over a socket that can be upgraded to TLS."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""
        self.banner = self.reply()

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

    def cmd(self, text):
        self.send(text + "\r\n")
        return self.reply()

    def starttls(self, context=None):
        r = self.cmd("STARTTLS")
        if not r or not r[-1].startswith("220"):
            return r
        ctx = context or unverified()
        self.sock = ctx.wrap_socket(self.sock, server_hostname="sink.test")
        return r

    def deliver(self, rcpts=("bob@example.org",), body="Subject: t\r\nMessage-ID: <m1@test>\r\n\r\nhello\r\n", mail_params=""):
        r = self.cmd("MAIL FROM:<alice@example.org>" + mail_params)
        if not r or not r[-1].startswith("250"):
            return r
        for rcpt in rcpts:
            self.cmd(f"RCPT TO:<{rcpt}>")
        r = self.cmd("DATA")
        if not r or not r[-1].startswith("354"):
            return r
        self.send(body + ".\r\n")
        return self.reply()


def unverified(legacy=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if legacy:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
    return ctx


def store_rows(store, sql):
    db = sqlite3.connect(store)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def good_delivery(ports, tag):
    c = Client(ports["valid"])
    c.cmd("EHLO client.test")
    c.starttls()
    c.cmd("EHLO client.test")
    r = c.deliver(body=f"Message-ID: <{tag}@test>\r\n\r\nafter {tag}\r\n")
    c.cmd("QUIT")
    check(r and r[-1].startswith("250 2.0.0"), f"after {tag}: a good client still gets its mail accepted")


def scenarios(ports, store):
    # valid: STARTTLS offered, TLS 1.2+, delivery recorded with TLS facts and Message-ID.
    c = Client(ports["valid"])
    check(c.banner[-1].startswith("220 sink.test"), "valid: banner (its last line: the first may be 220-, item 39)")
    ehlo = c.cmd("EHLO client.test")
    check(any("STARTTLS" in l for l in ehlo), "valid: STARTTLS offered")
    check(not any("REQUIRETLS" in l for l in ehlo), "valid: REQUIRETLS not offered in plaintext")
    c.starttls()
    after = c.cmd("EHLO client.test")
    check(not any("STARTTLS" in l for l in after), "valid: no STARTTLS after TLS")
    r = c.deliver(mail_params=" REQUIRETLS")
    check(r[-1].startswith("555"), "valid: REQUIRETLS refused where it is not offered")
    r = c.deliver(body="Subject: t\r\nMessage-ID: <valid-1@test>\r\n\r\nhi\r\n..stuffed\r\n")
    check(r[-1].startswith("250 2.0.0"), "valid: delivered over TLS")
    version = c.sock.version()
    c.cmd("QUIT")

    # no-starttls: no STARTTLS in EHLO, a STARTTLS command is refused, plaintext delivery works.
    c = Client(ports["no-starttls"])
    check(not any("STARTTLS" in l for l in c.cmd("EHLO client.test")), "no-starttls: not offered")
    check(c.cmd("STARTTLS")[-1].startswith("502"), "no-starttls: STARTTLS command answered 502")
    check(c.deliver(body="Message-ID: <plain-1@test>\r\n\r\nx\r\n")[-1].startswith("250"), "no-starttls: plaintext delivery")
    c.cmd("QUIT")

    c = Client(ports["starttls-refused"])
    c.cmd("EHLO client.test")
    check(c.cmd("STARTTLS")[-1].startswith("454 4.7.0"), "starttls-refused: 454")
    c.cmd("QUIT")

    c = Client(ports["handshake-fails"])
    c.cmd("EHLO client.test")
    try:
        c.starttls()
        check(False, "handshake-fails: the handshake must fail")
    except ssl.SSLError as e:
        check("HANDSHAKE_FAILURE" in str(e).upper(), f"handshake-fails: client sees a handshake_failure alert ({e.reason})")

    certs = {}
    for name in ("self-signed", "expired", "wrong-name"):
        c = Client(ports[name])
        c.cmd("EHLO client.test")
        c.starttls()
        certs[name] = ssl.DER_cert_to_PEM_cert(c.sock.getpeercert(binary_form=True))
        c.cmd("EHLO client.test")
        if name == "self-signed":  # an unverifying client delivers; the others stop at the certificate
            check(c.deliver()[-1].startswith("250"), "self-signed: delivered by a client that does not verify")
        c.cmd("QUIT")
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as f:
        f.write(certs["expired"])
        f.flush()
        end = subprocess.run(["openssl", "x509", "-in", f.name, "-noout", "-checkend", "0"], capture_output=True)
        check(end.returncode == 1, "expired: the certificate presented has expired")

    c = Client(ports["tls10-only"])
    c.cmd("EHLO client.test")
    c.starttls(unverified(legacy=True))
    check(c.sock.version() == "TLSv1", f"tls10-only: negotiated {c.sock.version()}")
    c.cmd("EHLO client.test")
    check(c.deliver()[-1].startswith("250"), "tls10-only: delivered over TLS 1.0")
    c.cmd("QUIT")
    c = Client(ports["tls10-only"])
    c.cmd("EHLO client.test")
    try:
        c.starttls()  # Python's default context insists on TLS 1.2
        check(False, "tls10-only: a modern client must fail the handshake")
    except (ssl.SSLError, OSError):
        check(True, "tls10-only: a modern client fails the handshake")

    c = Client(ports["requiretls"])
    c.cmd("EHLO client.test")
    c.starttls()
    check(any("REQUIRETLS" in l for l in c.cmd("EHLO client.test")), "requiretls: advertised after TLS")
    check(c.deliver(mail_params=" REQUIRETLS", body="Message-ID: <rt-1@test>\r\n\r\nx\r\n")[-1].startswith("250"),
          "requiretls: MAIL FROM REQUIRETLS accepted")
    c.cmd("QUIT")
    time.sleep(0.3)  # session rows are written when the session ends

    rows = store_rows(store, "SELECT scenario, tls, tls_version, message_id, accepted, requiretls FROM deliveries")
    check(("valid", 1, version, "<valid-1@test>", 1, 0) in rows, f"store: valid delivery with {version} and its Message-ID")
    check(("no-starttls", 0, "", "<plain-1@test>", 1, 0) in rows, "store: plaintext delivery")
    check(("requiretls", 1, "TLSv1.3", "<rt-1@test>", 1, 1) in rows, "store: REQUIRETLS recorded")
    sessions = store_rows(store, "SELECT scenario, tls, tls_error FROM sessions")
    check(("starttls-refused", "refused", "") in sessions, "store: refused STARTTLS session")
    check(any(s[0] == "handshake-fails" and s[1] == "failed" for s in sessions), "store: failed handshake session")
    sizes = store_rows(store, "SELECT size FROM deliveries WHERE message_id = '<valid-1@test>'")
    check(sizes == [(len("Subject: t\r\nMessage-ID: <valid-1@test>\r\n\r\nhi\r\n.stuffed\r\n"),)], f"store: dot-unstuffed size {sizes}")


def hostile(ports, store):
    # Item 38: a 3 MB line without CRLF is skipped to its end and answered 500; the session goes on.
    c = Client(ports["no-starttls"])
    c.send(b"EHLO " + b"a" * 3_000_000 + b"\r\n")
    check(c.reply()[-1].startswith("500 5.5.0"), "long line: 500 line too long")
    check(c.cmd("EHLO client.test")[0].startswith("250"), "long line: the session stays in sync")
    c.cmd("QUIT")
    good_delivery(ports, "long-line")

    # Item 40: STARTTLS with a command pipelined behind it; the plaintext must never be answered.
    c = Client(ports["valid"])
    c.cmd("EHLO client.test")
    c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n")
    r = c.reply()
    check(r[-1].startswith("220"), "injection: 220 to STARTTLS")
    c.sock = unverified().wrap_socket(c.sock, server_hostname="sink.test")
    ehlo = c.cmd("EHLO client.test")
    check(ehlo[0].startswith("250"), "injection: the injected MAIL was discarded (the next reply answers EHLO)")
    c.cmd("QUIT")
    time.sleep(0.2)
    check(store_rows(store, "SELECT COUNT(*) FROM sessions WHERE starttls_injection = 1")[0][0] == 1, "injection: recorded")

    # Item 41: SMTP smuggling: <LF>.<LF> and <LF>.<CR><LF> must not end the data.
    c = Client(ports["no-starttls"])
    c.cmd("EHLO client.test")
    c.cmd("MAIL FROM:<a@example.org>")
    c.cmd("RCPT TO:<b@example.org>")
    c.cmd("DATA")
    c.send("Message-ID: <smuggle@test>\r\n\r\nbody\n.\nMAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\nDATA\r\nx\n.\r\nmore\r\n.\r\n")
    r = c.reply()
    check(r[-1].startswith("250"), f"smuggling: one message, ended only by <CRLF>.<CRLF> ({r[-1][:40]})")
    check(c.cmd("NOOP")[-1].startswith("250"), "smuggling: no smuggled command was answered")
    c.cmd("QUIT")
    time.sleep(0.2)
    rows = store_rows(store, "SELECT bare_line_ends, rcpt_to FROM deliveries WHERE message_id = '<smuggle@test>'")
    check(rows == [(1, "b@example.org")], f"smuggling: one delivery, bare line ends recorded {rows}")

    # Item 44: recipient flood.
    c = Client(ports["no-starttls"])
    c.cmd("EHLO client.test")
    c.cmd("MAIL FROM:<a@example.org>")
    batch = "".join(f"RCPT TO:<r{i}@example.org>\r\n" for i in range(1001))
    c.send(batch)  # pipelined, as PIPELINING allows
    replies = [c.reply()[-1] for _ in range(1001)]
    check(all(r.startswith("250") for r in replies[:1000]) and replies[1000].startswith("452 4.5.3"),
          "recipient flood: 1000 accepted, then 452")
    c.cmd("QUIT")

    # Item 45: over the size limit: 552 after the final dot, nothing accepted.
    c = Client(ports["no-starttls"])
    c.cmd("EHLO client.test")
    check(c.cmd("MAIL FROM:<a@example.org> SIZE=20000000")[-1].startswith("552"), "size: SIZE= over the limit refused at MAIL")
    c.cmd("MAIL FROM:<a@example.org>")
    c.cmd("RCPT TO:<b@example.org>")
    c.cmd("DATA")
    c.send(b"Message-ID: <huge@test>\r\n\r\n" + (b"x" * 998 + b"\r\n") * 10_500)
    c.send(b".\r\n")
    check(c.reply()[-1].startswith("552 5.3.4"), "size: 10.5 MB message refused with 552")
    c.cmd("QUIT")
    time.sleep(0.2)
    check(store_rows(store, "SELECT accepted FROM deliveries WHERE message_id = '<huge@test>'") == [(0,)],
          "size: recorded as not accepted")

    # Item 48: hostile paths and EHLO names.
    c = Client(ports["no-starttls"])
    check(c.cmd("EHLO bad\x00name")[-1].startswith("501"), "hostile EHLO: NUL refused")
    c.cmd("EHLO client.test")
    check(c.cmd("MAIL FROM:<`reboot`;@x\x01>")[-1].startswith("501"), "hostile MAIL FROM: control byte refused")
    check(c.cmd("MAIL FROM:<" + "a" * 300 + "@x>")[-1].startswith("501"), "hostile MAIL FROM: over-long path refused")
    c.cmd("QUIT")

    # Item 43: error flood: 421 after 20 errors.
    c = Client(ports["no-starttls"])
    c.send("".join("XYZZY\r\n" for _ in range(40)))
    replies = []
    while True:
        r = c.reply()
        if not r:
            break
        replies.append(r[-1])
    check(replies[-1].startswith("421") and len(replies) <= 22, f"error flood: 421 after {len(replies) - 1} errors, then hang-up")

    # Item 46: a client that leaves mid-DATA: nothing accepted, the attempt recorded.
    c = Client(ports["no-starttls"])
    c.cmd("EHLO client.test")
    c.cmd("MAIL FROM:<a@example.org>")
    c.cmd("RCPT TO:<b@example.org>")
    c.cmd("DATA")
    c.send("Message-ID: <left@test>\r\n\r\nhalf a messa")
    c.sock.close()
    time.sleep(0.3)
    rows = store_rows(store, "SELECT accepted, reply FROM deliveries WHERE message_id = '<left@test>'")
    check(len(rows) == 1 and rows[0][0] == 0 and "left during DATA" in rows[0][1], f"mid-DATA: not accepted {rows}")
    good_delivery(ports, "floods")

    # Item 42: the connection cap (256): one more is answered 421 at once; then all is well again.
    held = []
    for _ in range(256):
        s = socket.create_connection(("127.0.0.1", ports["no-starttls"]), timeout=20)
        s.recv(100)
        held.append(s)
    extra = socket.create_connection(("127.0.0.1", ports["valid"]), timeout=20)
    check(extra.recv(200).startswith(b"421 4.3.2"), "connection cap: the 257th connection gets 421")
    extra.close()
    for s in held:
        s.close()
    time.sleep(0.5)
    good_delivery(ports, "connection-cap")


def slow_clients(tmp):
    """RELIABILITY items 42 and 49 with --timeout 2: a silent client, a 1-byte-per-second DATA
    drip (below the 500 B/s minimum rate) and a STARTTLS whose handshake never starts are all
    cut off and recorded as timeouts, while a normal client is served meanwhile."""
    store = os.path.join(tmp, "slow.db")
    args = [INTRANSIT, "sink", "--store", store, "--timeout", "2", "--listen", "valid@127.0.0.1:0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(proc.stdout.readline().split()[2].rsplit(":", 1)[1])
    ports = {"valid": port}
    silent = Client(port)
    drip = Client(port)
    drip.cmd("EHLO drip.test")
    drip.cmd("MAIL FROM:<a@example.org>")
    drip.cmd("RCPT TO:<b@example.org>")
    drip.cmd("DATA")
    handshake = Client(port)
    handshake.cmd("EHLO hs.test")
    handshake.cmd("STARTTLS")  # and never a ClientHello
    good_delivery(ports, "slow clients")
    cut = []
    for i in range(30):  # at most 30 s of dripping; the sink must cut it off long before
        try:
            drip.send("x")
            time.sleep(1)
        except OSError:
            break
        if drip.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
            break
    for c in (silent, drip, handshake):
        try:
            c.sock.settimeout(30)
            cut.append(c.sock.recv(100) == b"")
        except OSError:
            cut.append(True)
    proc.terminate()
    proc.wait()
    check(all(cut), f"slow clients: the silent one, the dripping one and the stalled handshake were cut off {cut}")
    reasons = sorted(r[0] for r in store_rows(store, "SELECT end_reason FROM sessions WHERE ehlo != 'client.test'"))
    check(reasons == ["handshake-failed", "timeout", "timeout"], f"slow clients: recorded as {reasons}")
    rows = store_rows(store, "SELECT accepted, reply FROM deliveries WHERE ehlo = 'drip.test'")
    check(len(rows) == 1 and rows[0][0] == 0 and "deadline" in rows[0][1], f"slow clients: the drip is not accepted {rows}")


def crash(store):
    """kill -9 during 50 concurrent senders: every 250 must be in the store afterwards."""
    proc, ports = start_sink(store)
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def sender(n):
        i = 0
        while not stop.is_set():
            try:
                c = Client(ports["no-starttls"])
                c.cmd("EHLO client.test")
                for _ in range(20):
                    mid = f"<crash-{n}-{i}@test>"
                    i += 1
                    r = c.deliver(body=f"Message-ID: {mid}\r\n\r\nx\r\n")
                    if r and r[-1].startswith("250"):
                        with lock:
                            acknowledged.append(mid)
                    else:
                        return
            except OSError:
                return

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    while len(acknowledged) < 1000:
        time.sleep(0.01)
    proc.kill()  # SIGKILL: no flush, no goodbye
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    stored = {r[0] for r in store_rows(store, "SELECT message_id FROM deliveries WHERE accepted = 1")}
    missing = [m for m in acknowledged if m not in stored]
    check(not missing, f"kill -9: all {len(acknowledged)} acknowledged messages are in the store ({len(stored)} stored)")
    check(store_rows(store, "PRAGMA integrity_check") == [("ok",)], "kill -9: the store passes integrity_check")
    # The sink starts again on the same store and numbers sessions after the old ones.
    proc, ports = start_sink(store)
    good_delivery(ports, "restart")
    proc.terminate()
    proc.wait()


def report(store):
    r = subprocess.run([INTRANSIT, "sink", "report", "--store", store, "--format", "json"], capture_output=True, text=True)
    check(r.returncode == 1, f"report: exit 1 for a sender that falls back ({r.returncode})")
    doc = json.loads(r.stdout)
    import schema_check; schema_check.validate(doc)  # tests/integration/schema_check.py: docs/schema (issue 15 §3)
    check(doc["schema"] == "intransit.sink-report/1", "report: schema")
    sender = doc["senders"][0]
    check(sender["client"] == "127.0.0.1" and sender["verdict"] == "plaintext-fallback", f"report: verdict {sender['verdict']}")
    ids = {b["id"] for b in sender["behaviours"]}
    check({"plaintext-fallback", "accepts-any-certificate", "checks-certificates", "uses-requiretls", "accepts-tls10",
           "uses-starttls"} <= ids,
          f"report: behaviours {sorted(ids)}")
    for a in sender["attempts"]:
        for key in ("client", "scenario", "tls", "tls_version", "delivered"):
            if key not in a:
                check(False, f"report: attempt lacks {key}")
    text = subprocess.run([INTRANSIT, "sink", "report", "--store", store], capture_output=True, text=True).stdout
    check("delivers in plaintext when STARTTLS is missing or stripped" in text, "report: plain words in text")
    missing = subprocess.run([INTRANSIT, "sink", "report", "--store", store + ".none"], capture_output=True, text=True)
    check(missing.returncode == 3, "report: exit 3 for a store that cannot be read")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "sink.db")
        proc, ports = start_sink(store)
        try:
            scenarios(ports, store)
            hostile(ports, store)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        check(proc.returncode == 0, "sink: exits 0 on SIGTERM")
        report(store)
        bad = subprocess.run([INTRANSIT, "sink", "--store", store, "--listen", "nonsense@127.0.0.1:0"], capture_output=True)
        check(bad.returncode == 2, "usage: unknown scenario is a usage error")
        # The same options from a file (one [section] per command).
        config = os.path.join(tmp, "sink.toml")
        with open(config, "w") as f:
            f.write(f'[sink]\nstore = "{tmp}/config.db"\nlisten = ["valid@127.0.0.1:0", "no-starttls@127.0.0.1:0"]\n')
        proc = subprocess.Popen([INTRANSIT, "--config", config, "sink"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines = [proc.stdout.readline().split()[1] for _ in range(2)]
        proc.terminate()
        proc.wait()
        check(lines == ["valid", "no-starttls"] and os.path.exists(f"{tmp}/config.db"), f"config file: listeners {lines}")
        slow_clients(tmp)
        crash(os.path.join(tmp, "crash.db"))
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
