#!/usr/bin/env bash
# deb_install.sh DEB LAB_STATE — the Debian package as an admin meets it (issue 22): installed
# with apt-get, `intransit --version`, `man -w intransit`, bash completion through the installed
# script, `intransit check` on a lab domain through the installed binary (inside the lab), then
# `apt-get purge` leaves no file behind (the file lists before and after compared).
set -euo pipefail
deb=$(realpath "$1")
state=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
snapshot() { { find /usr /etc /var/lib /lib/systemd -xdev 2>/dev/null || true; } | grep -v -e '^/var/lib/dpkg' -e '^/var/lib/apt' -e '/__pycache__' | sort; }

if dpkg-query -W intransit >/dev/null 2>&1; then apt-get purge -y intransit >/dev/null; fi
snapshot >/tmp/intransit-files-before
DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >/dev/null

if [ "$(command -v intransit)" = /usr/bin/intransit ]; then ok "installed at /usr/bin/intransit"; else bad "intransit not on PATH"; fi
if /usr/bin/intransit --version | grep -q '^intransit '; then ok "--version"; else bad "--version"; fi
if man -w intransit | grep -q '/usr/share/man/man1/intransit.1.gz'; then ok "man -w intransit"; else bad "man -w intransit"; fi
got=$(bash --norc -c '. /usr/share/bash-completion/completions/intransit
  COMP_WORDS=(intransit check --format ""); COMP_CWORD=3; _intransit; printf "%s " "${COMPREPLY[@]}"')
if [[ " $got" == *" nagios "* && " $got" == *" json "* ]]; then ok "bash completion: check --format → $got"; else bad "bash completion gave '$got'"; fi
if [ -f /usr/share/intransit/schema/check.schema.json ]; then ok "JSON schemas installed"; else bad "no schemas"; fi
for unit in intransit-serve.service intransit-sink@.service; do
  # verify resolves the unit's ExecStart against the installed binary and checks every directive.
  if why=$(systemd-analyze verify "/lib/systemd/system/$unit" 2>&1); then ok "systemd-analyze verify $unit"
  else bad "systemd-analyze verify $unit: $why"; fi
done
if [ -f /usr/share/intransit/schema/serve-openapi.json ]; then ok "serve's OpenAPI document installed"; else bad "no serve-openapi.json"; fi
if [ -f /usr/share/doc/intransit/copyright ]; then ok "copyright file"; else bad "no copyright file"; fi
out=$("$root/lab/exec" "$state" /usr/bin/intransit check dane.test --format json || true)
if echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["verdict"]=="enforced" else 1)'; then
  ok "installed binary: check dane.test in the lab is enforced"
else
  bad "installed binary: check dane.test gave: ${out:0:300}"
fi

DEBIAN_FRONTEND=noninteractive apt-get purge -y intransit >/dev/null
snapshot >/tmp/intransit-files-after
left=$(comm -13 /tmp/intransit-files-before /tmp/intransit-files-after)
if [ -z "$left" ]; then ok "purge leaves nothing behind"; else bad "purge left: $left"; fi
exit "$fail"
