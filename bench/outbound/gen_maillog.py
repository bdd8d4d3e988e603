#!/usr/bin/env python3
"""gen_maillog.py OUT SIZE_MB — a deterministic Postfix 3.7 log (the line formats the lab's
Postfix instances write: smtpd, cleanup, qmgr, smtp with smtp_tls_loglevel = 1) of about
SIZE_MB megabytes, for bench/outbound/run. Per message: smtpd connect, client=, cleanup
message-id, qmgr from=, the smtp TLS line (most messages) and one or two delivery lines, qmgr
removed, smtpd disconnect; 2,000 destination domains with their own TLS habits; pids reused, as
a real log interleaves 20 smtp processes."""
import random
import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(19)
DOMAINS = [f"d{i}.example" for i in range(2000)]
# Per domain: chance of plaintext, of a verified certificate, the TLS version.
HABIT = {d: (rng.choice([0.0, 0.0, 0.0, 0.02, 0.5, 1.0]), rng.random(), rng.choice(["TLSv1.3", "TLSv1.3", "TLSv1.2"]))
         for d in DOMAINS}
CIPHER = {"TLSv1.3": "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) "
                     "server-digest SHA256",
          "TLSv1.2": "ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)"}
B62 = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"
limit = size_mb * 1_000_000
written = 0
sec = 0
n = 0
with open(out, "w", buffering=1 << 20) as f:
    while written < limit:
        n += 1
        sec += rng.random() * 0.05
        t = int(sec)
        stamp = f"Dec {1 + (t // 86400) % 28:02d} {(t // 3600) % 24:02d}:{(t // 60) % 60:02d}:{t % 60:02d}"
        qid = "4" + "".join(rng.choice(B62) for _ in range(10)) + "z" + "".join(rng.choice(B62) for _ in range(3))
        smtpd, smtp, cleanup = 1000 + n % 50, 2000 + n % 20, 3000 + n % 10
        client = f"client{n % 500}.example.net[198.51.100.{n % 250 + 1}]"
        domain = DOMAINS[int(rng.paretovariate(1.2)) % len(DOMAINS)]
        plain, verified, version = HABIT[domain]
        relay = f"mx{n % 2 + 1}.{domain}[203.0.113.{n % 200 + 1}]:25"
        lines = [
            f"{stamp} mail postfix/smtpd[{smtpd}]: connect from {client}",
            f"{stamp} mail postfix/smtpd[{smtpd}]: {qid}: client={client}",
            f"{stamp} mail postfix/cleanup[{cleanup}]: {qid}: message-id=<{n}.{qid}@client.example.net>",
            f"{stamp} mail postfix/qmgr[900]: {qid}: from=<sender{n % 900}@example.net>, size={2000 + n % 50000}, nrcpt=1 "
            f"(queue active)",
        ]
        if rng.random() >= plain:
            trust = "Verified" if rng.random() < verified else rng.choice(["Trusted", "Untrusted"])
            lines.append(f"{stamp} mail postfix/smtp[{smtp}]: {trust} TLS connection established to "
                         f"{relay[:-3]}:25: {version} with cipher {CIPHER[version]}")
        for r in range(1 + (n % 7 == 0)):
            status = "sent (250 2.0.0 Ok: queued as 4XyZ)" if n % 97 else "deferred (host said: 451 4.7.1 try again)"
            lines.append(f"{stamp} mail postfix/smtp[{smtp}]: {qid}: to=<user{r}.{n % 10000}@{domain}>, relay={relay}, "
                         f"delay=0.{n % 90 + 10}, delays=0.01/0.01/0.{n % 9}/0.0{n % 9}, dsn=2.0.0, status={status}")
        lines.append(f"{stamp} mail postfix/qmgr[900]: {qid}: removed")
        lines.append(f"{stamp} mail postfix/smtpd[{smtpd}]: disconnect from {client} ehlo=2 starttls=1 mail=1 rcpt=1 "
                     f"data=1 quit=1 commands=7")
        block = "\n".join(lines) + "\n"
        f.write(block)
        written += len(block)
print(f"{out}: {written / 1e6:.0f} MB, {n} messages", file=sys.stderr)
