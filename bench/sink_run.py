#!/usr/bin/env python3
"""sink_run.py INTRANSIT MESSAGES RUNS — the measuring half of bench/sink (see there)."""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

intransit, messages, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SESSIONS = 50
RUN_AS = ["-u", "nobody"] if os.geteuid() == 0 else []  # smtp-sink refuses to run as root


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port):
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.025)
    raise SystemExit(f"nothing listens on {port}")


def run_once(start):
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="bench-sink-", dir=start.get("dir"))
    os.chmod(workdir, 0o777)  # smtp-sink -D writes as nobody
    server = subprocess.Popen([a.format(port=port, dir=workdir) for a in start["cmd"]],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        t0 = time.perf_counter()
        subprocess.run(["/usr/sbin/smtp-source", "-s", str(SESSIONS), "-m", str(messages), "-f", "bench@source.test",
                        "-t", "sink@sink.test", f"127.0.0.1:{port}"], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


# --greet-wait 0: the pre-greeting test (RELIABILITY item 39) holds each new client address 0.5 s once;
# smtp-sink has no such test, so the comparison leaves it out.
targets = [
    ("`intransit sink` (SQLite on disk, fsync before 250)",
     {"cmd": [intransit, "sink", "--listen", "no-starttls@127.0.0.1:{port}", "--store", "{dir}/s.db", "--greet-wait", "0"], "dir": None}),
    ("`intransit sink` (SQLite on tmpfs)",
     {"cmd": [intransit, "sink", "--listen", "no-starttls@127.0.0.1:{port}", "--store", "{dir}/s.db", "--greet-wait", "0"], "dir": "/dev/shm"}),
    ("Postfix `smtp-sink` (discards)", {"cmd": ["/usr/sbin/smtp-sink", *RUN_AS, "127.0.0.1:{port}", "256"], "dir": None}),
    ("Postfix `smtp-sink -D` (appends to a file, no fsync)",
     {"cmd": ["/usr/sbin/smtp-sink", *RUN_AS, "-D", "{dir}/dump", "127.0.0.1:{port}", "256"], "dir": None}),
]
results = []
for name, start in targets:
    run_once(start)  # warm-up
    times = [run_once(start) for _ in range(runs)]
    results.append((name, statistics.median(times)))
ours = results[0][1]
print(f"\n{messages} messages, {SESSIONS} concurrent smtp-source sessions, {runs} runs each (median)\n")
print("| receiver | median | messages/s | time / intransit sink (disk) |\n|---|---|---|---|")
for name, t in results:
    print(f"| {name} | {t:.2f} s | {messages / t:,.0f} | {t / ours:.2f}× |")
