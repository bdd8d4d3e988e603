#!/usr/bin/env python3
"""gen_mbox.py OUT SIZE_MB [SEED] — a synthetic mbox for the trace benchmark, built from the
Received formats of tests/unit/trace/received_test.cpp (Postfix, Exim, Sendmail, Microsoft,
Google, OpenSMTPD, qmail, Courier, Dovecot/Cyrus LMTP, amavis, Proofpoint, Mimecast, IronPort,
Barracuda), 2-6 hops per message, a few typical headers and a 1-8 KB body. Deterministic for a
given seed. Written in 8 MB blocks, so memory stays flat."""
import random
import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)

HOPS = [
    "from mail{n}.example.org (mail{n}.example.org [192.0.2.{n}])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
    "(256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\n\tby "
    "mx.example.net (Postfix) with ESMTPS id 4Q{n}abc\n\tfor <user@example.net>; {date}",
    "from mail{n}.example.org (mail{n}.example.org [192.0.2.{n}])\n\tby mx.example.net (Postfix) with ESMTP id 4Q{n}\n\t"
    "for <user@example.net>; {date}",
    "from [192.0.2.{n}] (helo=mail.example.org)\n\tby mx.example.net with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t"
    "(Exim 4.96)\n\t(envelope-from <a@example.org>)\n\tid 1qAbCd-000{n}-Ef\n\tfor b@example.net; {date}",
    "from mail.example.org ([192.0.2.{n}]) by mx.example.net with esmtps (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) "
    "(Exim 4.89) (envelope-from <a@example.org>) id 1abcde-0001Xy-3z; {date}",
    "from mail.example.org (mail.example.org [192.0.2.{n}])\n\tby mx.example.net (8.17.1/8.17.1) with ESMTPS id "
    "2ASAB0Ab0{n}\n\t(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT)\n\tfor <user@example.net>; {date}",
    "from AM6PR05MB{n}.eurprd05.prod.outlook.com (2603:10a6:20b:1::11) by AM6PR05MB5678.eurprd05.prod.outlook.com "
    "(2603:10a6:20b:2::22) with Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) "
    "id 15.20.6631.20; {date}",
    "from mail-sor-f{n}.google.com (mail-sor-f41.google.com. [209.85.220.{n}])\n        by mx.google.com with ESMTPS id "
    "a1sor{n}qkb.12\n        for <user@gmail.com>\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n"
    "        {date}",
    "from mail.example.org (mail.example.org [192.0.2.{n}])\n\tby mx.example.net (OpenSMTPD) with ESMTPS id 1a2b{n} "
    "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)\n\tfor <user@example.net>;\n\t{date}",
    "from unknown (HELO mail.example.org) (192.0.2.{n})\n  by mx.example.net with SMTP; {date}",
    "from mail.example.org (mail.example.org [192.0.2.{n}])\n  (AUTH: LOGIN user@example.org, TLS: "
    "TLSv1/SSLv3,256bits,AES256-SHA)\n  by mx.example.net with ESMTPSA; {date}",
    "from mx.example.net\n\tby imap.example.net with LMTP\n\tid aBcDeF{n}\n\t(envelope-from <a@example.org>)\n\tfor "
    "<user@example.net>; {date}",
    "from mx.example.net ([127.0.0.1])\n\tby localhost (mx.example.net [127.0.0.1]) (amavisd-new, port 10024)\n\twith "
    "ESMTP id AbCdEf{n}; {date}",
    "from mail.example.org (mail.example.org [192.0.2.{n}]) by mx0a-00123456.pphosted.com (PPS) with ESMTPS id 4xyz{n} "
    "(version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT); {date}",
    "from mail.example.org ([192.0.2.{n}])\n  by esa1.example.net with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384; {date}",
]
DATE = "Sat, 28 Nov 2026 10:{m:02d}:{s:02d} +0000"
WORDS = "the quick brown fox jumps over the lazy dog mail transport security evidence".split()

target = size_mb * 1024 * 1024
written = 0
n = 0
block = []
block_bytes = 0
with open(out, "w", encoding="ascii", newline="\n") as f:
    while written < target:
        n += 1
        hops = [rng.choice(HOPS).format(n=rng.randint(1, 250), date=DATE.format(m=rng.randint(0, 59), s=rng.randint(0, 59)))
                for _ in range(rng.randint(2, 6))]
        body_words = rng.randint(150, 1200)
        body = " ".join(rng.choice(WORDS) for _ in range(body_words))
        body = "\n".join(body[i:i + 72] for i in range(0, len(body), 72)).replace("\nFrom ", "\n>From ")
        sender = f"user{rng.randint(1, 500)}@sender{rng.randint(1, 40)}.example"
        msg = (f"From {sender} Sat Nov 28 10:00:00 2026\n"
               + "".join(f"Received: {h}\n" for h in hops)
               + f"From: <{sender}>\nTo: <user@example.net>\nSubject: message {n}\n"
               + f"Message-ID: <{n}.{rng.randint(0, 1 << 30)}@example.org>\nDate: {DATE.format(m=1, s=2)}\n"
               + f"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n{body}\n\n")
        block.append(msg)
        block_bytes += len(msg)
        written += len(msg)
        if block_bytes > 8 * 1024 * 1024:
            f.write("".join(block))
            block, block_bytes = [], 0
    f.write("".join(block))
print(f"{out}: {written / 1e6:.0f} MB, {n} messages", file=sys.stderr)
