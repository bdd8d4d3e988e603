#!/usr/bin/env python3
"""serve_load.py BASE_URL PATH CLIENTS SECONDS PID [--json] — N concurrent HTTP/1.1 keep-alive clients
(Python asyncio, standard library only) asking BASE_URL+PATH as fast as each is answered, for
SECONDS; the server's resident memory (PID) sampled every half second. Prints the status codes
seen, connection errors, latency p50/p90/p99/max and the memory at start, middle and end (as
JSON with --json). Loopback only: BASE_URL must be http://127.x or http://[::1]."""
import asyncio
import json
import sys
import time
import urllib.parse

base, path, clients, seconds, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
as_json = "--json" in sys.argv
url = urllib.parse.urlsplit(base)
if not (url.hostname.startswith("127.") or url.hostname == "::1"):
    sys.exit("load.py: loopback targets only")
statuses, latencies, errors = {}, [], []
rss = []


def rss_kib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def client(stop):
    reader = writer = None
    request = f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nUser-Agent: intransit-bench\r\n\r\n".encode()
    while time.monotonic() < stop:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(url.hostname, url.port)
            started = time.monotonic()
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            status = int(status_line.split()[1])
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                if name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            await reader.readexactly(length)
            latencies.append(time.monotonic() - started)
            statuses[status] = statuses.get(status, 0) + 1
            if close:
                writer.close()
                writer = None
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
            errors.append(type(e).__name__)
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


async def sample(stop):
    while time.monotonic() < stop:
        rss.append(rss_kib())
        await asyncio.sleep(0.5)


async def main():
    stop = time.monotonic() + seconds
    await asyncio.gather(sample(stop), *(client(stop) for _ in range(clients)))


asyncio.run(main())
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0


result = {"clients": clients, "seconds": seconds, "requests": len(latencies),
          "statuses": {str(k): v for k, v in sorted(statuses.items())}, "errors": len(errors),
          "error_kinds": sorted(set(errors)), "p50_ms": round(pct(0.50), 2), "p90_ms": round(pct(0.90), 2),
          "p99_ms": round(pct(0.99), 2), "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0,
          "rss_kib": {"start": rss[0] if rss else 0, "middle": rss[len(rss) // 2] if rss else 0,
                      "end": rss[-1] if rss else 0, "max": max(rss) if rss else 0}}
if as_json:
    print(json.dumps(result))
else:
    print(f"{result['requests']} requests in {seconds:.0f} s by {clients} clients ({result['requests'] / seconds:.0f}/s); "
          f"statuses {result['statuses']}; connection errors {result['errors']} {result['error_kinds']}")
    print(f"latency p50 {result['p50_ms']} ms, p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
    print(f"server RSS KiB: start {result['rss_kib']['start']}, middle {result['rss_kib']['middle']}, end {result['rss_kib']['end']}")
