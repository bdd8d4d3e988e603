#!/usr/bin/python3
"""lab/lib/tarpit.py ADDR PORT PIDFILE [busy] — a tarpit MX for the lab population (issue 16 "a
tarpit MX does not slow the other domains"; RELIABILITY.md items 4-5): accepts every connection
and sends its greeting one byte every few seconds, as spam tarpits and overloaded servers do, so
a client's per-phase deadline (not a per-read one) is what ends the dialogue. With `busy`, a
rate-limiting MX instead (RELIABILITY.md item 24): every connection is greeted
"421 4.7.0 ... try later" and closed, and logged as "connect from" (tests count them). Started by
lab/population inside the lab namespace, stopped by lab/down through its PID file."""
import asyncio
import os
import sys

GREETING = b"220 mx-tarpit.pop.opportunistic.test ESMTP slowly\r\n"
DRIP_SECONDS = 3


async def drip(reader, writer):
    try:
        for byte in GREETING:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(DRIP_SECONDS)
        await reader.read(4096)  # never answers a command: the client gives up first
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def busy(reader, writer):
    peer = writer.get_extra_info("peername")
    print(f"connect from {peer[0]}", flush=True)
    try:
        writer.write(b"421 4.7.0 mx-busy.pop.opportunistic.test too many connections, try later\r\n")
        await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(addr, port, pidfile, mode):
    server = await asyncio.start_server(busy if mode == "busy" else drip, addr, port, reuse_address=True)
    with open(pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "tarpit"))
