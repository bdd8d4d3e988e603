#!/usr/bin/env bash
# run_with_lab.sh TEST_SCRIPT [ARGS...] — runs an integration test against the lab named by
# INTRANSIT_LAB_DIR: skip (77) when there is none, unless INTRANSIT_LAB_REQUIRED=1.
# The script is called as: TEST_SCRIPT "$INTRANSIT_LAB_DIR" ARGS...
set -uo pipefail
script=$1; shift
if [ -z "${INTRANSIT_LAB_DIR:-}" ] || [ ! -f "$INTRANSIT_LAB_DIR/up" ]; then
  if [ "${INTRANSIT_LAB_REQUIRED:-0}" = 1 ]; then
    echo "no lab is up (INTRANSIT_LAB_DIR='${INTRANSIT_LAB_DIR:-}'), but INTRANSIT_LAB_REQUIRED=1" >&2
    exit 1
  fi
  echo "skipped: no lab (run through lab/exec STATE_DIR ctest ...)" >&2
  exit 77
fi
exec "$script" "$INTRANSIT_LAB_DIR" "$@"
