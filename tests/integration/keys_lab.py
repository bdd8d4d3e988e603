#!/usr/bin/env python3
"""keys_lab.py STATE_DIR INTRANSIT — `intransit keys` against the real lab (issue 21,
lab/lib/keys.sh): every verdict kind once (ready by DNSSEC, ready by WebPKI over the advanced
and the direct WKD method, ready unauthenticated, key found but unusable, none, could not test),
the wildcard pitfall and the missing policy file; each JSON document valid against
docs/schema/keys.schema.json; the exit code.

Peers: GnuPG finds the same keys itself — `gpg --auto-key-locate clear,wkd,dane
--locate-external-keys` with a throw-away GNUPGHOME, run in the lab namespace (whose
/etc/resolv.conf names the lab's unbound) inside a private mount namespace (`unshare -m`) where
the lab CA alone is bind-mounted over /etc/ssl/certs/ca-certificates.crt, the file dirmngr
trusts for WKD over HTTPS; the host's trust store is never touched. And GnuPG reads the same key
material: the WKD bytes fetched with curl --cacert (the lab CA) and the OPENPGPKEY bytes with dig
through the lab's unbound, `gpg --show-keys` naming the fingerprint intransit found.

`check DOMAIN --address LOCAL` (issue 21): the keys verdict of LOCAL@DOMAIN beside the domain's
verdict, the same objects `keys` emits, the check verdict and exit code unchanged."""
import base64
import json
import os
import subprocess
import sys
import tempfile

import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit = sys.argv[1:3]
env, ns = lab_env.load(state)
keys_dir = os.path.join(state, "keys")

EXPECTED = {
    "alice@keys.test": ("ready-webpki", None),
    "bob@keys.test": ("unusable", "keys.no-encryption-subkey"),
    "carol@keys.test": ("unusable", "keys.expired"),
    "dana@keys.test": ("ready-dnssec", None),
    "erin@keys.test": ("ready-dnssec", None),
    "nobody@keys.test": ("none", None),
    "frank@keys-unsigned.test": ("ready-unauthenticated", "keys.unsigned-dns"),
    "gina@keys-direct.test": ("ready-webpki", "keys.wkd-policy-missing"),
    "hugo@keys-wild.test": ("none", "keys.wkd-wildcard"),
    "ivan@bogus.test": ("untested", "keys.lookup-failed"),
}

args = env["INTRANSIT_LAB_ARGS"].split()
run = subprocess.run(ns + [intransit, "keys", "--format", "json", *args, *EXPECTED],
                     capture_output=True, text=True, timeout=300)
docs = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
check(len(docs) == len(EXPECTED), f"one JSON document per address ({len(docs)}; stderr {run.stderr[-300:]!r})")
check(run.returncode == 1, f"exit 1: some address has no usable key (got {run.returncode})")
by_address = {d["address"]: d for d in docs}
for address, (verdict, finding) in EXPECTED.items():
    doc = by_address.get(address)
    if doc is None:
        check(False, f"{address}: has a document")
        continue
    try:
        schema_check.validate(doc)
        check(True, f"{address}: valid intransit.keys/1")
    except schema_check.SchemaError as e:
        check(False, f"{address}: valid intransit.keys/1 ({e})")
    check(doc["verdict"] == verdict, f"{address}: verdict {verdict} (got {doc['verdict']}: {doc['summary']})")
    ids = {f["id"] for f in doc["findings"]}
    if finding:
        check(finding in ids, f"{address}: finding {finding} (got {sorted(ids)})")

check(by_address.get("alice@keys.test", {}).get("wkd", {}).get("method") == "advanced", "alice: advanced WKD method")
check(by_address.get("gina@keys-direct.test", {}).get("wkd", {}).get("method") == "direct", "gina: direct WKD method")

# The exit codes of one address each: ready 0, could not test 3. (`keys dana@keys.test` alone
# found a lost-wakeup race in dns/resolver.cpp's pump: a lookup begun right after the last one
# ended waited on a descriptor nobody watched; this check keeps it fixed.)
for address, code in (("dana@keys.test", 0), ("ivan@bogus.test", 3)):
    r = subprocess.run(ns + [intransit, "keys", *args, address], capture_output=True, text=True, timeout=120)
    check(r.returncode == code, f"keys {address}: exit {code} (got {r.returncode})")


def gpg_fingerprints(data):
    """Primary fingerprints GnuPG reads from key bytes (never imported anywhere)."""
    with tempfile.TemporaryDirectory() as home:
        r = subprocess.run(["gpg", "--homedir", home, "--batch", "--with-colons", "--show-keys"],
                           input=data, capture_output=True, timeout=60)
    fprs, primary = [], False
    for line in r.stdout.decode(errors="replace").splitlines():
        f = line.split(":")
        if f[0] in ("pub", "sub"):
            primary = f[0] == "pub"
        elif f[0] == "fpr" and primary:
            fprs.append(f[9])
            primary = False
    return fprs


# WKD: the same URL intransit used, fetched with curl trusting only the lab CA.
for address in ("alice@keys.test", "gina@keys-direct.test"):
    doc = by_address.get(address, {})
    url = doc.get("wkd", {}).get("url", "")
    r = subprocess.run(ns + ["curl", "-sf", "--cacert", env["INTRANSIT_CA_FILE"], url],
                       capture_output=True, timeout=60)
    mine = (doc.get("wkd", {}).get("key") or {}).get("fingerprint")
    peer = gpg_fingerprints(r.stdout) if r.returncode == 0 else []
    check(mine is not None and peer == [mine], f"{address}: gpg reads the WKD key as {peer}, intransit {mine}")

# OPENPGPKEY: the record bytes through the lab's validating unbound, read by gpg.
doc = by_address.get("dana@keys.test", {})
owner = doc.get("openpgpkey", {}).get("owner", "")
r = subprocess.run(ns + ["dig", "+short", f"@{env['INTRANSIT_LAB_RESOLVER']}", owner, "OPENPGPKEY"],
                   capture_output=True, text=True, timeout=60)
mine = [k["fingerprint"] for k in doc.get("openpgpkey", {}).get("keys", [])]
try:  # dig 9.18 prints OPENPGPKEY in its presentation form: base64 (RFC 7929 §2.3)
    peer = gpg_fingerprints(base64.b64decode("".join(r.stdout.split()))) if r.stdout.strip() else []
except ValueError:
    peer = []
check(mine and peer == mine, f"dana: gpg reads the OPENPGPKEY record as {peer}, intransit {mine}")
with open(os.path.join(keys_dir, "dana@keys.test.fpr")) as f:
    check(mine == [f.read().strip()], "dana: the fingerprint lab/up generated")


# The primary fingerprints of the OpenPGP keys intransit found for an address (WKD, OPENPGPKEY).
def intransit_openpgp(doc):
    fprs = set()
    key = (doc.get("wkd") or {}).get("key")
    if key and key.get("fingerprint"):
        fprs.add(key["fingerprint"])
    fprs.update(k["fingerprint"] for k in (doc.get("openpgpkey") or {}).get("keys", []) if k.get("fingerprint"))
    return fprs


# gpg finds the keys itself (WKD over HTTPS, then OPENPGPKEY), trusting the lab CA only inside a
# private mount namespace: the same primary keys as intransit's, per address, and none where
# intransit found no OpenPGP key (erin has only SMIMEA, which gpg does not look up).
def gpg_locate(addresses):
    """address -> (primary fingerprint, validity, capabilities) of what gpg located for it."""
    with tempfile.TemporaryDirectory(prefix="keys-gpg-") as home:
        os.chmod(home, 0o700)
        bundle = os.path.join(home, "lab-ca.crt")
        with open(env["INTRANSIT_CA_FILE"], "rb") as src, open(bundle, "wb") as dst:
            dst.write(src.read())
        script = ('mount --bind "$1" /etc/ssl/certs/ca-certificates.crt || exit 99; home=$2; shift 2; '
                  'gpg --homedir "$home" --batch --no-tty --auto-key-locate clear,wkd,dane '
                  '--locate-external-keys "$@" >/dev/null 2>&1; '
                  'gpg --homedir "$home" --batch --with-colons --list-keys; '
                  'gpgconf --homedir "$home" --kill all')
        r = subprocess.run(ns + ["unshare", "-m", "sh", "-c", script, "sh", bundle, home, *addresses],
                           capture_output=True, text=True, timeout=180)
    found, current = {}, None
    for line in r.stdout.splitlines():
        f = line.split(":")
        if f[0] == "pub":
            current = {"validity": f[1], "caps": f[11], "fpr": None}
        elif f[0] == "fpr" and current is not None and current["fpr"] is None:
            current["fpr"] = f[9]
        elif f[0] == "uid" and current is not None:
            uid = f[9]
            if uid.startswith("<") and uid.endswith(">"):
                found[uid[1:-1]] = current
    return r.returncode, found


peer_addresses = list(EXPECTED)
rc, located = gpg_locate(peer_addresses)
check(rc != 99, "gpg peer: the lab CA bind-mounted in a private mount namespace")
for address in peer_addresses:
    mine = intransit_openpgp(by_address.get(address, {}))
    theirs = {located[address]["fpr"]} if address in located else set()
    check(mine == theirs, f"gpg --locate-external-keys {address}: {sorted(theirs) or 'nothing'}, intransit {sorted(mine) or 'nothing'}")
check(located.get("carol@keys.test", {}).get("validity") == "e", "gpg: carol's key is expired, as intransit says")
check("E" not in located.get("bob@keys.test", {}).get("caps", "E"), "gpg: bob's key cannot encrypt, as intransit says")
check("E" in located.get("alice@keys.test", {}).get("caps", ""), "gpg: alice's key can encrypt")

# `check DOMAIN --address LOCAL`: the keys verdict beside the domain's, through the same engine.
def check_run(*extra):
    return subprocess.run(ns + [intransit, "check", "keys.test", *args, *extra],
                          capture_output=True, text=True, timeout=300)


plain = check_run("--format", "json")
with_keys = check_run("--format", "json", "--address", "alice", "--address", "nobody")
try:
    base, doc = json.loads(plain.stdout), json.loads(with_keys.stdout)
except json.JSONDecodeError:
    base, doc = {}, {}
try:
    schema_check.validate(doc)
    check(True, "check --address: valid intransit.check/1 (keys member validated by keys.schema.json)")
except schema_check.SchemaError as e:
    check(False, f"check --address: valid intransit.check/1 ({e})")
keys_member = doc.get("keys", [])
check([k.get("address") for k in keys_member] == ["alice@keys.test", "nobody@keys.test"], "check --address: one keys object per local part, in order")
check([k.get("verdict") for k in keys_member] == ["ready-webpki", "none"], f"check --address: alice ready-webpki, nobody none ({[k.get('verdict') for k in keys_member]})")
check(keys_member[:1] and intransit_openpgp(keys_member[0]) == intransit_openpgp(by_address.get("alice@keys.test", {})),
      "check --address alice: the same key as `keys alice@keys.test`")
check("keys" not in base, "check without --address: no keys member")
check(doc.get("verdict") == base.get("verdict") and with_keys.returncode == plain.returncode,
      f"check --address: verdict and exit code unchanged ({doc.get('verdict')}/{with_keys.returncode} vs {base.get('verdict')}/{plain.returncode})")
text = check_run("--address", "alice", "--address", "nobody").stdout
section = text.find("Explicit encryption")
check(section > text.find("DNSSEC      MX answer") >= 0, "check --address text: an Explicit encryption section after the transport part")
check("alice@keys.test: ready (authenticated by WebPKI)" in text[section:], "check --address text: alice ready (authenticated by WebPKI)")
check("nobody@keys.test: none" in text[section:], "check --address text: nobody none")
# One value per --address: a domain after it stays a domain.
before = subprocess.run(ns + [intransit, "check", "--address", "alice", "keys.test", *args, "--format", "json"],
                        capture_output=True, text=True, timeout=300)
try:
    doc = json.loads(before.stdout)
except json.JSONDecodeError:
    doc = {}
check(doc.get("domain") == "keys.test" and [k.get("address") for k in doc.get("keys", [])] == ["alice@keys.test"],
      f"check --address alice keys.test: the domain is not taken for a second local part ({before.stderr.strip()[:80]})")
bad = check_run("--address", "alice@keys.test")
check(bad.returncode == 2 and "local part" in bad.stderr, f"check --address with an @: usage error, exit 2 ({bad.returncode})")
sys.exit(exit_status())
