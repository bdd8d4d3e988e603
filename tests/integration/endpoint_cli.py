#!/usr/bin/env python3
"""endpoint_cli.py INTRANSIT — every listener prints its endpoint in the one text form of
core/endpoint_text.hpp (issue 15 §4): "127.0.0.1:PORT" and, for IPv6, "[::1]:PORT" (RFC 3986
§3.2.2 brackets). Loopback, port 0; the IPv6 cases are skipped where ::1 cannot be bound.
"""
import re
import socket
import subprocess
import sys
import tempfile

from checklist import check, exit_status  # tests/integration/checklist.py

INTRANSIT = sys.argv[1]


def first_line(args):
    proc = subprocess.Popen([INTRANSIT] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        return proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def main():
    with tempfile.TemporaryDirectory() as tmp:
        line = first_line(["strip-proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9"])
        check(re.fullmatch(r"listening 127\.0\.0\.1:\d+", line) is not None, f"strip-proxy v4: {line!r}")
        line = first_line(["sink", "--listen", "valid@127.0.0.1:0", "--store", f"{tmp}/a.sqlite"])
        check(re.fullmatch(r"listening valid 127\.0\.0\.1:\d+", line) is not None, f"sink v4: {line!r}")
        if not ipv6_loopback():
            print("skip: no IPv6 loopback")
            return exit_status()
        line = first_line(["strip-proxy", "--listen", "[::1]:0", "--upstream", "127.0.0.1:9"])
        check(re.fullmatch(r"listening \[::1\]:\d+", line) is not None, f"strip-proxy v6 in brackets: {line!r}")
        line = first_line(["sink", "--listen", "valid@[::1]:0", "--store", f"{tmp}/b.sqlite"])
        check(re.fullmatch(r"listening valid \[::1\]:\d+", line) is not None, f"sink v6 in brackets: {line!r}")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
