#!/usr/bin/env python3
"""sink_load.py INTRANSIT — `intransit sink` under Postfix's own load generator (issue 6), on
loopback with port 0:
  1. smtp-source sends 10,000 messages over 50 concurrent sessions and exits 0 (it stops at
     the first reply that is not 2xx): the store must hold exactly 10,000 accepted deliveries,
     the sink must have answered no command with an error, one session row per connection, and
     the store must pass integrity_check;
  2. the same load again, and the sink is killed with SIGKILL in the middle of it. smtp-source's
     -c counter counts messages *sent* (it advances before the reply to the final dot — checked
     against a server that never answers it), so up to 50 of them (one per session) were in
     flight without a 250: the store must hold at least counter - 50. The per-message proof,
     "every 250 is in the store", is sink.cli's crash test, whose client records each 250. The
     store passes integrity_check and a restarted sink continues on the same file.
No timing is asserted; bench/sink measures throughput.
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

from checklist import check, exit_status  # tests/integration/checklist.py

INTRANSIT = sys.argv[1]
SMTP_SOURCE = "/usr/sbin/smtp-source"


def start_sink(store):
    proc = subprocess.Popen([INTRANSIT, "sink", "--listen", "no-starttls@127.0.0.1:0", "--store", store],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("listening "):
        raise SystemExit("sink did not start")
    return proc, line.split()[2]


def smtp_source(endpoint, messages, sessions=50):
    return subprocess.Popen([SMTP_SOURCE, "-s", str(sessions), "-m", str(messages), "-c", "-f", "load@source.test",
                             "-t", "sink@sink.test", endpoint], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def last_count(stdout):
    numbers = [t for t in stdout.decode().replace("\n", "\r").split("\r") if t.strip().isdigit()]
    return int(numbers[-1]) if numbers else 0


def query(store, sql):
    db = sqlite3.connect(store)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "load.db")
        sink, endpoint = start_sink(store)
        source = smtp_source(endpoint, 10_000)
        out, err = source.communicate(timeout=900)
        sink.terminate()
        sink.wait(timeout=60)
        acked = last_count(out)
        check(source.returncode == 0, f"smtp-source finished without error ({err.decode().strip()[-200:]})")
        check(acked == 10_000, f"smtp-source sent {acked} messages, every reply 2xx (exit 0)")
        accepted = query(store, "SELECT COUNT(*) FROM deliveries WHERE accepted = 1")[0][0]
        check(accepted == acked, f"store holds exactly the {acked} accepted deliveries ({accepted})")
        sessions, errors = query(store, "SELECT COUNT(*), SUM(errors) FROM sessions")[0]
        check(sessions == 10_000, f"one session row per connection ({sessions})")
        check(errors == 0, f"no command was answered with an error ({errors})")
        check(query(store, "PRAGMA integrity_check") == [("ok",)], "store passes integrity_check")

        crash = os.path.join(tmp, "crash.db")
        sink, endpoint = start_sink(crash)
        source = smtp_source(endpoint, 1_000_000)
        deadline = time.time() + 300
        while time.time() < deadline:
            time.sleep(0.1)
            try:
                if query(crash, "SELECT COUNT(*) FROM deliveries")[0][0] >= 2000:
                    break
            except sqlite3.OperationalError:
                pass  # the tables may not exist yet
        sink.kill()  # SIGKILL mid-load
        sink.wait()
        out, _ = source.communicate(timeout=120)
        acked = last_count(out)
        stored = query(crash, "SELECT COUNT(*) FROM deliveries WHERE accepted = 1")[0][0]
        check(acked >= 2000 - 100 and source.returncode != 0, f"smtp-source was cut off mid-load after {acked} messages sent")
        check(stored >= acked - 50, f"kill -9: {acked} sent, {stored} in the store (at most 50 were in flight)")
        check(query(crash, "PRAGMA integrity_check") == [("ok",)], "kill -9: store passes integrity_check")
        sink, endpoint = start_sink(crash)
        source = smtp_source(endpoint, 100, sessions=5)
        out, _ = source.communicate(timeout=120)
        sink.terminate()
        sink.wait(timeout=60)
        after = query(crash, "SELECT COUNT(*) FROM deliveries WHERE accepted = 1")[0][0]
        check(source.returncode == 0 and after == stored + last_count(out),
              f"restart on the same store: {last_count(out)} more accepted ({stored} -> {after})")
    return exit_status()


sys.exit(main())
