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
