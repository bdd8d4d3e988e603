"""checklist.py — the "ok / FAIL" lines the Python integration tests print, one per property,
and their exit status: every check runs (one failure does not hide the next), then exit 1 if
any failed."""
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def exit_status(where=""):
    if failures:
        print(f"{len(failures)} failure(s){'; ' + where if where else ''}")
        return 1
    return 0
