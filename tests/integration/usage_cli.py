#!/usr/bin/env python3
"""usage_cli.py INTRANSIT — the command line refuses what it cannot honour (no lab, no network).

RELIABILITY.md item 60 and issue 14 items 18-23: every bad word is a usage error (exit 2) that
names the word, before anything is sent anywhere; item 20: option files that are not small
regular files are refused at once instead of read forever.
"""
import subprocess
import sys

from checklist import check, exit_status  # tests/integration/checklist.py

INTRANSIT = sys.argv[1]


def run(*args, timeout=120):
    # Generous: every case ends at argument parsing; the bound only turns a hang into a FAIL line.
    try:
        p = subprocess.run([INTRANSIT, *args], capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"no exit within {timeout} s"
    return p.returncode, p.stdout + p.stderr


def refused(args, needle, what):
    rc, out = run(*args)
    check(rc == 2 and needle in out, f"{what}: exit 2 naming {needle!r} (got {rc}: {out.strip()[:200]!r})")


# Item 18: one port parser with a range check for every form. Port 9 on loopback: nothing is
# probed when the parser refuses, so these never reach the network.
for target in ["[::1]:70000", "[::1]:-1", "[::1]:0", "127.0.0.1:25abc", "127.0.0.1:70000", "127.0.0.1:"]:
    refused(["probe", target], "port number", f"probe {target}")

# Item 19: nan and inf are not deadlines.
for opt in ["--timeout", "--dns-timeout"]:
    for value in ["nan", "inf"]:
        refused(["check", "example.test", opt, value], value, f"check {opt} {value}")
refused(["probe", "127.0.0.1", "--timeout", "nan"], "nan", "probe --timeout nan")

refused(["outbound", "/dev/null", "--check", "--timeout", "nan"], "nan", "outbound --timeout nan")

# Item 20: option files are small regular files.
refused(["--config", "/dev/zero", "check", "example.test"], "/dev/zero", "--config /dev/zero")
for opt in ["--trust-anchor", "--root-hints", "--ca-file"]:
    refused(["check", "example.test", opt, "/dev/zero"], "/dev/zero", f"check {opt} /dev/zero")
refused(["probe", "127.0.0.1", "--ca-file", "/dev/zero"], "/dev/zero", "probe --ca-file /dev/zero")
refused(["outbound", "/dev/null", "--check", "--trust-anchor", "/dev/zero"], "/dev/zero", "outbound --trust-anchor /dev/zero")

# Item 21: --helo with CR/LF would put a second SMTP command on the wire.
refused(["probe", "127.0.0.1:9", "--helo", "x.example\r\nRCPT TO:<a@b>"], "host name", "probe --helo CRLF")
refused(["check", "example.test", "--helo", "a b"], "host name", "check --helo with a space")
refused(["outbound", "/dev/null", "--check", "--helo", "x\r\nQUIT"], "host name", "outbound --helo CRLF")
refused(["sink", "--listen", "valid@127.0.0.1:0", "--store", "/tmp/x.db", "--hostname", "a\nb"], "host name",
        "sink --hostname with LF")

# Item 22: the unknown word is named.
refused(["scna", "x"], "'scna'", "unknown command scna (scan is a command now)")
refused(["frobnicate"], "'frobnicate'", "unknown command frobnicate")
refused(["--frobnicate"], "'--frobnicate'", "unknown option before the command")
rc, out = run("check", "-lead.example")
check(rc == 2 and "-lead.example" in out, f"check -lead.example names the word (got {rc}: {out.strip()[:200]!r})")

# Item 23: an IP address is not a mail domain; the hint says what to run instead.
for ip in ["127.0.0.1", "[127.0.0.1]", "::1", "[IPv6:::1]"]:
    refused(["check", ip], "intransit probe", f"check {ip}")

# Still fine: help and version.
rc, out = run("--help")
check(rc == 0 and "check" in out, "--help works")
rc, out = run("--version")
check(rc == 0 and "intransit" in out, "--version works")

sys.exit(exit_status())
