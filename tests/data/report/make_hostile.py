#!/usr/bin/env python3
"""make_hostile.py — writes the hostile-string fixtures of `intransit report` (issue 17): check,
trace and sink documents whose every string field a stranger controls (domain and MX names,
evidence, banners, certificate subjects, Received fields, EHLO names) holds markup, script,
quotes, controls or invalid UTF-8. The report must show all of it as text. Run from this folder;
the output is committed."""
import json

XSS = "<script>window.pwned=1</script>"
ATTR = "\"><img src=x onerror=window.pwned=1>"
OTHER = "</title><script>window.pwned=2</script>\u0000\u001b[2J javascript:alert(1) & 'q'"


def check(domain, verdict):
    address = {"ip": "192.0.2.1" + ATTR, "outcome": "ok", "starttls": True, "detail": XSS,
               "banner": "220 " + XSS, "tls": {"version": "TLSv1.3" + XSS, "cipher": ATTR},
               "certificate": {"chain": [{"subject": "CN=" + XSS, "issuer": ATTR}], "trusted": False,
                               "verify_error": OTHER, "name_matches": False},
               "findings": [{"id": "cert.untrusted" + XSS, "severity": "high", "scope": ATTR,
                             "evidence": OTHER, "rfc": "RFC 7672 \u00a7" + ATTR, "remedy": XSS}]}
    return {"schema": "intransit.check/1", "domain": domain, "verdict": verdict, "enforced_by": [],
            "untested_reason": None, "summary": XSS + " " + OTHER,
            "mx": [{"host": "mx." + XSS + ".example", "preference": 10, "addresses": [address]}],
            "mta_sts": {"record": {"id": XSS}, "record_error": None, "fetch": None,
                        "policy": {"mode": "enforce" + XSS, "max_age": 1, "mx": [ATTR]}, "policy_error": OTHER},
            "tls_rpt": {"record": None, "error": XSS}, "dnssec": {"status": XSS},
            "findings": [{"id": XSS, "severity": XSS, "scope": "domain", "evidence": ATTR,
                          "rfc": XSS, "remedy": OTHER}]}


with open("hostile-check.jsonl", "w") as f:
    for i, v in enumerate(["plaintext", "opportunistic", "broken"]):
        f.write(json.dumps(check(f"{XSS}{i}.example", v)) + "\n")
with open("hostile-check-one.json", "w") as f:
    json.dump(check(XSS + ".example", "partial"), f, indent=2)

hop = {"index": 1, "from": XSS, "from_info": ATTR, "by": "mx." + ATTR, "by_info": XSS, "with": OTHER,
       "id": XSS, "date": "Tue, 1 Jul 2025 10:00:00 +0000" + XSS, "verdict": "plaintext", "tls_version": XSS,
       "cipher": ATTR, "authenticated": False, "trusted": False, "parsed": True, "evidence": XSS, "raw": OTHER}
with open("hostile-trace.json", "w") as f:
    json.dump({"schema": "intransit.trace/1", "source": XSS, "message_id": ATTR, "from": "a@" + XSS,
               "hops": [hop, dict(hop, index=2, verdict="tls", trusted=True)], "received_dropped": 0,
               "verdict": "plaintext-hop", "weakest_hop": 1, "e2e": XSS, "error": None}, f, indent=2)

with open("hostile-sink.json", "w") as f:
    json.dump({"schema": "intransit.sink-report/1", "store": XSS, "senders": [{
        "client": ATTR, "ehlo": [XSS, 7], "verdict": "plaintext-fallback", "verdict_text": OTHER,
        "behaviours": [{"id": XSS, "severity": "high", "text": ATTR, "scenarios": [XSS]}],
        "scenarios": [{"scenario": XSS, "sessions": 1, "delivered_tls": 0, "delivered_plaintext": 1}],
        "attempts": []}]}, f, indent=2)

# Explicit encryption and mail client legs (issue 21): key user IDs, certificate subjects, WKD
# URLs and server names are a stranger's; a check's `keys` member carries them too.
key = {"problem": XSS, "usable": True, "fingerprint": ATTR, "encryption_fingerprint": XSS,
       "algorithm": OTHER, "user_ids": [XSS, ATTR, 3], "fingerprints": [XSS], "detail": OTHER}
dns_keys = {"owner": XSS, "status": "found", "dns_status": ATTR, "dnssec": XSS, "malformed": 1,
            "reason": OTHER, "keys": [key], "certificates": [{"problem": ATTR, "usable": False,
                                                              "subject": "CN=" + XSS, "sha256": ATTR,
                                                              "addresses": [XSS], "detail": OTHER}]}
keys = {"schema": "intransit.keys/1", "address": XSS + "@" + ATTR, "domain": ATTR, "verdict": XSS,
        "summary": OTHER, "wkd": {"method": XSS, "url": "https://" + ATTR, "status": XSS, "detail": OTHER,
                                  "http_status": 200, "wildcard": True, "policy_present": False, "key": key},
        "openpgpkey": dns_keys, "smimea": dns_keys,
        "findings": [{"id": XSS, "severity": "high", "scope": ATTR, "evidence": OTHER, "rfc": XSS, "remedy": ATTR}]}
client = {"schema": "intransit.client/1", "domain": XSS, "address": ATTR, "summary": OTHER,
          "legs": [{"leg": XSS, "verdict": "plaintext", "summary": ATTR, "nothing_published": True}],
          "servers": [{"leg": ATTR, "protocol": XSS, "host": "imap." + XSS, "port": 993, "tls_mode": OTHER,
                       "origins": [{"source": XSS, "where": ATTR, "authenticated": False}], "verdict": XSS,
                       "why": OTHER, "addresses": [{"address": ATTR, "outcome": XSS, "tls_version": OTHER,
                                                    "certificate_trusted": False, "name_check": XSS}]}],
          "srv": [{"service": XSS, "dns": {"status": ATTR, "dnssec": OTHER}, "not_offered": False,
                   "decode_error": XSS, "records": [{"target": ATTR, "port": 1}]}],
          "autoconfig": [{"source": XSS, "url": ATTR, "status": OTHER, "detail": XSS, "used": True,
                          "parse_error": ATTR}],
          "findings": [{"id": ATTR, "severity": XSS, "scope": OTHER, "evidence": XSS, "rfc": None, "remedy": ATTR}]}
with open("hostile-keys.jsonl", "w") as f:
    f.write(json.dumps(keys) + "\n")
    f.write(json.dumps(client) + "\n")
    f.write(json.dumps(dict(check(XSS + "k.example", "plaintext"), keys=[keys])) + "\n")
