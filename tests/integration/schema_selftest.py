#!/usr/bin/env python3
"""schema_selftest.py — ctest `schema.selftest`: every docs/schema/*.schema.json is a valid JSON
Schema (draft 2020-12), and the schemas can both pass and FAIL: hand-made documents of every
`schema` value validate, and each one broken in a way the contract forbids (a wrong enum value, a
missing contract field, the drifts of issue 15 §3: `rfc` "-", `dane` absent, findings of the wrong
shape) is rejected by schema_check. RELIABILITY.md: the JSON contract (issue 15 §3)."""
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

# --- every file is a schema, and every `schema` value has one -------------------------------
files = sorted(glob.glob(os.path.join(schema_check.SCHEMA_DIR, "*.schema.json")))
check(len(files) == len(schema_check.FILES), f"{len(files)} schema files for {len(schema_check.FILES)} schema values")
for path in files:
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
        ok = True
    except Exception as e:  # the message says which keyword is wrong
        print(e)
        ok = False
    name = os.path.basename(path)
    check(ok, f"{name} is a valid draft 2020-12 schema")
    check(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema" and schema.get("$id") and schema.get("title"),
          f"{name} has $schema, $id and title")
    check(schema.get("title") in schema_check.FILES and schema_check.FILES[schema["title"]] == name,
          f"{name} is the file of {schema.get('title')}")

# --- hand-made documents ---------------------------------------------------------------------
ANSWER = {"name": "example.test", "type": "MX", "status": "answer", "dnssec": "secure"}
CERT = {"subject": "CN=mx.example.test", "issuer": "CN=Lab CA", "dns_names": ["mx.example.test"],
        "not_before": "2026-01-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z", "key_type": "EC",
        "key_bits": 256, "signature_algorithm": "ecdsa-with-SHA256", "sha256_fingerprint": "ab", "spki_sha256": "cd",
        "self_signed": False}
CAPS = {"server_name": "mx.example.test", "keywords": {"STARTTLS": [], "SIZE": ["10240000"]}, "malformed": [],
        "starttls": True, "requiretls": False}
PROBE = {"schema": "intransit.probe/1", "address": "127.0.1.2:25", "protocol": "smtp", "server_name": "mx.example.test", "outcome": "ok",
         "phase": "quit", "detail": "TLS established", "banner": "220 mx.example.test ESMTP", "starttls": True,
         "capabilities": CAPS, "capabilities_tls": dict(CAPS, starttls=False),
         "tls": {"version": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384", "group": "X25519", "key_exchange_bits": 253,
                 "forward_secrecy": True},
         "certificate": {"chain": [CERT], "trusted": True, "verify_error": None, "verify_error_depth": 0,
                         "checked_name": "mx.example.test", "name_matches": True},
         "dane": None, "findings": [{"id": "tls.obsolete-version", "severity": "medium", "scope": "ip:mx.example.test/127.0.1.2:25",
                                     "evidence": "TLSv1.1 AES128-SHA", "rfc": "RFC 8996 §2", "remedy": "Disable TLS 1.0 and 1.1."}], "transcript": ["S: 220 mx.example.test ESMTP", "C: EHLO x"],
         "transcript_dropped": 0, "elapsed_ms": 12, "bytes_read": 300}
FINDING = {"id": "dane.matched", "severity": "info", "scope": "ip:mx.example.test/127.0.1.2", "evidence": "3 1 1 matched",
           "rfc": "RFC 7672 §3", "remedy": "The presented certificate matched a TLSA record."}
ADDRESS = {k: v for k, v in PROBE.items() if k != "schema"}
ADDRESS.update(ip="127.0.1.2", findings=[FINDING, dict(FINDING, id="mx.untested", scope="ip:/127.0.1.2:25", rfc=None)],
               dane={"usable_records": 1, "matched": True, "matched_record": "3 1 1 ab", "matched_depth": 0, "error": None})
CHECK = {"schema": "intransit.check/1", "domain": "example.test", "verdict": "enforced", "enforced_by": ["dane"],
         "untested_reason": None, "summary": "Mail to example.test is protected.", "null_mx": False,
         "mx": [{"host": "mx.example.test", "preference": 10, "implicit": False, "probed": True,
                 "dns": {"a": dict(ANSWER, type="A"), "aaaa": dict(ANSWER, type="AAAA", status="nodata"),
                         "tlsa": dict(ANSWER, type="TLSA")},
                 "tlsa": ["3 1 1 ab"], "dane_applies": True, "addresses": [ADDRESS]}],
         "mta_sts": {"record": None, "record_error": None, "dns": dict(ANSWER, type="TXT", status="nxdomain"), "fetch": None,
                     "policy": None, "policy_error": None},
         "tls_rpt": {"record": {"rua": ["mailto:tlsrpt@example.test"]}, "error": None, "dns": dict(ANSWER, type="TXT")},
         "dnssec": {"mx": ANSWER, "status": "secure"},
         "counts": {"addresses": 1, "tls": 1, "plaintext": 0, "untested": 0},
         "findings": [FINDING, dict(FINDING, id="mx.not-probed", rfc=None, scope="mx:mx.example.test")], "elapsed_ms": 40}
HOP = {"index": 0, "from": "a.example", "from_info": "", "by": "b.example", "by_info": "", "with": "ESMTPS", "id": "X1",
       "date": "Mon, 1 Dec 2026 10:00:00 +0000", "verdict": "tls", "tls_version": "TLSv1.3", "cipher": None,
       "authenticated": False, "trusted": True, "parsed": True, "evidence": "with ESMTPS", "raw": "from a.example by b.example"}
TRACE = {"schema": "intransit.trace/1", "source": "box#1", "message_id": "m@example", "from": "a@example.org", "hops": [HOP],
         "received_dropped": 0, "verdict": "all-tls", "weakest_hop": 0, "e2e": "none", "error": None}
SUMMARY = {"schema": "intransit.trace-summary/1", "messages": 2, "unreadable": 0, "all_tls": 1, "plaintext": 1,
           "no_evidence": 0, "all_tls_share": 0.5, "hops_by_tls_version": {"TLSv1.3": 1, "plaintext": 1},
           "messages_by_weakest_hop": {"plaintext": 1, "TLSv1.3": 1},
           "worst_relays": [{"relay": "b.example", "plaintext_hops": 1}],
           "sender_domains": {"example.org": {"messages": 2, "all_tls": 1, "plaintext": 1,
                                              "by_weakest_hop": {"plaintext": 1, "TLSv1.3": 1}}}}
ATTEMPT = {"session": 1, "time": "2026-12-02T10:00:00Z", "client": "127.0.0.1", "scenario": "strip", "starttls_offered": False,
           "tls": False, "tls_outcome": "none", "tls_version": None, "tls_cipher": None, "sni": None, "delivered": True,
           "messages_accepted": 1, "messages_rejected": 0, "plaintext_retry": False, "requiretls": False, "end": "quit"}
SINK = {"schema": "intransit.sink-report/1", "store": "sink.db",
        "senders": [{"client": "127.0.0.1", "ehlo": ["client.example"], "verdict": "plaintext-fallback",
                     "verdict_text": "falls back to plaintext", "scenarios": [
                         {"scenario": "strip", "sessions": 1, "delivered_tls": 0, "delivered_plaintext": 1}],
                     "behaviours": [{"id": "plaintext-fallback", "severity": "high", "text": "falls back",
                                     "scenarios": ["strip"]}],
                     "attempts": [ATTEMPT]}]}
CAPTURE = {"schema": "intransit.strip-capture/1", "time": "2026-12-02T10:00:00Z", "client": "127.0.0.1:40000",
           "upstream": "127.0.1.2:25", "ehlo": "client.example", "starttls_removed": True, "client_asked_starttls": False,
           "mail_from": "a@example.org", "rcpt_to": ["b@example.test"], "headers": "Subject: x\r\n", "body_preview": "hi",
           "data_bytes": 20, "upstream_reply": None}

VALID = {"probe": PROBE, "probe array": [PROBE, dict(PROBE, address="[::1]:25")], "check": CHECK, "trace": TRACE,
         "trace-summary": SUMMARY, "sink-report": SINK, "strip-capture": CAPTURE}


def passes(doc):
    try:
        schema_check.validate(doc)
        return True, ""
    except schema_check.SchemaError as e:
        return False, str(e)


for what, doc in VALID.items():
    ok, why = passes(doc)
    check(ok, f"a hand-made {what} document validates" + (f": {why}" if why else ""))

# Sweep fields, the untested verdict with its reason, DNSSEC `unknown` and a finding id added
# after the catalogue: all allowed.
sweep = dict(PROBE, versions={"TLSv1.2": True, "TLSv1.0": None}, version_ratings={"TLSv1.2": "sufficient", "TLSv1.0": "phase-out"},
             ciphers={"TLSv1.2": [{"name": "ECDHE-RSA-AES128-GCM-SHA256", "rating": "good"}], "TLSv1.0": []},
             server_order={"TLSv1.2": None, "TLSv1.0": None}, sweep_errors={"TLSv1.0": "421"}, sweep_deferrals=1,
             sweep_connections=4)
untested = dict(CHECK, verdict="untested", enforced_by=[], untested_reason="no-address-tested",
                dnssec={"mx": dict(ANSWER, status="servfail", dnssec="unknown", reason="timeout"), "status": "unknown"},
                findings=[dict(FINDING, id="dns.some-new-id")])
# `check --address LOCAL` (issue 21): the keys member holds intransit.keys/1 objects, validated by
# keys.schema.json through the registry (schema_check.registry), so a bad key object fails check.
KEYS = {"schema": "intransit.keys/1", "address": "nobody@example.test", "verdict": "untested",
        "summary": "could not test (no domain)", "findings": [], "error": "no domain"}
with_keys = dict(CHECK, keys=[KEYS, dict(KEYS, address="bob@example.test")])
for what, doc in {"a check with a keys member": with_keys, "a --sweep probe": sweep, "an untested check with DNSSEC unknown and a new finding id": untested,
                  "a document with an added field": dict(TRACE, new_field=1)}.items():
    ok, why = passes(doc)
    check(ok, f"{what} validates" + (f": {why}" if why else ""))


def broken(base, mutate):
    doc = json.loads(json.dumps(base))  # a copy that shares no object between two places
    mutate(doc)
    return doc


def setitem(path, value):
    def mutate(doc):
        *parents, last = path
        for p in parents:
            doc = doc[p]
        doc[last] = value
    mutate.key = str(path[-1])
    return mutate


def delitem(path):
    def mutate(doc):
        *parents, last = path
        for p in parents:
            doc = doc[p]
        del doc[last]
    mutate.key = str(path[-1])
    return mutate


addr = ["mx", 0, "addresses", 0]
INVALID = {
    "check: verdict 'secure' (not a verdict)": (CHECK, setitem(["verdict"], "secure")),
    "check: no `domain` (contract)": (CHECK, delitem(["domain"])),
    "check: no `findings` (contract)": (CHECK, delitem(["findings"])),
    "check: finding `rfc` \"-\" (must be null)": (CHECK, setitem(["findings", 0, "rfc"], "-")),
    "check: finding `rfc` \"\" (must be null)": (CHECK, setitem(["findings", 0, "rfc"], "")),
    "check: finding severity 'severe'": (CHECK, setitem(["findings", 0, "severity"], "severe")),
    "check: finding id 'DANE_matched' (not area.name)": (CHECK, setitem(["findings", 0, "id"], "DANE_matched")),
    "check: address without `dane` (must be null, not absent)": (CHECK, delitem(addr + ["dane"])),
    "check: address without `ip` (contract)": (CHECK, delitem(addr + ["ip"])),
    "check: address outcome 'timeout' (not an outcome)": (CHECK, setitem(addr + ["outcome"], "timeout")),
    "check: address phase 'data' (not a phase)": (CHECK, setitem(addr + ["phase"], "data")),
    "check: address findings as strings (objects inside check)": (CHECK, setitem(addr + ["findings"], ["dane.matched"])),
    "check: address carries `schema`": (CHECK, setitem(addr + ["schema"], "intransit.probe/1")),
    "check: untested_reason 'offline' (not in the closed list)":
        (dict(CHECK, verdict="untested", enforced_by=[]), setitem(["untested_reason"], "offline")),
    "check: untested verdict with untested_reason null":
        (dict(CHECK, verdict="untested", enforced_by=[]), setitem(["untested_reason"], None)),
    "check: enforced verdict with empty enforced_by": (CHECK, setitem(["enforced_by"], [])),
    "check: dnssec status 'validated'": (CHECK, setitem(["dnssec", "status"], "validated")),
    "check: DNS answer status 'refused'": (CHECK, setitem(["mx", 0, "dns", "a", "status"], "refused")),
    "check: domain with a trailing dot": (CHECK, setitem(["domain"], "example.test.")),
    "check: keys member verdict 'maybe' (keys.schema.json applies)": (with_keys, setitem(["keys", 1, "verdict"], "maybe")),
    "check: keys member object without `summary`": (with_keys, delitem(["keys", 0, "summary"])),
    "probe: no `outcome`": (PROBE, delitem(["outcome"])),
    "probe: no `protocol` (always written)": (PROBE, delitem(["protocol"])),
    "probe: protocol 'lmtp' (not a dialogue intransit speaks)": (PROBE, setitem(["protocol"], "lmtp")),
    "check: address without `protocol`": (CHECK, delitem(addr + ["protocol"])),
    "check: MX address spoken to as imap": (CHECK, setitem(addr + ["protocol"], "imap")),
    "probe: findings as strings (objects everywhere)": (PROBE, setitem(["findings"], ["tls.obsolete-version"])),
    "probe: no `dane` (null when DANE does not apply, never absent)": (PROBE, delitem(["dane"])),
    "probe: tls_version-like `tls` string instead of object": (PROBE, setitem(["tls"], "TLSv1.3")),
    "probe: --sweep `versions` without the other sweep fields": (PROBE, setitem(["versions"], {"TLSv1.3": True})),
    "trace: hop verdict 'encrypted'": (TRACE, setitem(["hops", 0, "verdict"], "encrypted")),
    "trace: hop tls_version 'TLS1.3' (not normalised)": (TRACE, setitem(["hops", 0, "tls_version"], "TLS1.3")),
    "trace: no `e2e` (contract)": (TRACE, delitem(["e2e"])),
    "trace-summary: all_tls_share 1.5": (SUMMARY, setitem(["all_tls_share"], 1.5)),
    "sink-report: sender verdict 'safe'": (SINK, setitem(["senders", 0, "verdict"], "safe")),
    "sink-report: attempt without `delivered` (contract)": (SINK, delitem(["senders", 0, "attempts", 0, "delivered"])),
    "strip-capture: rcpt_to as a string": (CAPTURE, setitem(["rcpt_to"], "b@example.test")),
    "unknown schema value": (TRACE, setitem(["schema"], "intransit.trace/2")),
}
# intransit.scan/1 (issue 16): the scan file's header, skipped and footer lines.
SCAN_HEADER = {"schema": "intransit.scan/1", "type": "header", "tool_version": "0.1.0",
               "options": {"column": 0, "sweep": False, "helo": "scanner.example", "contact": "abuse@example",
                           "timeout_seconds": 120.0, "dns_timeout_seconds": 10.0, "per_address": 1, "rate": 0.0,
                           "max_connections": 256, "dns_concurrency": 256, "exclude": False},
               "input_sha256": "0" * 64, "started": "2026-12-02T16:00:00Z", "shard": {"index": 1, "count": 4}}
SCAN_FOOTER = {"schema": "intransit.scan/1", "type": "footer", "counts": {"opportunistic": 3, "skipped": 1},
               "domains": 4, "errors": 0, "elapsed_seconds": 1.5, "finished": "2026-12-02T16:00:02Z",
               "complete": True, "probes": {"connections": 2, "shared": 1}}
SCAN_SKIPPED = {"schema": "intransit.scan/1", "type": "skipped", "domain": "optout.example", "reason": "excluded"}
for what, doc in {"scan header": SCAN_HEADER, "scan footer": SCAN_FOOTER, "scan skipped line": SCAN_SKIPPED}.items():
    ok, why = passes(doc)
    check(ok, f"a hand-made {what} validates" + (f": {why}" if why else ""))
INVALID.update({
    "scan header: no `input_sha256` (merge compares it)": (SCAN_HEADER, delitem(["input_sha256"])),
    "scan header: shard count 0": (SCAN_HEADER, setitem(["shard", "count"], 0)),
    "scan footer: counts of a verdict 'secure'": (SCAN_FOOTER, setitem(["counts", "secure"], 1)),
    "scan footer: no `complete`": (SCAN_FOOTER, delitem(["complete"])),
})
ALERT = {"schema": "intransit.alert/1", "domain": "example.test", "kind": "certificate-expired", "severity": "high",
         "before": "", "after": "mx.example.test (127.0.1.2:25) expired 2026-12-01", "why": "The certificate expired.",
         "at": "2026-12-03T06:00:00Z"}
ok, why = passes(ALERT)
check(ok, "a hand-made alert validates" + (f": {why}" if why else ""))
INVALID.update({
    "alert: a kind nobody raises": (ALERT, setitem(["kind"], "certificate-sad")),
    "alert: no `why`": (ALERT, delitem(["why"])),
})
for what, (base, mutate) in INVALID.items():
    ok, why = passes(broken(base, mutate))
    # The error must name the field that was broken, not only fail somewhere.
    key = mutate.key
    check(not ok and key in why, f"rejected: {what}, naming `{key}`" + (f"\n      {why.splitlines()[-1].strip()}" if why else ""))

# validate_text: one document, JSON Lines, and a broken line among good ones.
lines = json.dumps(TRACE) + "\n" + json.dumps(SUMMARY) + "\n"
check(len(schema_check.validate_text(lines)) == 2, "validate_text reads JSON Lines (a trace and its summary)")
check(len(schema_check.validate_text(json.dumps(CHECK, indent=2))) == 1, "validate_text reads one pretty-printed document")
try:
    schema_check.validate_text(lines + json.dumps(dict(TRACE, verdict="mostly-tls")) + "\n")
    check(False, "validate_text rejects a bad line among good ones")
except schema_check.SchemaError as e:
    check("$.verdict" in str(e), f"validate_text rejects a bad line among good ones, naming the path: {str(e).splitlines()[1].strip()}")

sys.exit(exit_status())
