#!/usr/bin/env python3
"""tlsrpt_verify_lab.py STATE_DIR INTRANSIT DATA — `intransit tlsrpt --verify` against the lab
(issue 20): reports (RFC 8460 §4.4 shape, tests/data/tlsrpt/verify/) saying that
  - mtasts-redirect.test had sts-policy-fetch-error (its policy URL answers 301),
  - mtasts-badcert.test had sts-webpki-invalid (its policy host's certificate is self-signed),
  - dane-mismatch.test had tlsa-invalid and validation-failure (TLSA of another key),
are re-tested with the engine and still fail, for the reason the lab gives them; and that
  - opportunistic.test had starttls-not-supported, which its MX offers now: no longer reproduces.
Also: the re-test names what it did (policy fetched over IPv4; the MX probed), the JSON is valid
intransit.tlsrpt/1 (docs/schema/tlsrpt.schema.json), the exit code is 1 while something still
fails and 0 when only the fixed failure is given, and a failure whose MX does not answer is
"could not test", never "no longer reproduces" (exit 4)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit, data = sys.argv[1:4]
env, ns = lab_env.load(state)
LAB_ARGS = env["INTRANSIT_LAB_ARGS"].split()
FIX = os.path.join(data, "verify")


def verify(*files, fmt="json"):
    r = subprocess.run(ns + [intransit, "tlsrpt", "--verify", "--format", fmt, *LAB_ARGS, "--timeout", "30",
                             *files], capture_output=True, timeout=600)
    r.text = r.stdout.decode("utf-8")
    r.doc = schema_check.validate(json.loads(r.stdout)) if fmt == "json" and r.stdout.strip() else None
    return r


def results(doc):
    return {(v["policy_domain"], v["result_type"]): v for v in doc["verify"]["results"]}


every = [os.path.join(FIX, n) for n in sorted(os.listdir(FIX)) if n.endswith(".json")]
r = verify(*every)
check(r.returncode == 1, f"something still fails: exit 1 (got {r.returncode}; {r.stderr[-400:]!r})")
got = results(r.doc)
for key in [("mtasts-redirect.test", "sts-policy-fetch-error"), ("mtasts-badcert.test", "sts-webpki-invalid"),
            ("dane-mismatch.test", "tlsa-invalid"), ("dane-mismatch.test", "validation-failure"),
            ("opportunistic.test", "starttls-not-supported")]:
    check(key in got, f"{key} re-tested")
v = got.get(("mtasts-redirect.test", "sts-policy-fetch-error"), {})
check(v.get("state") == "still-failing" and v.get("retest") == "policy-fetch", f"redirect still failing: {v}")
check("301" in v.get("now", "") and "redirect" in v.get("now", ""), f"the redirect is named: {v.get('now')!r}")
check(any("over IPv4" in c or "(127." in c for c in v.get("checks", [])), f"fetched over IPv4: {v.get('checks')}")
v = got.get(("mtasts-badcert.test", "sts-webpki-invalid"), {})
check(v.get("state") == "still-failing" and "certificate" in v.get("now", ""), f"badcert still failing: {v}")
v = got.get(("dane-mismatch.test", "tlsa-invalid"), {})
check(v.get("state") == "still-failing" and v.get("retest") == "dane", f"TLSA mismatch still failing: {v}")
check("no TLSA record matches" in v.get("now", ""), f"the mismatch is named: {v.get('now')!r}")
v = got.get(("dane-mismatch.test", "validation-failure"), {})
check(v.get("state") == "still-failing" and v.get("retest") == "probe", f"validation still failing: {v}")
v = got.get(("opportunistic.test", "starttls-not-supported"), {})
check(v.get("state") == "no-longer-reproduces" and v.get("retest") == "probe", f"fixed since: {v}")
check(any("probed" in c and "mx.opportunistic.test" in c for c in v.get("checks", [])),
      f"the MX named in failure-details was probed: {v.get('checks')}")

# Text: the same verdicts in words.
r = verify(*every, fmt="text")
check(r.returncode == 1, f"text: exit 1 (got {r.returncode})")
check("Re-tested now (--verify):" in r.text, "text: the re-test section")
check(r.text.count("still failing:") == 4 and r.text.count("no longer reproduces:") == 1,
      f"text: 4 still failing, 1 no longer reproduces:\n{r.text[-3000:]}")

# Only the fixed failure: exit 0.
r = verify(os.path.join(FIX, "opportunistic-fixed.json"))
check(r.returncode == 0, f"only a fixed failure: exit 0 (got {r.returncode}; {r.stderr[-300:]!r})")

# An MX that does not answer (unreachable.test): could not test, never "no longer reproduces".
tmp = tempfile.mkdtemp(prefix="tlsrpt-verify-")
doc = json.load(open(os.path.join(FIX, "opportunistic-fixed.json")))
doc["report-id"] = "verify-unreachable-1"
pol = doc["policies"][0]
pol["policy"]["policy-domain"] = "unreachable.test"
pol["failure-details"][0]["receiving-mx-hostname"] = "mx.unreachable.test"
path = os.path.join(tmp, "unreachable.json")
with open(path, "w") as f:
    json.dump(doc, f)
r = verify(path)
v = results(r.doc).get(("unreachable.test", "starttls-not-supported"), {}) if r.doc else {}
check(v.get("state") == "could-not-test", f"unreachable MX: could not test ({v})")
check(r.returncode == 4, f"only untested re-tests: exit 4 (got {r.returncode})")

sys.exit(exit_status())
