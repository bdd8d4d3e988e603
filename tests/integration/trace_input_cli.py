#!/usr/bin/env python3
"""trace_input_cli.py INTRANSIT DATA_DIR — `intransit trace` on inputs that are more than a file
read once (issue 14, no lab):
  RELIABILITY.md item 53: an mbox that shrinks, grows or is replaced while it is read: no SIGBUS,
    the messages read are reported, stderr says the file changed, exit 3;
  item 54: a pipe given as a path (`<(cat box)`, /dev/stdin) loses no byte; an empty input,
    garbage, /dev/zero (bounded), `- </dev/null`, an mbox whose only message is unreadable, an
    unreadable Maildir: exit 3 with the reason, never "no plaintext hop"; Maildir++ folders read;
  item 37 (issue item 10): a 200 MB Received line costs bounded memory (peak RSS of the process,
    from wait4(2), not a wall clock), and what was cut is reported;
  item 61: one unparseable message in a stream yields one result."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

intransit, data = sys.argv[1:3]
here = os.path.dirname(os.path.abspath(__file__))
failures = []
GOOD = open(f"{data}/tls-path.eml", "rb").read()
FROM = b"From good@example.org Sat Nov 28 10:00:00 2026\n"


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def startup_rss():
    """Peak RSS (MiB) of the executable doing nothing (--version): under ASan it grows with the
    size of the binary (170-240 MiB here), so each bound below is on what reading costs above it."""
    p = subprocess.Popen([intransit, "--version"], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return usage.ru_maxrss / 1024


BASE = startup_rss()


def run(args, stdin=None, env=None, timeout=300):
    """(exit code, stdout, stderr, peak RSS in MiB) of one trace run."""
    proc = subprocess.Popen([intransit, "trace", *args], stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    out = {}

    def drain(name, stream):
        out[name] = stream.read()
    threads = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in threads:
        t.start()
    if stdin is not None:
        try:
            proc.stdin.write(stdin)
        except BrokenPipeError:
            pass
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join(timeout)
    return proc.returncode, out.get("out", b""), out.get("err", b""), usage.ru_maxrss / 1024


def docs(stdout):
    return [json.loads(x) for x in stdout.splitlines() if x.strip()]


def messages(stdout):
    return [d for d in docs(stdout) if d.get("schema") == "intransit.trace/1"]


tmp = tempfile.mkdtemp(prefix="trace-input-")
try:
    # --- item 54: a pipe given as a path keeps the bytes looked at to tell its kind ---------------
    r = subprocess.run(["bash", "-c", '"$0" trace --format json <(cat "$1")', intransit, f"{data}/tls-path.eml"],
                       capture_output=True, timeout=120)
    check(r.returncode == 0 and json.loads(r.stdout)["message_id"] == "tls-path@example.org",
          f"item 54: a message on <(cat FILE) is read whole (exit {r.returncode}, {r.stdout[:80]!r})")
    r = subprocess.run(["bash", "-c", '"$0" trace --format json <(cat "$1")', intransit, f"{data}/sample.mbox"],
                       capture_output=True, timeout=120)
    direct = subprocess.run([intransit, "trace", "--format", "json", f"{data}/sample.mbox"], capture_output=True, timeout=120)
    got = messages(r.stdout)
    check(len(got) == 4 and [d["message_id"] for d in got] == [d["message_id"] for d in messages(direct.stdout)]
          and [d["verdict"] for d in got] == [d["verdict"] for d in messages(direct.stdout)],
          f"item 54: an mbox on <(cat FILE) gives its 4 messages as the file does ({len(got)})")
    with open(f"{data}/sample.mbox", "rb") as src:
        r = subprocess.run([intransit, "trace", "--format", "json", "-"], stdin=src, capture_output=True, timeout=120)
    check(r.returncode == 1 and len(messages(r.stdout)) == 4 and not r.stderr,
          f"item 53: an mbox file as standard input is read whole and not taken for changed (exit {r.returncode})")
    code, out, err, _ = run(["--format", "json", "/dev/stdin"], stdin=GOOD)
    check(code == 0 and json.loads(out)["message_id"] == "tls-path@example.org",
          f"item 54: a message piped to /dev/stdin is read whole (exit {code})")

    # --- item 54: nothing read is exit 3 with the reason ------------------------------------------
    open(f"{tmp}/empty", "wb").close()
    with open(f"{tmp}/garbage", "wb") as f:
        f.write(bytes(range(256)) * 64)
    with open(f"{tmp}/only-unreadable.mbox", "wb") as f:
        f.write(b"From bad@example.org Sat Nov 28 10:00:00 2026\n\x06\x06\x06 bytes that are no header at all\n")
    for name, args, stdin in (("a 0-byte file", [f"{tmp}/empty"], None),
                              ("garbage", [f"{tmp}/garbage"], None),
                              ("- </dev/null", ["-"], b""),
                              ("an mbox whose only message is unreadable", [f"{tmp}/only-unreadable.mbox"], None),
                              ("/dev/zero", ["/dev/zero"], None)):
        code, out, err, rss = run(["--format", "json", *args], stdin=stdin, timeout=120)
        check(code == 3 and b"no message read" in err,
              f"item 54: {name}: exit 3 with the reason (exit {code}, {err.decode(errors='replace').strip()[:100]})")
        if name == "/dev/zero":
            check(rss - BASE < 100, f"item 54: /dev/zero is read only up to the header block cap ({rss - BASE:.0f} MiB above the {BASE:.0f} MiB startup)")

    # --- item 61 (last bullet): one unparseable message in a stream is one result -----------------
    bad = open(f"{tmp}/only-unreadable.mbox", "rb").read()
    for name, args, stdin in (("a file", [f"{tmp}/only-unreadable.mbox"], None), ("a pipe", ["-"], bad)):
        code, out, err, _ = run(["--format", "json", *args], stdin=stdin)
        got = messages(out)
        check(len(got) == 1 and got[0]["error"], f"item 61: one unparseable mbox message on {name}: one result ({len(got)})")
    mixed = FROM + GOOD + b"\n" + bad + FROM + GOOD.replace(b"tls-path@", b"last@")
    code, out, err, _ = run(["--format", "json", "-"], stdin=mixed)
    got = messages(out)
    check(len(got) == 3 and [bool(d["error"]) for d in got] == [False, True, False] and code == 0,
          f"item 61: good, unparseable, good on a pipe: three results, exit 0 ({len(got)}, exit {code})")

    # --- item 54: Maildir++ folders are read; a directory that cannot be listed is exit 3 ---------
    md = f"{tmp}/Maildir"
    for sub in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
        os.makedirs(f"{md}/{sub}")
    shutil.copy(f"{data}/tls-path.eml", f"{md}/cur/1700000000.1.host:2,S")
    shutil.copy(f"{data}/tls-path.eml", f"{md}/.Sent/cur/1700000001.2.host:2,S")
    code, out, err, _ = run(["--format", "json", md])
    got = messages(out)
    check(code == 0 and len(got) == 2 and any("/.Sent/cur/" in d["source"] for d in got),
          f"item 54: a Maildir++ folder (.Sent/) is read ({[d['source'] for d in got]}, exit {code})")
    os.makedirs(f"{tmp}/emptymd/cur")
    code, out, err, _ = run([f"{tmp}/emptymd"])
    check(code == 3 and b"no message read" in err, f"item 54: an empty Maildir: exit 3 with the reason (exit {code})")
    # Unreadable: root reads any directory, so the run drops to nobody (setpriv) when it is root.
    os.chmod(tmp, 0o755)
    os.chmod(f"{md}/.Sent/cur", 0)
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.geteuid() == 0 else []
    for path in (md, f"{md}/cur", f"{md}/cur/1700000000.1.host:2,S", f"{md}/.Sent"):
        os.chmod(path, 0o755 if os.path.isdir(path) else 0o644)
    r = subprocess.run([*prefix, intransit, "trace", "--format", "json", md], capture_output=True, timeout=120)
    check(r.returncode == 3 and b"cannot list" in r.stderr and len(messages(r.stdout)) == 1,
          f"item 54: a Maildir folder that cannot be listed: the rest reported, exit 3 with the reason "
          f"(exit {r.returncode}, {r.stderr.decode(errors='replace').strip()[:120]})")
    os.chmod(f"{md}/.Sent/cur", 0o755)

    # --- item 37 / issue item 10: a 200 MB Received line costs bounded memory ---------------------
    huge = f"{tmp}/huge-line.mbox"
    with open(huge, "wb") as f:
        f.write(FROM + b"Received: ")
        block = b"x" * (8 << 20)
        for _ in range(25):
            f.write(block)
        f.write(b"\nSubject: long line\n\nbody\n")
        f.write(FROM + GOOD.replace(b"tls-path@", b"after@") + b"\n")
    code, out, err, rss = run(["--format", "json", huge])
    got = messages(out)
    check(len(got) == 2 and got[1]["message_id"] == "after@example.org" and got[1]["verdict"] == "all-tls",
          f"item 37: a 200 MB Received line: the message after it is reported intact ({len(got)})")
    check(got and got[0]["header_cut"]["long_lines"] == 1 and got[0]["header_cut"]["block_cut"],
          f"item 37: the cut is reported in the JSON ({got[0].get('header_cut') if got else None})")
    check(len(got) == 2 and len(got[0]["hops"][0]["raw"]) <= 16 * 1024, "item 37: the Received value is read up to its cap")
    check(rss - BASE < 100, f"item 37: peak RSS for a 200 MB header line is bounded ({rss - BASE:.0f} MiB above startup, bound 100)")
    summary = docs(out)[-1]
    check(summary.get("header_cut") == 1, f"item 37: the summary counts the cut message ({summary.get('header_cut')})")
    code, out, err, _ = run([huge])
    check(b"header line(s) over" in out and b"header block over" in out, "item 37: the cut is reported in the text")
    one = f"{tmp}/huge-line.eml"
    with open(one, "wb") as f, open(huge, "rb") as src:
        src.readline()
        shutil.copyfileobj(src, f)
    code, out, err, rss = run(["--format", "json", one])
    check(rss - BASE < 100 and json.loads(out)["header_cut"]["block_cut"],
          f"item 37: one message file with a 200 MB line: bounded ({rss - BASE:.0f} MiB above startup)")
    with open(one, "rb") as src:
        proc = subprocess.Popen([intransit, "trace", "--format", "json", "-"], stdin=src, stdout=subprocess.PIPE)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    check(usage.ru_maxrss / 1024 - BASE < 100 and json.loads(out)["header_cut"]["block_cut"],
          f"item 37: the same on standard input: bounded ({usage.ru_maxrss / 1024 - BASE:.0f} MiB above startup)")
    os.remove(huge)
    os.remove(one)

    # --- item 53: an mbox that changes while it is read -------------------------------------------
    # Deterministic: 64 KiB ranges (the reader threads stay at most 8 ranges, 512 KiB, ahead of the
    # output) and a pipe that is not read until the file has changed, so the reader is blocked
    # within the first few MB of a 24 MB mailbox when it shrinks to 6 MB.
    box = f"{tmp}/box.mbox"
    subprocess.run([sys.executable, f"{here}/../../bench/gen_mbox.py", box, "24"], check=True)
    full = len(messages(subprocess.run([intransit, "trace", "--format", "json", box], capture_output=True,
                                       timeout=600).stdout))

    def while_reading(change, what):
        shutil.copy(box, f"{tmp}/live.mbox")
        proc = subprocess.Popen([intransit, "trace", "--format", "json", f"{tmp}/live.mbox"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, "INTRANSIT_TRACE_CHUNK_BYTES": "65536"})
        first = proc.stdout.readline()
        change(f"{tmp}/live.mbox")
        rest = proc.stdout.read()  # not communicate(): it would skip what readline() buffered
        err = proc.stderr.read()
        proc.wait(timeout=600)
        lines = docs(first + rest)
        got = [d for d in lines if d.get("schema") == "intransit.trace/1"]
        check(proc.returncode == 3 and b"changed while it was read" in err,
              f"item 53: {what}: exit 3, stderr says the file changed (exit {proc.returncode}, "
              f"{err.decode(errors='replace').strip()[:120]})")
        check(lines and lines[-1].get("schema") == "intransit.trace-summary/1" and lines[-1]["messages"] == len(got)
              and lines[-1]["input_changed"], f"item 53: {what}: the messages read are reported, summary last")
        return got

    got = while_reading(lambda p: os.truncate(p, 6 << 20), "shrinks to 6 MB")
    check(0 < len(got) < full, f"item 53: shrinks: the messages before the cut are reported ({len(got)} of {full})")

    def grow(p):
        with open(p, "ab") as f:
            f.write(FROM + GOOD)
    got = while_reading(grow, "grows")
    check(len(got) == full, f"item 53: grows: the messages it had are reported ({len(got)} of {full})")

    def replace(p):
        shutil.copy(f"{data}/sample.mbox", p + ".new")
        os.replace(p + ".new", p)
    got = while_reading(replace, "is replaced")
    check(len(got) == full, f"item 53: replaced: the file as opened is read whole ({len(got)} of {full})")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
