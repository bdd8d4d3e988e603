#!/usr/bin/env python3
"""python_received.py MBOX — the Python reference for the trace benchmark: the standard
library's mailbox.mbox with email.parser.BytesHeaderParser, extracting the same Received
fields intransit reads (no TLS interpretation: this is the cheaper part of the job)."""
import email.parser
import email.policy
import mailbox
import sys

parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
messages = received = 0
box = mailbox.mbox(sys.argv[1], factory=None, create=False)
for key in box.iterkeys():
    headers = parser.parsebytes(box.get_bytes(key))
    received += len(headers.get_all("Received") or [])
    messages += 1
print(messages, received)
