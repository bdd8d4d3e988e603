#!/usr/bin/env python3
"""client_discovery_lab.py STATE_DIR INTRANSIT — `intransit client` against the lab's discovery
domains (issue 21; lab/lib/client_discovery.sh): per domain the leg verdicts, the findings and
the JSON contract (docs/schema/client.schema.json), with peers in the same test:
- delv (lab trust anchor) and dig: the DNSSEC status and the records of every SRV answer;
- curl --cacert: the autoconfig files over HTTPS (and plain http), parsed here with Python's own
  XML parser: the servers intransit took must be exactly those;
- openssl s_client -verify_hostname: whether each server's certificate is valid for the domain
  typed and for the server host must equal intransit's matches_domain / matches_host."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
CA = env["INTRANSIT_CA_FILE"]
ARGS = env["INTRANSIT_LAB_ARGS"].split()


def client(target, *extra):
    run = subprocess.run(ns + [intransit, "client", target, "--format", "json", *ARGS, *extra],
                         capture_output=True, text=True, timeout=300)
    doc = json.loads(run.stdout) if run.stdout.strip() else {}
    if doc:
        schema_check.validate(doc)
    return run.returncode, doc


def legs(doc):
    return {l["leg"]: l["verdict"] for l in doc.get("legs", [])}


def ids(doc):
    return {f["id"] for f in doc.get("findings", [])}


def delv(name):
    run = subprocess.run(ns + ["delv", "@" + env["INTRANSIT_LAB_RESOLVER"], "-a",
                               env["INTRANSIT_LAB_DELV_ANCHOR"], "SRV", name],
                         capture_output=True, text=True, timeout=60)
    text = run.stdout + run.stderr
    if "fully validated" in text:
        return "secure"
    if "unsigned answer" in text:
        return "insecure"
    return "failed"


def dig(name):
    run = subprocess.run(ns + ["dig", "+short", "@" + env["INTRANSIT_LAB_RESOLVER"], "SRV", name],
                         capture_output=True, text=True, timeout=60)
    out = set()
    for line in run.stdout.splitlines():
        p = line.split()
        if len(p) == 4:
            t = p[3].rstrip(".").lower() or "."
            out.add((int(p[0]), int(p[1]), int(p[2]), t))
    return out


def curl(url):
    run = subprocess.run(ns + ["curl", "-sS", "--max-time", "20", "--cacert", CA, "-o", "-", "-w",
                               "\n%{http_code}", url], capture_output=True, text=True, timeout=60)
    body, _, code = run.stdout.rpartition("\n")
    return run.returncode, code, body


def servers_in(xml_text, domain):
    root = ET.fromstring(xml_text)
    out = set()
    for s in root.iter():
        if s.tag in ("incomingServer", "outgoingServer"):
            host = s.findtext("hostname").strip().lower().replace("%emaildomain%", domain)
            out.add((s.get("type"), host, int(s.findtext("port")), s.findtext("socketType").strip()))
    return out


def openssl_valid(address, leg, mode, servername, name):
    """True when openssl s_client verifies the certificate, chain and `name`, at `address`."""
    cmd = ["openssl", "s_client", "-connect", address, "-servername", servername,
           "-CAfile", CA, "-verify_hostname", name, "-brief"]
    if mode == "starttls":
        cmd += ["-starttls", {"imap": "imap", "pop3": "pop3", "submission": "smtp"}[leg]]
    run = subprocess.run(ns + cmd, input="", capture_output=True, text=True, timeout=60)
    text = run.stdout + run.stderr
    return "Verification: OK" in text


def compare_srv(doc):
    d = doc["domain"]
    for srv in doc["srv"]:
        name = srv["dns"]["name"]
        if srv["dns"]["status"] == "answer":
            check(srv["dns"]["dnssec"] == delv(name), f"{d}: {name} DNSSEC {srv['dns']['dnssec']} as delv")
        ours = {(r["priority"], r["weight"], r["port"], r["target"]) for r in srv["records"]}
        check(ours == dig(name), f"{d}: {name} records as dig ({sorted(ours)})")


def compare_names(doc):
    d = doc["domain"]
    for s in doc["servers"]:
        for a in s["addresses"]:
            if a["tls_version"] is None:
                continue
            for name, key in ((d, "matches_domain"), (s["host"], "matches_host")):
                theirs = openssl_valid(a["address"], s["leg"], s["tls_mode"], s["host"], name)
                check(a[key] == theirs, f"{d}: {s['protocol']} {a['address']} {key}={a[key]} as openssl for {name}")


# disco.test: signed, six SRV records and an HTTPS autoconfig that agrees.
rc, doc = client("alice@disco.test")
check(rc == 0, f"disco.test: exit 0 (got {rc})")
check(doc.get("address") == "alice@disco.test" and doc.get("domain") == "disco.test", "disco.test: address form uses the domain")
check(legs(doc) == {"submission": "enforced", "imap": "enforced", "pop3": "enforced"}, f"disco.test: legs {legs(doc)}")
check(not ids(doc) & {"client.srv-insecure", "client.cert-name", "client.srv-foreign-unauthenticated", "client.autoconfig-fetch"},
      f"disco.test: no discovery or name findings ({sorted(ids(doc))})")
names = {a["name_check"] for s in doc.get("servers", []) for a in s["addresses"]}
check(names == {"delegated"}, f"disco.test: every certificate names the signed SRV target ({names})")
check(all(len(s["origins"]) == 2 for s in doc.get("servers", [])), "disco.test: every server found by SRV and by autoconfig")
compare_srv(doc)
compare_names(doc)
code, status, body = curl("https://autoconfig.disco.test/mail/config-v1.1.xml?emailaddress=alice%40disco.test")
host_ac = next(a for a in doc["autoconfig"] if a["source"] == "autoconfig-host")
check(status == "200" and host_ac["status"] == "ok" and host_ac["used"], f"disco.test: autoconfig fetched as curl ({status}, {host_ac['status']})")
ours = {(s["type"], s["hostname"].replace("%emaildomain%", "disco.test"), s["port"], s["socket_type"]) for s in host_ac["servers"]}
check(status == "200" and ours == servers_in(body, "disco.test"), f"disco.test: autoconfig servers as Python's XML parser reads them")

# disco-http.test: autoconfig only over plain http: reported, never used.
rc, doc = client("disco-http.test")
check(rc == 0, f"disco-http.test: exit 0, nothing published (got {rc})")
check("client.autoconfig-http" in ids(doc), f"disco-http.test: client.autoconfig-http ({sorted(ids(doc))})")
check(doc.get("servers") == [], "disco-http.test: the plain-http file's servers are not used")
check(all(l["verdict"] == "untested" and l["nothing_published"] for l in doc.get("legs", [])), "disco-http.test: every leg none published")
code, status, _ = curl("http://autoconfig.disco-http.test/mail/config-v1.1.xml")
check(status == "200", f"disco-http.test: curl gets it over http too ({status})")
code, status, _ = curl("https://autoconfig.disco-http.test/mail/config-v1.1.xml")
check(code != 0, f"disco-http.test: curl gets nothing over https (curl exit {code})")

# disco-foreign.test: unsigned SRV to a foreign name whose certificate names only itself.
rc, doc = client("disco-foreign.test")
check(legs(doc).get("imap") == "opportunistic", f"disco-foreign.test: imap opportunistic ({legs(doc)})")
check({"client.srv-foreign-unauthenticated", "client.srv-insecure"} <= ids(doc), f"disco-foreign.test: findings ({sorted(ids(doc))})")
names = {a["name_check"] for s in doc.get("servers", []) for a in s["addresses"]}
check(names == {"foreign-unauthenticated"}, f"disco-foreign.test: name check ({names})")
compare_srv(doc)
compare_names(doc)
rc, _ = client("disco-foreign.test", "--require", "enforced")
check(rc == 1, f"disco-foreign.test: --require enforced exits 1 (got {rc})")

# disco-nopop.test: "." for pop3, a .well-known autoconfig with one socketType plain server.
rc, doc = client("disco-nopop.test")
check(legs(doc) == {"submission": "partial", "imap": "enforced", "pop3": "no-mail"}, f"disco-nopop.test: legs {legs(doc)}")
check("client.socket-plain" in ids(doc), f"disco-nopop.test: client.socket-plain ({sorted(ids(doc))})")
wk = next(a for a in doc["autoconfig"] if a["source"] == "well-known")
code, status, body = curl("https://disco-nopop.test/.well-known/autoconfig/mail/config-v1.1.xml")
check(status == "200" and wk["used"], f"disco-nopop.test: the .well-known file, as curl ({status})")
compare_srv(doc)
sys.exit(exit_status())
